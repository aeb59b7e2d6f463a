-- The fairness log (`fairlog/v1`): one append-only RFC 6962 log per deployment.

-- Leaf `leaf_index` is a record's canonical bytes (`record`, UTF-8 JSON) and its leaf hash
-- H(0x00 ‖ record) in lowercase hex, so proofs are computed from this column alone. Indices are
-- dense from 0: an append takes the next one while holding the log's lock (here a transaction
-- advisory lock) until it commits; the primary key refuses an index written twice.
CREATE TABLE fairlog_records (
    leaf_index BIGINT PRIMARY KEY CHECK (leaf_index >= 0),
    kind       TEXT NOT NULL,
    record     TEXT NOT NULL,
    leaf_hash  TEXT NOT NULL CHECK (length(leaf_hash) = 64),
    at         BIGINT NOT NULL
);

-- Append-only in the database too: a record once logged is never changed or removed.
CREATE FUNCTION fairlog_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'fairlog_records is append-only';
END;
$$;

CREATE TRIGGER fairlog_records_no_change BEFORE UPDATE OR DELETE ON fairlog_records
    FOR EACH ROW EXECUTE FUNCTION fairlog_records_append_only();

CREATE TRIGGER fairlog_records_no_truncate BEFORE TRUNCATE ON fairlog_records
    FOR EACH STATEMENT EXECUTE FUNCTION fairlog_records_append_only();
