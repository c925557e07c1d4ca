-- Inventory and recommendations (issue 15). Each refresh of one (kind, account, type) writes a generation;
-- only a complete generation becomes current, in the same transaction that stores its rows, so a failed
-- refresh never replaces good data with half of new data: the previous generation stays current, marked stale.

CREATE TABLE insight_generations (
    id           bigserial   PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('inventory', 'recommendations')),
    account_id   uuid        NOT NULL REFERENCES accounts (id),
    type         text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('RUNNING', 'COMPLETE', 'FAILED')),
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    error        text,
    row_count    integer
);

-- freshness per (kind, account, type): the current (last good) generation and whether the last attempt failed
CREATE TABLE insight_sources (
    kind               text        NOT NULL,
    account_id         uuid        NOT NULL REFERENCES accounts (id),
    type               text        NOT NULL,
    current_generation bigint      REFERENCES insight_generations (id),
    refreshed_at       timestamptz,
    last_attempt_at    timestamptz NOT NULL,
    stale              boolean     NOT NULL DEFAULT false,
    stale_reason       text,
    PRIMARY KEY (kind, account_id, type)
);

CREATE TABLE recommendations (
    id                      uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    generation_id           bigint      NOT NULL REFERENCES insight_generations (id),
    account_id              uuid        NOT NULL REFERENCES accounts (id),
    cloud                   text        NOT NULL,
    type                    text        NOT NULL,
    region                  text        NOT NULL,
    offering                text        NOT NULL,
    quantity                integer     NOT NULL CHECK (quantity >= 1),
    hourly_commitment       numeric,
    term                    text        NOT NULL,
    payment                 text,
    attributes              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    currency                text        NOT NULL,
    monthly_savings         numeric     NOT NULL,
    upfront_cost            numeric,
    monthly_recurring_cost  numeric,
    break_even_months       numeric,
    lookback                text        NOT NULL,
    cloud_recommendation_id text,
    etag                    text,
    generated_at            timestamptz,
    details                 jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX recommendations_generation ON recommendations (generation_id);

CREATE TABLE held_commitments (
    generation_id     bigint      NOT NULL REFERENCES insight_generations (id),
    account_id        uuid        NOT NULL REFERENCES accounts (id),
    cloud             text        NOT NULL,
    type              text        NOT NULL,
    region            text        NOT NULL,
    commitment_id     text        NOT NULL,
    commitment_key    text,
    offering          text        NOT NULL,
    offering_id       text,
    quantity          integer     NOT NULL,
    hourly_commitment numeric,
    term              text,
    payment           text,
    start_at          timestamptz,
    end_at            timestamptz,
    state             text        NOT NULL,
    active            boolean     NOT NULL,
    currency          text,
    upfront           numeric,
    recurring_hourly  numeric,
    auto_renew        boolean,
    attributes        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (generation_id, commitment_id)
);
CREATE INDEX items_commitment_id ON items (commitment_id) WHERE commitment_id IS NOT NULL;

-- a recommendation generation proposed once: its purchase, whoever proposes it again
CREATE TABLE recommendation_proposals (
    recommendation_id uuid        PRIMARY KEY REFERENCES recommendations (id),
    execution_id      uuid        NOT NULL REFERENCES executions (id),
    proposed_by       text        NOT NULL,
    proposed_at       timestamptz NOT NULL DEFAULT now(),
    scale             text        NOT NULL,
    override_reason   text
);
