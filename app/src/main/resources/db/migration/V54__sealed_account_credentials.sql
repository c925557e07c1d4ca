-- Issue 19: account credentials encrypted at rest (envelope: a data key per account, AES-256-GCM,
-- wrapped by a master key kept outside the database). The service moves any clear-text
-- credentials into these columns at its first start and empties the old column; it refuses to
-- start when the stored data keys were wrapped by another master key.
ALTER TABLE accounts
    ADD COLUMN credential_fields       text[] NOT NULL DEFAULT '{}',
    ADD COLUMN credentials_fingerprint text   CHECK (credentials_fingerprint ~ '^[0-9a-f]{16}$'),
    ADD COLUMN credentials_sealed      bytea,
    ADD COLUMN data_key_wrapped        bytea,
    ADD COLUMN master_key_id           text   CHECK (master_key_id ~ '^[0-9a-f]{16}$'),
    ADD CONSTRAINT sealed_is_whole CHECK ((credentials_sealed IS NULL) = (data_key_wrapped IS NULL)
        AND (credentials_sealed IS NULL) = (master_key_id IS NULL)
        AND (credentials_sealed IS NULL) = (credentials_fingerprint IS NULL));

COMMENT ON COLUMN accounts.credentials IS 'clear-text credentials of versions before V54; emptied at start';
