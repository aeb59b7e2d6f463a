-- The club's configuration and the till's records: earning policy versions, branches and their
-- API keys, POS idempotency records, purchases recorded at a till, limit usage and tier state.
-- Amounts are integers (points, or hundredths of a rial); times are Unix milliseconds (UTC).

-- Every version of the earning policy; the newest row is the one in force.
CREATE TABLE club_policies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    document   TEXT NOT NULL,
    -- NULL when the system stored it (a new installation, the demo).
    created_by INTEGER REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE branches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- A key is shown once; only its SHA-256 is kept, and a prefix to tell keys apart.
CREATE TABLE branch_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id  INTEGER NOT NULL REFERENCES branches (id),
    key_hash   TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX branch_keys_branch ON branch_keys (branch_id);

-- Purchases recorded at a till. The id is the ledger's purchase id.
CREATE TABLE pos_purchases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id   INTEGER NOT NULL REFERENCES branches (id),
    external_id TEXT NOT NULL,
    member      INTEGER NOT NULL REFERENCES accounts (id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    occurred_at INTEGER NOT NULL,
    recorded_by INTEGER REFERENCES accounts (id),
    created_at  INTEGER NOT NULL,
    UNIQUE (branch_id, external_id)
);
CREATE INDEX pos_purchases_member ON pos_purchases (member);

-- Every POS write that succeeded, by the till's own id: a retry replays the stored answer.
CREATE TABLE pos_requests (
    branch_id   INTEGER NOT NULL REFERENCES branches (id),
    kind        TEXT NOT NULL CHECK (kind IN ('purchase', 'return', 'redemption')),
    external_id TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    status      INTEGER NOT NULL,
    response    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (branch_id, kind, external_id)
);

-- Points each limited rule gave each member per period (`PeriodKey` text).
CREATE TABLE earn_usage (
    member INTEGER NOT NULL REFERENCES accounts (id),
    rule   TEXT NOT NULL,
    period TEXT NOT NULL,
    points INTEGER NOT NULL CHECK (points >= 0),
    PRIMARY KEY (member, rule, period)
);

CREATE TABLE tier_states (
    member      INTEGER PRIMARY KEY REFERENCES accounts (id),
    tier        TEXT NOT NULL,
    since       INTEGER NOT NULL,
    below_since INTEGER
);

-- What counts towards a tier, per measure; returns add negative rows.
CREATE TABLE tier_contributions (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    member  INTEGER NOT NULL REFERENCES accounts (id),
    measure TEXT NOT NULL CHECK (measure IN ('points_earned', 'amount_spent', 'visits')),
    at      INTEGER NOT NULL,
    value   INTEGER NOT NULL
);
CREATE INDEX tier_contributions_member ON tier_contributions (member, measure, at);
