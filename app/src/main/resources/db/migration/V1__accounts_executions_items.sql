-- Accounts Pledge may buy for, executions (purchase requests) and their line items.
-- Statuses are plain text with CHECK constraints so the SQL reads like the lifecycle in DESIGN.md.

CREATE TABLE accounts (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    cloud         text        NOT NULL CHECK (cloud IN ('aws', 'azure', 'gcp')),
    -- AWS account id, Azure billing scope / subscription, or GCP project
    external_id   text        NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- how to act for the account (role ARN + external id, tenant/client, ...); {} = default chain
    credentials   jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(credentials) = 'object'),
    enabled       boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cloud, external_id)
);

CREATE TABLE executions (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- never changes: every key sent to a cloud derives from it
    execution_token    text        NOT NULL UNIQUE,
    status             text        NOT NULL CHECK (status IN ('PENDING_APPROVAL', 'APPROVED', 'RUNNING', 'SUCCEEDED',
                                       'PARTIALLY_SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELED', 'EXPIRED')),
    description        text        NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    -- review window: approved work waits until then and can still be canceled
    not_before         timestamptz,
    created_by         text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
    created_at         timestamptz NOT NULL DEFAULT now(),
    approved_by        text,
    approved_at        timestamptz,
    rejected_by        text,
    rejected_at        timestamptz,
    reject_reason      text,
    canceled_by        text,
    canceled_at        timestamptz,
    expired_at         timestamptz,
    redriven_by        text,
    redriven_at        timestamptz,
    -- 1 for the first run, +1 per re-drive
    attempt            integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    -- claims within the current attempt; the lease sweep fails the execution after pledge.engine.max-claims
    claims             integer     NOT NULL DEFAULT 0 CHECK (claims >= 0),
    claimed_by         text,
    lease_until        timestamptz,
    started_at         timestamptz,
    finished_at        timestamptz,
    last_error         text,
    -- the API's Idempotency-Key and a hash of the request body it came with
    idempotency_key    text        CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash       text,
    -- a RUNNING execution is always owned; nothing else is
    CONSTRAINT running_has_owner CHECK ((status = 'RUNNING') = (claimed_by IS NOT NULL AND lease_until IS NOT NULL))
);

CREATE INDEX executions_created_keyset ON executions (created_at DESC, id DESC);
CREATE INDEX executions_status_created ON executions (status, created_at DESC, id DESC);
CREATE INDEX executions_claimable ON executions (not_before, approved_at) WHERE status = 'APPROVED';
CREATE INDEX executions_leases ON executions (lease_until) WHERE status = 'RUNNING';
CREATE INDEX executions_awaiting_approval ON executions (created_at) WHERE status = 'PENDING_APPROVAL';
CREATE UNIQUE INDEX executions_idempotency_key ON executions (created_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE items (
    execution_id        uuid        NOT NULL REFERENCES executions (id),
    position            integer     NOT NULL CHECK (position >= 0),
    account_id          uuid        NOT NULL REFERENCES accounts (id),
    -- the commitment request, column by column (CommitmentRequest)
    type                text        NOT NULL,
    cloud_account       text        NOT NULL,
    region              text        NOT NULL,
    offering            text        NOT NULL,
    quantity            integer     NOT NULL CHECK (quantity > 0),
    term                text        NOT NULL,
    payment             text,
    attributes          jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
    status              text        NOT NULL DEFAULT 'PENDING'
                                    CHECK (status IN ('PENDING', 'PURCHASING', 'BOUGHT', 'FAILED')),
    outcome             text        CHECK (outcome IN ('BOUGHT', 'ALREADY_OWNED', 'RECOVERED')),
    commitment_id       text,
    commitment_key      text,
    failure_kind        text        CHECK (failure_kind IN ('GUARD_UNDECIDED', 'REJECTED', 'OUTCOME_UNKNOWN', 'TRANSIENT')),
    error               text,
    attempts            integer     NOT NULL DEFAULT 0,
    attempt_started_at  timestamptz,
    attempt_finished_at timestamptz,
    PRIMARY KEY (execution_id, position),
    CONSTRAINT bought_has_commitment CHECK ((status = 'BOUGHT') = (commitment_id IS NOT NULL AND outcome IS NOT NULL))
);

CREATE INDEX items_account ON items (account_id);

-- Write-ahead record of every purchase attempt: written and committed before the cloud call,
-- finished after it. An attempt with no result is evidence that the cloud may have bought.
CREATE TABLE item_attempts (
    execution_id  uuid        NOT NULL,
    position      integer     NOT NULL,
    attempt       integer     NOT NULL,
    worker        text        NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    result        text        CHECK (result IN ('BOUGHT', 'ALREADY_OWNED', 'RECOVERED',
                                                'GUARD_UNDECIDED', 'REJECTED', 'OUTCOME_UNKNOWN', 'TRANSIENT')),
    PRIMARY KEY (execution_id, position, attempt),
    FOREIGN KEY (execution_id, position) REFERENCES items (execution_id, position)
);
