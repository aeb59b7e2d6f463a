-- The fairness log (`fairlog/v1`): one append-only RFC 6962 log per deployment.

-- Leaf `leaf_index` is a record's canonical bytes (`record`, UTF-8 JSON) and its leaf hash
-- H(0x00 ‖ record) in lowercase hex, so proofs are computed from this column alone. Indices are
-- dense from 0: an append takes the next one while holding the log's lock (here SQLite's write
-- lock) until it commits; the primary key refuses an index written twice.
CREATE TABLE fairlog_records (
    leaf_index INTEGER PRIMARY KEY CHECK (leaf_index >= 0),
    kind       TEXT NOT NULL,
    record     TEXT NOT NULL,
    leaf_hash  TEXT NOT NULL CHECK (length(leaf_hash) = 64),
    at         INTEGER NOT NULL
);

-- Append-only in the database too: a record once logged is never changed or removed.
CREATE TRIGGER fairlog_records_no_update BEFORE UPDATE ON fairlog_records
BEGIN
    SELECT RAISE(ABORT, 'fairlog_records is append-only');
END;

CREATE TRIGGER fairlog_records_no_delete BEFORE DELETE ON fairlog_records
BEGIN
    SELECT RAISE(ABORT, 'fairlog_records is append-only');
END;
