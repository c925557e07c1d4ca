-- Issue 16: plans that propose purchases from recommendations on a cadence, in ladders.

CREATE TABLE plans (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name                  text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- scope: empty arrays mean every account / type / region
    accounts              uuid[]      NOT NULL DEFAULT '{}',
    types                 text[]      NOT NULL DEFAULT '{}',
    regions               text[]      NOT NULL DEFAULT '{}',
    -- Spring cron (second minute hour day month weekday), evaluated in UTC
    cadence               text        NOT NULL,
    -- ladder: at most this share of each recommendation per cycle, and/or at most this many items per cycle
    ladder_percent        numeric     CHECK (ladder_percent > 0 AND ladder_percent <= 100),
    ladder_max_items      integer     CHECK (ladder_max_items BETWEEN 1 AND 200),
    min_savings_percent   numeric     CHECK (min_savings_percent >= 0 AND min_savings_percent <= 100),
    max_break_even_months numeric     CHECK (max_break_even_months >= 0),
    renew_within_days     integer     CHECK (renew_within_days BETWEEN 1 AND 366),
    mode                  text        NOT NULL CHECK (mode IN ('propose', 'auto-approve')),
    review_hours          integer     CHECK (review_hours BETWEEN 1 AND 720),
    status                text        NOT NULL CHECK (status IN ('PENDING_APPROVAL', 'ACTIVE', 'PAUSED')),
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    approved_by           text,
    approved_at           timestamptz,
    next_run_at           timestamptz,
    CONSTRAINT auto_approve_has_window CHECK ((mode = 'auto-approve') = (review_hours IS NOT NULL))
);
CREATE INDEX plans_due ON plans (next_run_at) WHERE status = 'ACTIVE';

-- One row per cycle that ran: the cycle is the cron slot it belongs to (run-now runs the current
-- slot), so a re-run of a cycle finds its row and its purchase by the same Idempotency-Key.
CREATE TABLE plan_cycles (
    plan_id      uuid        NOT NULL REFERENCES plans (id),
    cycle        timestamptz NOT NULL,
    ran_at       timestamptz NOT NULL DEFAULT now(),
    runs         integer     NOT NULL DEFAULT 1,
    trigger      text        NOT NULL CHECK (trigger IN ('schedule', 'run-now')),
    execution_id uuid        REFERENCES executions (id),
    items        integer     NOT NULL DEFAULT 0,
    detail       text,
    PRIMARY KEY (plan_id, cycle)
);

-- A purchase a plan proposed; with auto-approve, approved at auto_approve_at unless someone rejected it.
CREATE TABLE plan_proposals (
    execution_id     uuid        PRIMARY KEY REFERENCES executions (id),
    plan_id          uuid        NOT NULL REFERENCES plans (id),
    cycle            timestamptz NOT NULL,
    auto_approve_at  timestamptz,
    auto_result      text
);
CREATE INDEX plan_proposals_due ON plan_proposals (auto_approve_at) WHERE auto_approve_at IS NOT NULL
    AND auto_result IS NULL;

-- Held commitments a plan proposed to renew (replace before they expire): each once per plan.
CREATE TABLE plan_renewals (
    plan_id        uuid        NOT NULL REFERENCES plans (id),
    commitment_id  text        NOT NULL,
    cycle          timestamptz NOT NULL,
    execution_id   uuid        NOT NULL REFERENCES executions (id),
    PRIMARY KEY (plan_id, commitment_id)
);
