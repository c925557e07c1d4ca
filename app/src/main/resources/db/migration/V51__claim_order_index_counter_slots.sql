-- The claim takes the longest-waiting APPROVED execution: ORDER BY approved_at NULLS FIRST, id
-- LIMIT 1 FOR UPDATE SKIP LOCKED. This index serves that order directly, so a claim reads a few
-- index entries at any backlog instead of sorting every APPROVED row (not_before stays a filter).
CREATE INDEX executions_claim_order ON executions (approved_at NULLS FIRST, id) WHERE status = 'APPROVED';
DROP INDEX executions_claimable;

-- Status counters in slots: every claim, finish and approval updated the same few counter rows,
-- and a row lock is held until commit, so concurrent workers queued on them. Each status now has
-- 16 rows; a transaction updates the slot of its backend (pg_backend_pid() % 16), still in status
-- order, still in the same transaction as the change. Readers sum the slots through the view
-- execution_status_counts, which keeps its old name and columns. A single slot may go below zero
-- (counted up in one slot, down in another); the sum per status never does.
ALTER TABLE execution_status_counts RENAME TO execution_status_count_slots;
ALTER TABLE execution_status_count_slots DROP CONSTRAINT execution_status_counts_executions_check;
ALTER TABLE execution_status_count_slots DROP CONSTRAINT execution_status_counts_pkey;
ALTER TABLE execution_status_count_slots ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 15);
ALTER TABLE execution_status_count_slots ADD PRIMARY KEY (status, slot);
ALTER TABLE execution_status_count_slots ALTER COLUMN slot DROP DEFAULT;

INSERT INTO execution_status_count_slots (status, slot, executions)
SELECT s.status, n, 0
FROM (SELECT DISTINCT status FROM execution_status_count_slots) s, generate_series(1, 15) n;

CREATE VIEW execution_status_counts AS
SELECT status, sum(executions)::bigint AS executions
FROM execution_status_count_slots
GROUP BY status;

CREATE OR REPLACE FUNCTION apply_status_count_deltas(removed text[], added text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    change record;
    my_slot smallint := pg_backend_pid() % 16;
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
        UPDATE execution_status_count_slots SET executions = executions + change.delta
        WHERE status = change.status AND slot = my_slot;
    END LOOP;
END $$;
