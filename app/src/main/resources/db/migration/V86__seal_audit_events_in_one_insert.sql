-- Issue 18 (engine CPU): the sealer ran, per audit row, a plpgsql INSERT of its link and a call of
-- audit_link on the whole row: about 0.18 ms of database CPU per row, 0.7 ms per engine execution
-- (four audit rows each), a quarter of the database's CPU per execution. It now reads the batch's
-- canonical contents in one query, chains the hashes in the loop (the same expression as audit_link:
-- sha256 of the previous hash, '' for the first, followed by audit_event_content, UTF-8, hex) and
-- writes every link in one INSERT. Same lock, same window, same order, same links: verify_audit_chain
-- (unchanged, it still uses audit_link) checks them.
CREATE OR REPLACE FUNCTION seal_audit_events(max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    head_seq  bigint;
    head_hash text;
    r         record;
    seqs      bigint[] := '{}';
    ids       bigint[] := '{}';
    hashes    text[] := '{}';
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.audit_chain'));
    SELECT seq, hash INTO head_seq, head_hash FROM audit_chain ORDER BY seq DESC LIMIT 1;
    head_seq := coalesce(head_seq, 0);
    FOR r IN
        SELECT a.id, audit_event_content(a) AS content FROM audit_events a
        WHERE a.id > coalesce((SELECT max(event_id) FROM audit_chain), 0) - 10000
          AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = a.id)
        ORDER BY a.id
        LIMIT max_rows
    LOOP
        head_seq := head_seq + 1;
        head_hash := encode(sha256(convert_to(coalesce(head_hash, '') || r.content, 'UTF8')), 'hex');
        seqs := array_append(seqs, head_seq);
        ids := array_append(ids, r.id);
        hashes := array_append(hashes, head_hash);
    END LOOP;
    INSERT INTO audit_chain (seq, event_id, hash) SELECT * FROM unnest(seqs, ids, hashes);
    RETURN cardinality(ids);
END $$;
