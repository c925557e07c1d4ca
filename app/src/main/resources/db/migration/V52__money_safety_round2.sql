-- Money safety, round 2 (issue 14), engine side.

-- 1. A purchase the cloud has accepted but not finished (an order being created, a payment pending)
--    is CONFIRMING, with its commitment id, until the confirmation sweep reads a final state. An
--    execution with such an item is CONFIRMING until none is left; then it gets its final status.
ALTER TABLE items DROP CONSTRAINT items_status_check;
ALTER TABLE items ADD CONSTRAINT items_status_check
    CHECK (status IN ('PENDING', 'PURCHASING', 'CONFIRMING', 'BOUGHT', 'FAILED'));
ALTER TABLE items DROP CONSTRAINT bought_has_commitment;
ALTER TABLE items ADD CONSTRAINT bought_has_commitment
    CHECK ((status IN ('BOUGHT', 'CONFIRMING')) = (commitment_id IS NOT NULL AND outcome IS NOT NULL));
-- when the confirmation sweep last asked the cloud about a CONFIRMING item
ALTER TABLE items ADD COLUMN confirm_checked_at timestamptz;
CREATE INDEX items_confirming ON items (confirm_checked_at NULLS FIRST) WHERE status = 'CONFIRMING';

ALTER TABLE executions DROP CONSTRAINT executions_status_check;
ALTER TABLE executions ADD CONSTRAINT executions_status_check
    CHECK (status IN ('PENDING_APPROVAL', 'APPROVED', 'RUNNING', 'CONFIRMING', 'SUCCEEDED', 'PARTIALLY_SUCCEEDED',
                      'FAILED', 'REJECTED', 'CANCELED', 'EXPIRED'));
INSERT INTO execution_status_count_slots (status, slot, executions)
SELECT 'CONFIRMING', n, 0 FROM generate_series(0, 15) n;

-- 2. An attempt that found an earlier, unfinished attempt still in flight ends as WAITED: it sent
--    nothing (and so never counts as one that may have bought).
ALTER TABLE item_attempts DROP CONSTRAINT item_attempts_result_check;
ALTER TABLE item_attempts ADD CONSTRAINT item_attempts_result_check
    CHECK (result IN ('BOUGHT', 'ALREADY_OWNED', 'RECOVERED', 'GUARD_UNDECIDED', 'REJECTED', 'OUTCOME_UNKNOWN',
                      'TRANSIENT', 'WAITED'));

-- 3. One item per commitment of a cloud: no item may record (adopt) a commitment another item
--    records. The cloud is the type slug's prefix (aws-rds -> aws). Refuse to migrate, naming them,
--    when items already share one: a person must look at them first.
DO $$
DECLARE
    shared text;
BEGIN
    SELECT string_agg(split_part(type, '-', 1) || ' ' || commitment_id || ' (' || n || ' items)', ', ')
    INTO shared
    FROM (SELECT type, commitment_id, count(*) OVER (PARTITION BY split_part(type, '-', 1), commitment_id) AS n
          FROM items WHERE commitment_id IS NOT NULL) x
    WHERE n > 1;
    IF shared IS NOT NULL THEN
        RAISE EXCEPTION 'items share commitments: %; each commitment must belong to one item: check them in the '
            'cloud console and correct the items before upgrading', shared;
    END IF;
END $$;
CREATE UNIQUE INDEX items_one_per_commitment ON items (split_part(type, '-', 1), commitment_id)
    WHERE commitment_id IS NOT NULL;

-- The commitments other items of an account and type hold (for the guard), and the items of an
-- account and type being bought now.
CREATE INDEX items_account_type ON items (cloud_account, type);
