-- Earning events owed because something else committed: an invitee's first purchase, a new
-- member's sign-up. Each row is written in the transaction of its cause and deleted in the
-- transaction that pays it (under its own client id, so a payment is never made twice); rows
-- left by a crash are paid by the next housekeeping round.
CREATE TABLE award_outbox (
    client_id  TEXT PRIMARY KEY,
    member     INTEGER NOT NULL REFERENCES accounts (id),
    occasion   TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX award_outbox_age ON award_outbox (created_at);
