-- Flyway callback, run after every migrate (issue 19): nobody but the tables' owner may change the
-- audit trail or its hash chain. With the two roles of infra/postgres/roles.sql the runtime role
-- keeps SELECT and INSERT there; with a single role (embedded, tests) there is nobody to revoke from.
DO $$
DECLARE
    grantee_name text;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
        WHERE g.table_schema = current_schema()
          AND g.table_name IN ('audit_events', 'audit_chain')
          AND g.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
          AND g.grantee <> (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()
                              AND tablename = 'audit_events')
    LOOP
        IF grantee_name = 'PUBLIC' THEN
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_chain FROM PUBLIC;
        ELSE
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_chain FROM %I', grantee_name);
        END IF;
    END LOOP;
END $$;
