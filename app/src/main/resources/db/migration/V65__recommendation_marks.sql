-- What Pledge told the cloud about a proposal it bought (GCP Recommender: markClaimed, then markSucceeded with the
-- etag each mark returns). NULL: not told yet; CLAIMED: claimed, succeeded still to send; SUCCEEDED: done;
-- REFUSED: the cloud refused a mark (cloud_mark_error says why), not tried again.
ALTER TABLE recommendation_proposals
    ADD COLUMN cloud_mark       text CHECK (cloud_mark IN ('CLAIMED', 'SUCCEEDED', 'REFUSED')),
    ADD COLUMN cloud_etag       text,
    ADD COLUMN cloud_marked_at  timestamptz,
    ADD COLUMN cloud_mark_error text;
