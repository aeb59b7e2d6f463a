-- Why an admin corrected a member's points or credit: written in the same transaction as the
-- ledger's own record of the request (ledger_requests), under the same client id.
CREATE TABLE adjustments (
    client_id  TEXT PRIMARY KEY REFERENCES ledger_requests (client_id),
    member     BIGINT NOT NULL REFERENCES accounts (id),
    by_account BIGINT NOT NULL REFERENCES accounts (id),
    reason     TEXT NOT NULL CHECK (length(reason) > 0),
    at         BIGINT NOT NULL
);
CREATE INDEX adjustments_member ON adjustments (member, at);
