-- API keys of the web API. Only a SHA-256 hash of a key is stored: the key itself is shown once,
-- when it is created. A revoked key stays (audit events name it as their actor) but no longer works.
CREATE TABLE api_keys (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- hex SHA-256 of the whole key
    key_hash      text        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    -- Masking.mask(key): enough to recognise a key in a list, never enough to use it
    key_prefix    text        NOT NULL,
    roles         text[]      NOT NULL CHECK (cardinality(roles) >= 1
                                  AND roles <@ ARRAY['VIEWER', 'REQUESTER', 'APPROVER', 'ADMIN']::text[]),
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_by    text,
    revoked_at    timestamptz,
    CONSTRAINT revoked_has_actor CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

CREATE INDEX api_keys_active_admins ON api_keys (id) WHERE revoked_at IS NULL AND 'ADMIN' = ANY (roles);
