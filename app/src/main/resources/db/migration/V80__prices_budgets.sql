-- Issue 16: quoted prices, price ceilings and budgets.

-- 1. An item may fail PRICE_CHANGED: the executor's re-quote right before buying was above the
--    approved price; nothing was bought. (WAITED is issue 14's attempt result, kept here so the
--    constraint is the same whichever migration ran first.)
ALTER TABLE items DROP CONSTRAINT items_failure_kind_check;
ALTER TABLE items ADD CONSTRAINT items_failure_kind_check
    CHECK (failure_kind IN ('GUARD_UNDECIDED', 'REJECTED', 'OUTCOME_UNKNOWN', 'TRANSIENT', 'PRICE_CHANGED'));
ALTER TABLE item_attempts DROP CONSTRAINT item_attempts_result_check;
ALTER TABLE item_attempts ADD CONSTRAINT item_attempts_result_check
    CHECK (result IN ('BOUGHT', 'ALREADY_OWNED', 'RECOVERED', 'GUARD_UNDECIDED', 'REJECTED', 'OUTCOME_UNKNOWN',
                      'TRANSIENT', 'WAITED', 'PRICE_CHANGED'));

-- 2. The quote each item got when its purchase was created (what the approver approves), and the
--    ceiling written at approval (the quote plus pledge.purchases.price-tolerance): the executor buys
--    only at or below the ceiling. Amounts are for the item's whole quantity, numeric (never float).
--    source 'unknown' = no price (currency and amounts NULL): such an item buys without a ceiling and
--    cannot be approved where a budget applies.
CREATE TABLE item_quotes (
    execution_id       uuid        NOT NULL,
    position           integer     NOT NULL,
    source             text        NOT NULL CHECK (source IN ('cloud', 'recommendation', 'unknown')),
    currency           text        CHECK (currency ~ '^[A-Z]{3}$'),
    upfront            numeric,
    recurring          numeric,
    recurring_unit     text        CHECK (recurring_unit IN ('hour', 'month')),
    hourly             numeric,
    monthly            numeric,
    term_months        integer     NOT NULL CHECK (term_months > 0),
    total              numeric,
    offering_id        text,
    quoted_at          timestamptz NOT NULL DEFAULT now(),
    ceiling_upfront    numeric,
    ceiling_recurring  numeric,
    PRIMARY KEY (execution_id, position),
    FOREIGN KEY (execution_id, position) REFERENCES items (execution_id, position),
    CONSTRAINT known_price_is_complete CHECK ((source = 'unknown') = (currency IS NULL)
        AND (currency IS NULL OR (upfront >= 0 AND recurring >= 0 AND total >= 0 AND recurring_unit IS NOT NULL)))
);

-- 3. Budgets: a monthly limit per currency for an account (scope = the account id) or the whole
--    organisation (scope = 'org'). What counts is the TOTAL COMMITMENT of an item (upfront plus every
--    recurring payment over the term), in the calendar month (UTC) it was approved: a commitment is
--    owed in full the moment it is bought, whatever the payment option, so a budget on the month's
--    cash alone would let a no-upfront 3-year purchase of any size through.
CREATE TABLE budgets (
    scope          text        NOT NULL CHECK (scope = 'org' OR scope ~ '^[0-9a-f-]{36}$'),
    currency       text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    monthly_limit  numeric     NOT NULL CHECK (monthly_limit >= 0),
    updated_by     text        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, currency)
);

-- Counters per budget key and month, moved in the transaction of the change that moves them:
-- reserved by an approval, spent when the item is bought (or the cloud accepted it), released when it
-- fails with nothing bought or its purchase is rejected, canceled or expires. Writers lock keys in
-- (scope, currency, month) order.
CREATE TABLE budget_usage (
    scope     text    NOT NULL,
    currency  text    NOT NULL,
    month     date    NOT NULL,
    reserved  numeric NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    spent     numeric NOT NULL DEFAULT 0 CHECK (spent >= 0),
    PRIMARY KEY (scope, currency, month)
);

-- What each item holds of each budget key.
CREATE TABLE budget_reservations (
    execution_id  uuid        NOT NULL,
    position      integer     NOT NULL,
    scope         text        NOT NULL,
    currency      text        NOT NULL,
    month         date        NOT NULL,
    amount        numeric     NOT NULL CHECK (amount >= 0),
    state         text        NOT NULL CHECK (state IN ('RESERVED', 'SPENT', 'RELEASED')),
    changed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (execution_id, position, scope),
    FOREIGN KEY (execution_id, position) REFERENCES items (execution_id, position)
);
CREATE INDEX budget_reservations_held ON budget_reservations (execution_id) WHERE state = 'RESERVED';

-- Moves the RESERVED reservations of one execution (of the items at positions, NULL = all) to
-- new_state, key by key in lock order, with the counters.
CREATE FUNCTION budget_settle(exec uuid, positions integer[], new_state text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM budget_reservations
             WHERE execution_id = exec AND (positions IS NULL OR position = ANY (positions)) AND state = 'RESERVED'
             ORDER BY scope, currency, month, position
    LOOP
        UPDATE budget_usage
           SET reserved = reserved - r.amount,
               spent = spent + CASE WHEN new_state = 'SPENT' THEN r.amount ELSE 0 END
         WHERE scope = r.scope AND currency = r.currency AND month = r.month;
        UPDATE budget_reservations SET state = new_state, changed_at = now()
         WHERE execution_id = r.execution_id AND position = r.position AND scope = r.scope;
    END LOOP;
END $$;

-- An item the cloud holds (bought, or accepted and confirming) spends its reservation; an item that
-- failed with nothing bought, and no earlier attempt that may have bought, gives it back.
CREATE FUNCTION budget_item_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('BOUGHT', 'CONFIRMING') THEN
        PERFORM budget_settle(NEW.execution_id, ARRAY[NEW.position], 'SPENT');
    ELSIF NEW.status = 'FAILED'
          AND NEW.failure_kind IN ('REJECTED', 'PRICE_CHANGED', 'TRANSIENT', 'GUARD_UNDECIDED')
          AND NOT EXISTS (SELECT 1 FROM item_attempts a
                          WHERE a.execution_id = NEW.execution_id AND a.position = NEW.position
                            AND (a.result = 'OUTCOME_UNKNOWN' OR (a.result IS NULL AND a.attempt < NEW.attempts))) THEN
        PERFORM budget_settle(NEW.execution_id, ARRAY[NEW.position], 'RELEASED');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER items_budget AFTER UPDATE OF status ON items
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION budget_item_moved();

-- A purchase that will not run gives back everything it holds; one that finished gives back what its
-- never-tried items hold (a re-drive reserves them again).
CREATE FUNCTION budget_execution_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('REJECTED', 'CANCELED', 'EXPIRED') THEN
        PERFORM budget_settle(NEW.id, NULL, 'RELEASED');
    ELSIF NEW.status IN ('FAILED', 'PARTIALLY_SUCCEEDED') THEN
        PERFORM budget_settle(NEW.id, ARRAY(SELECT position FROM items WHERE execution_id = NEW.id
                                             AND status = 'PENDING' AND attempts = 0), 'RELEASED');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER executions_budget AFTER UPDATE OF status ON executions
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION budget_execution_moved();
