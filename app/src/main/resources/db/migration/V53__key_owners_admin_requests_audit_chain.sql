-- Issue 19: approvals tied to people, admin actions audited (and optionally confirmed by a second
-- admin), a tamper-evident audit trail.

-- Every key has an owner: a person's stable identity (an email, an SSO subject). Four-eyes compares
-- owners, not keys. Keys made before owners existed are each their own owner, which is the rule
-- they were made under.
ALTER TABLE api_keys ADD COLUMN owner text;
UPDATE api_keys SET owner = 'key:' || id;
ALTER TABLE api_keys ALTER COLUMN owner SET NOT NULL;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_owner_length CHECK (length(owner) BETWEEN 1 AND 200);
CREATE INDEX api_keys_active_admin_owners ON api_keys (owner) WHERE revoked_at IS NULL AND 'ADMIN' = ANY (roles);

-- The person behind an audit row's actor, filled in by the database for every writer (API, engine,
-- sweeps), so nobody can forget it: the owner of the key for 'key:<id>' actors, else the actor itself.
ALTER TABLE audit_events ADD COLUMN actor_owner text;

CREATE FUNCTION audit_events_set_actor_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.actor ~ '^key:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        NEW.actor_owner := (SELECT owner FROM api_keys WHERE id = CAST(substr(NEW.actor, 5) AS uuid));
    END IF;
    NEW.actor_owner := coalesce(NEW.actor_owner, NEW.actor);
    RETURN NEW;
END $$;

CREATE TRIGGER audit_events_actor_owner BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_set_actor_owner();

-- Admin actions waiting for a second admin (pledge.api.admin-four-eyes=true). The payload never
-- holds a secret in clear: account credentials in it are sealed like the accounts' own.
CREATE TABLE admin_requests (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    action        text        NOT NULL CHECK (action IN ('KEY_CREATE', 'KEY_REVOKE', 'ACCOUNT_REGISTER', 'ACCOUNT_UPDATE')),
    summary       text        NOT NULL,
    payload       jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    status        text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'FAILED')),
    requested_by  text        NOT NULL,
    requested_owner text      NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    decided_by    text,
    decided_owner text,
    decided_at    timestamptz,
    result        text,
    CONSTRAINT decided_has_actor CHECK ((status = 'PENDING') = (decided_by IS NULL))
);

CREATE INDEX admin_requests_pending ON admin_requests (requested_at) WHERE status = 'PENDING';

-- Tamper evidence: the audit chain. Each sealed audit row gets a link: SHA-256 (hex) over the
-- previous link's hash and the row's canonical content. Rows are sealed shortly after they commit
-- by one sealer at a time (seal_audit_events), in the order they are sealed, so writers never wait
-- for each other. A row changed or deleted after sealing no longer matches its link; a link changed
-- or deleted breaks the sequence or the next hash. verify_audit_chain() names the first broken row.
CREATE TABLE audit_chain (
    seq       bigint PRIMARY KEY CHECK (seq >= 1),
    event_id  bigint NOT NULL UNIQUE REFERENCES audit_events (id),
    hash      text   NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    sealed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

-- The canonical content of an audit row: a JSON array of its columns in a fixed order (null stays
-- null, so '' and null differ), timestamps in UTC with microseconds. Documented in app/API.md.
CREATE FUNCTION audit_event_content(e audit_events) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_array(e.id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                             e.actor, e.actor_owner, e.action, e.execution_id, e.item_position, e.from_status,
                             e.to_status, e.token_masked, e.detail)::text
$$;

CREATE FUNCTION audit_link(previous text, e audit_events) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(coalesce(previous, '') || audit_event_content(e), 'UTF8')), 'hex')
$$;

-- Seals up to max_rows committed rows not sealed yet, oldest id first; returns how many. Rows are
-- looked for among the last 10,000 ids before the newest sealed one (a transaction that stays open
-- longer than that many audit rows would leave its rows unsealed, and verify reports them).
CREATE FUNCTION seal_audit_events(max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    head_seq  bigint;
    head_hash text;
    e         audit_events;
    n         integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.audit_chain'));
    SELECT seq, hash INTO head_seq, head_hash FROM audit_chain ORDER BY seq DESC LIMIT 1;
    head_seq := coalesce(head_seq, 0);
    FOR e IN
        SELECT a.* FROM audit_events a
        WHERE a.id > coalesce((SELECT max(event_id) FROM audit_chain), 0) - 10000
          AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = a.id)
        ORDER BY a.id
        LIMIT max_rows
    LOOP
        head_seq := head_seq + 1;
        head_hash := audit_link(head_hash, e);
        INSERT INTO audit_chain (seq, event_id, hash) VALUES (head_seq, e.id, head_hash);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

-- Re-computes the whole chain. Returns no row when it holds, else the first problem: the link's
-- sequence number, the audit row's id and what is wrong with it.
CREATE FUNCTION verify_audit_chain() RETURNS TABLE (seq bigint, event_id bigint, problem text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    link     record;
    expected bigint := 1;
    previous text;
BEGIN
    FOR link IN
        SELECT c.seq, c.event_id, c.hash, e AS event, (e.id IS NULL) AS missing
        FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id
        ORDER BY c.seq
    LOOP
        IF link.seq <> expected THEN
            RETURN QUERY SELECT expected, NULL::bigint, 'link ' || expected || ' is missing (the chain jumps to '
                || link.seq || ')';
            RETURN;
        END IF;
        IF link.missing THEN
            RETURN QUERY SELECT link.seq, link.event_id, 'audit row ' || link.event_id || ' was deleted';
            RETURN;
        END IF;
        IF audit_link(previous, link.event) <> link.hash THEN
            RETURN QUERY SELECT link.seq, link.event_id, 'audit row ' || link.event_id
                || ' does not match its sealed hash (changed after it was written, or an earlier link was)';
            RETURN;
        END IF;
        previous := link.hash;
        expected := expected + 1;
    END LOOP;
    RETURN QUERY
        SELECT NULL::bigint, a.id, 'audit row ' || a.id || ' is older than sealed rows but not in the chain '
            || '(inserted around the sealer, or its link was deleted)'
        FROM audit_events a
        WHERE a.id < (SELECT max(c.event_id) FROM audit_chain c) - 10000
          AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = a.id)
        ORDER BY a.id LIMIT 1;
END $$;
