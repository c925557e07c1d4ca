-- Two database roles for a Pledge installation (issue 19): run once as a superuser or the database
-- owner, before the first start. Replace the passwords (or use your secret operator's), and put
--   pledge_owner   in the Secret pledge-database-owner (user, password): Flyway migrates with it;
--   pledge_runtime in the Secret pledge-database (url, user, password): the service runs with it.
--
-- The runtime role owns nothing, so it cannot ALTER a table, disable a trigger or drop one. It reads
-- and writes the working tables, and may only SELECT and INSERT on the audit trail (audit_events)
-- and its hash chain (audit_chain): what the service writes there it cannot rewrite. The app's
-- Flyway callback afterMigrate.sql re-applies REVOKE UPDATE, DELETE, TRUNCATE ON audit_events after every migration, for tables a
-- migration creates later.

CREATE ROLE pledge_owner LOGIN PASSWORD 'change-me-owner';
CREATE ROLE pledge_runtime LOGIN PASSWORD 'change-me-runtime';

-- the database is named pledge here; adapt
GRANT CONNECT, TEMPORARY ON DATABASE pledge TO pledge_owner, pledge_runtime;
CREATE SCHEMA IF NOT EXISTS pledge AUTHORIZATION pledge_owner;
ALTER ROLE pledge_owner SET search_path = pledge;
ALTER ROLE pledge_runtime SET search_path = pledge;
GRANT USAGE ON SCHEMA pledge TO pledge_runtime;

-- everything pledge_owner creates from now on (every migration) is usable by the runtime role ...
ALTER DEFAULT PRIVILEGES FOR ROLE pledge_owner IN SCHEMA pledge
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pledge_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE pledge_owner IN SCHEMA pledge
    GRANT USAGE, SELECT ON SEQUENCES TO pledge_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE pledge_owner IN SCHEMA pledge
    GRANT EXECUTE ON FUNCTIONS TO pledge_runtime;

-- ... except the audit trail, which it may only read and append to. The tables exist after the
-- first migration (the service's first start): run this file again then, or rely on the app's
-- afterMigrate.sql, which does the same after every migration.
DO $$
BEGIN
    IF to_regclass('pledge.audit_events') IS NOT NULL THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON pledge.audit_events, pledge.audit_chain FROM pledge_runtime;
    END IF;
END $$;
