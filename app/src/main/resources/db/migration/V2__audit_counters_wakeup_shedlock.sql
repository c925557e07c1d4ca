-- Audit trail: append-only. The database itself refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_events (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor          text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    action         text        NOT NULL,
    execution_id   uuid        REFERENCES executions (id),
    item_position  integer,
    from_status    text,
    to_status      text,
    -- Masking.mask(execution token): never the whole token
    token_masked   text,
    detail         text
);

CREATE INDEX audit_events_execution ON audit_events (execution_id, id);

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END $$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

-- Executions per status, maintained by the database in the same transaction as every change.
-- The dashboard reads these instead of COUNT(*).
CREATE TABLE execution_status_counts (
    status      text   PRIMARY KEY,
    executions  bigint NOT NULL DEFAULT 0 CHECK (executions >= 0)
);

INSERT INTO execution_status_counts (status)
VALUES ('PENDING_APPROVAL'), ('APPROVED'), ('RUNNING'), ('SUCCEEDED'), ('PARTIALLY_SUCCEEDED'),
       ('FAILED'), ('REJECTED'), ('CANCELED'), ('EXPIRED');

-- Applies one statement's net change per status. The counter rows are updated (and so locked)
-- in status order, so two transactions touching the same counters cannot deadlock.
CREATE FUNCTION apply_status_count_deltas(removed text[], added text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    change record;
BEGIN
    FOR change IN
        SELECT s.status, sum(s.delta) AS delta
        FROM (SELECT unnest(removed) AS status, -1 AS delta
              UNION ALL
              SELECT unnest(added), 1) s
        GROUP BY s.status
        HAVING sum(s.delta) <> 0
        ORDER BY s.status
    LOOP
        UPDATE execution_status_counts SET executions = executions + change.delta WHERE status = change.status;
    END LOOP;
END $$;

CREATE FUNCTION count_inserted_executions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM apply_status_count_deltas(ARRAY[]::text[], ARRAY(SELECT status FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION count_updated_executions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM apply_status_count_deltas(ARRAY(SELECT status FROM old_rows), ARRAY(SELECT status FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION count_deleted_executions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM apply_status_count_deltas(ARRAY(SELECT status FROM old_rows), ARRAY[]::text[]);
    RETURN NULL;
END $$;

CREATE TRIGGER executions_count_insert AFTER INSERT ON executions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_executions();
CREATE TRIGGER executions_count_update AFTER UPDATE ON executions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_updated_executions();
CREATE TRIGGER executions_count_delete AFTER DELETE ON executions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_deleted_executions();

-- Wakes idle workers the moment an execution becomes claimable (delivered at commit);
-- workers still poll, so a lost notification only costs one poll interval.
CREATE FUNCTION notify_execution_approved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pledge_execution_approved', NEW.id::text);
    RETURN NULL;
END $$;

CREATE TRIGGER executions_notify_approved AFTER INSERT OR UPDATE OF status ON executions
    FOR EACH ROW WHEN (NEW.status = 'APPROVED') EXECUTE FUNCTION notify_execution_approved();

-- ShedLock: sweeps run on one replica at a time (lock times are database time).
CREATE TABLE shedlock (
    name       varchar(64)  NOT NULL PRIMARY KEY,
    lock_until timestamp    NOT NULL,
    locked_at  timestamp    NOT NULL,
    locked_by  varchar(255) NOT NULL
);
