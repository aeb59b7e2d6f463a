-- The points ledger (engine::ledger). Amounts are integers: points, or credit in hundredths of a
-- rial. Times are Unix milliseconds (UTC). The CHECKs are a backstop: the planner never proposes
-- a value they would refuse.

-- One row per member who ever had a ledger write: the balances, and the row a write locks.
CREATE TABLE ledger_members (
    member         BIGINT PRIMARY KEY REFERENCES accounts (id),
    points         BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0),
    pending_points BIGINT NOT NULL DEFAULT 0 CHECK (pending_points >= 0),
    owed_points    BIGINT NOT NULL DEFAULT 0 CHECK (owed_points >= 0),
    credit         BIGINT NOT NULL DEFAULT 0 CHECK (credit >= 0),
    owed_credit    BIGINT NOT NULL DEFAULT 0 CHECK (owed_credit >= 0)
);

-- Purchases that earned, and how much of each came back. The id is the till's purchase id.
CREATE TABLE ledger_purchases (
    id              BIGINT PRIMARY KEY,
    member          BIGINT NOT NULL REFERENCES ledger_members (member),
    total           BIGINT NOT NULL CHECK (total >= 0),
    returned        BIGINT NOT NULL CHECK (returned >= 0 AND returned <= total),
    points_earned   BIGINT NOT NULL CHECK (points_earned >= 0),
    points_reversed BIGINT NOT NULL CHECK (points_reversed >= 0 AND points_reversed <= points_earned),
    credit_earned   BIGINT NOT NULL CHECK (credit_earned >= 0),
    credit_reversed BIGINT NOT NULL CHECK (credit_reversed >= 0 AND credit_reversed <= credit_earned),
    at              BIGINT NOT NULL
);
CREATE INDEX ledger_purchases_member ON ledger_purchases (member);

-- Points grouped by expiry; drawn-out lots stay as history.
CREATE TABLE ledger_lots (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member        BIGINT NOT NULL REFERENCES ledger_members (member),
    earned_at     BIGINT NOT NULL,
    expires_at    BIGINT,
    pending_until BIGINT,
    purchase      BIGINT REFERENCES ledger_purchases (id),
    original      BIGINT NOT NULL CHECK (original > 0),
    remaining     BIGINT NOT NULL CHECK (remaining >= 0 AND remaining <= original)
);
CREATE INDEX ledger_lots_member ON ledger_lots (member, id);
-- What the expiry and unlock job looks for.
CREATE INDEX ledger_lots_expiry ON ledger_lots (expires_at) WHERE remaining > 0;
CREATE INDEX ledger_lots_unlock ON ledger_lots (pending_until) WHERE remaining > 0;

-- The journal: append-only, one row per posting. A member account has a member; a system
-- account (the club's) has none.
CREATE TABLE ledger_transfers (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id    TEXT NOT NULL,
    from_member  BIGINT REFERENCES ledger_members (member),
    from_account TEXT NOT NULL,
    to_member    BIGINT REFERENCES ledger_members (member),
    to_account   TEXT NOT NULL,
    asset        TEXT NOT NULL CHECK (asset IN ('points', 'credit')),
    amount       BIGINT NOT NULL CHECK (amount > 0),
    kind         TEXT NOT NULL,
    at           BIGINT NOT NULL,
    CHECK ((from_member IS NULL) = (from_account IN ('issuance', 'redemption', 'expiry', 'adjustment'))),
    CHECK ((to_member IS NULL) = (to_account IN ('issuance', 'redemption', 'expiry', 'adjustment')))
);
CREATE INDEX ledger_transfers_from ON ledger_transfers (from_member, id);
CREATE INDEX ledger_transfers_to ON ledger_transfers (to_member, id);
CREATE INDEX ledger_transfers_client ON ledger_transfers (client_id);

-- Every write that succeeded, by its idempotency key: a retry replays the stored receipt.
CREATE TABLE ledger_requests (
    client_id TEXT PRIMARY KEY,
    request   TEXT NOT NULL,
    receipt   TEXT NOT NULL,
    at        BIGINT NOT NULL
);
