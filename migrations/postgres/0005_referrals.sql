-- Referrals, and the record of earning events other than purchases.

-- Each member's invite code (`engine::referral::InviteCode`), issued when first shown, and who
-- invited the member: set once, when the account is created through an invite link.
ALTER TABLE accounts ADD COLUMN invite_code TEXT;
ALTER TABLE accounts ADD COLUMN referred_by BIGINT REFERENCES accounts (id) CHECK (referred_by <> id);
CREATE UNIQUE INDEX accounts_invite_code ON accounts (invite_code);

-- Every non-purchase earning event that was evaluated, under the client id naming the occasion
-- (`signup-7`, `birthday-7-1404`, `referral-purchase-9`…), written in the award's transaction.
-- An occasion seen before pays nothing more, even when it first paid nothing (no ledger row).
CREATE TABLE earn_events (
    client_id TEXT PRIMARY KEY,
    member    BIGINT NOT NULL REFERENCES accounts (id),
    event     TEXT NOT NULL,
    points    BIGINT NOT NULL CHECK (points >= 0),
    at        BIGINT NOT NULL
);
