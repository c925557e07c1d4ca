-- Notifications (issue 17): a transactional outbox. A row is written in the transaction of the change it
-- announces, so a change that rolls back announces nothing and one that commits is never lost. The
-- dispatcher routes each row to its deliveries (one per channel and recipient), then sends them at least
-- once with retries; the notification's id is stable across retries, so receivers can drop duplicates.

CREATE TABLE notifications (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- the event kind, e.g. purchase-pending-approval, commitment-expiring (NotificationEvent)
    event         text        NOT NULL CHECK (event ~ '^[a-z]+(-[a-z]+)*$'),
    -- at most one notification per subject: purchase:<id>:<attempt>:<event>,
    -- commitment:<account>:<commitment id>:<days>, budget:<id>:<period>:<percent>, ...
    dedupe_key    text        NOT NULL UNIQUE,
    -- the purchase announced, if any (no foreign key: the outbox never holds up a change to executions)
    execution_id  uuid,
    -- what the event is about, as it was when it happened
    payload       jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    -- set when the deliveries were written (in the same transaction)
    routed_at     timestamptz
);

CREATE INDEX notifications_unrouted ON notifications (occurred_at, id) WHERE routed_at IS NULL;
CREATE INDEX notifications_execution ON notifications (execution_id) WHERE execution_id IS NOT NULL;

CREATE TABLE notification_deliveries (
    notification_id  uuid        NOT NULL REFERENCES notifications (id),
    channel          text        NOT NULL CHECK (channel IN ('email', 'webhook', 'log')),
    -- an email address, or the configured name of a webhook
    target           text        NOT NULL CHECK (length(target) BETWEEN 1 AND 320),
    status           text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    -- claims so far; a claim counts even when its sender dies before it reports
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- when a PENDING delivery may be claimed: after a backoff, or when a claim's visibility timeout ends
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    claimed_by       text,
    last_error       text,
    sent_at          timestamptz,
    failed_at        timestamptz,
    PRIMARY KEY (notification_id, channel, target),
    CONSTRAINT sent_has_time CHECK ((status = 'SENT') = (sent_at IS NOT NULL)),
    CONSTRAINT failed_has_error CHECK ((status = 'FAILED') = (failed_at IS NOT NULL AND last_error IS NOT NULL))
);

CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notification_deliveries_failed ON notification_deliveries (failed_at DESC) WHERE status = 'FAILED';

-- Approvers are reached by the person who owns their key. The security work (issue 16) adds this column
-- with its own migration; on a database that has it already this does nothing.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS owner text;

-- The event a status change announces, or NULL. RUNNING and CONFIRMING are the engine's business, and
-- RUNNING/CONFIRMING -> APPROVED is a hand-back (a release at shutdown), not an approval: nobody hears.
CREATE FUNCTION purchase_notification_event(old_status text, new_status text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
               WHEN new_status = 'PENDING_APPROVAL' THEN 'purchase-pending-approval'
               WHEN new_status = 'APPROVED' AND (old_status IS NULL OR old_status = 'PENDING_APPROVAL')
                   THEN 'purchase-approved'
               WHEN new_status = 'SUCCEEDED' THEN 'purchase-succeeded'
               WHEN new_status = 'PARTIALLY_SUCCEEDED' THEN 'purchase-partially-succeeded'
               WHEN new_status = 'FAILED' THEN 'purchase-failed'
               WHEN new_status = 'EXPIRED' THEN 'purchase-expired'
               WHEN new_status = 'REJECTED' THEN 'purchase-rejected'
               WHEN new_status = 'CANCELED' THEN 'purchase-canceled'
           END
$$;

-- Writes the outbox row of a status change. Deferred to the end of the transaction, so the payload lists
-- the items written after the execution row (create) or in the same statement (finish); the row it
-- announces is NEW as of the change. A retried or repeated change within one attempt announces once.
CREATE FUNCTION enqueue_purchase_notification() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous text;
    kind text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        previous := OLD.status;
    END IF;
    kind := purchase_notification_event(previous, NEW.status);
    IF kind IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO notifications (event, dedupe_key, execution_id, payload)
    VALUES (kind, 'purchase:' || NEW.id || ':' || NEW.attempt || ':' || kind, NEW.id,
            jsonb_build_object(
                'id', NEW.id,
                'status', NEW.status,
                'previousStatus', previous,
                'description', NEW.description,
                'createdBy', NEW.created_by,
                'createdAt', NEW.created_at,
                'approvedBy', NEW.approved_by,
                'rejectedBy', NEW.rejected_by,
                'rejectReason', NEW.reject_reason,
                'canceledBy', NEW.canceled_by,
                'attempt', NEW.attempt,
                'lastError', NEW.last_error,
                'items', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                              'position', i.position, 'type', i.type, 'account', i.cloud_account,
                                              'region', i.region, 'offering', i.offering, 'quantity', i.quantity,
                                              'term', i.term, 'payment', i.payment, 'status', i.status,
                                              'commitmentId', i.commitment_id, 'error', i.error)
                                          ORDER BY i.position)
                                   FROM items i WHERE i.execution_id = NEW.id), '[]'::jsonb)))
    ON CONFLICT (dedupe_key) DO NOTHING;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER executions_notify_insert AFTER INSERT ON executions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION enqueue_purchase_notification();

CREATE CONSTRAINT TRIGGER executions_notify_status AFTER UPDATE OF status ON executions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION enqueue_purchase_notification();
