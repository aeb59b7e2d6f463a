-- Witnesses' cosignatures (C2SP tlog-cosignature/v1) of the log's checkpoints: each a witness's
-- signed statement that the checkpoint of `size` with `root` is consistent with every
-- earlier one it saw. `note` is the checkpoint with the log's and the witness's signature lines.
CREATE TABLE log_cosignatures (
    witness     TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    root        TEXT NOT NULL CHECK (length(root) = 64),
    signed_at   INTEGER NOT NULL,
    note        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (witness, size)
);
