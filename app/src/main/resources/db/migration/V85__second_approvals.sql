-- Issue 16: a purchase above pledge.purchases.second-approval-above needs two approvals by two people
-- besides its creator. The first approval is recorded here and leaves the purchase PENDING_APPROVAL; the
-- second moves it to APPROVED (executions.approved_by) and is recorded here too.
CREATE TABLE execution_approvals (
    execution_id  uuid        NOT NULL REFERENCES executions (id),
    actor         text        NOT NULL,
    owner         text        NOT NULL,
    approved_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (execution_id, owner)
);
