-- Spin wheels: their configuration, what remains of each prize, members' seed pairs, spins.

-- `spec` is the engine's checked `WheelSpec` as JSON; `live` wheels can be spun.
CREATE TABLE wheels (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    spec       TEXT NOT NULL,
    live       INTEGER NOT NULL DEFAULT 0 CHECK (live IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- What remains of each segment's stock and budget (NULL = unlimited). The CHECKs are the
-- backstop of the engine's rule that neither ever goes below zero.
CREATE TABLE wheel_left (
    wheel       INTEGER NOT NULL REFERENCES wheels (id),
    segment     INTEGER NOT NULL CHECK (segment >= 0),
    stock_left  INTEGER CHECK (stock_left >= 0),
    budget_left INTEGER CHECK (budget_left >= 0),
    PRIMARY KEY (wheel, segment)
);

-- Each distinct set of weights in force is logged once as WHEEL_CONFIG; spins name its hash.
CREATE TABLE wheel_configs (
    wheel      INTEGER NOT NULL REFERENCES wheels (id),
    wheel_hash TEXT NOT NULL CHECK (length(wheel_hash) = 64),
    leaf_index INTEGER NOT NULL REFERENCES fairlog_records (leaf_index),
    PRIMARY KEY (wheel, wheel_hash)
);

-- The name the log knows a member by: random, so the log does not reveal who spun.
CREATE TABLE fair_pseudonyms (
    member    INTEGER PRIMARY KEY REFERENCES accounts (id),
    pseudonym TEXT NOT NULL UNIQUE
);

-- Seed pairs: the server seed stays secret until `revealed_at`; one current pair per member.
CREATE TABLE spin_seed_pairs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    member        INTEGER NOT NULL REFERENCES accounts (id),
    server_seed   TEXT NOT NULL CHECK (length(server_seed) = 64),
    server_commit TEXT NOT NULL UNIQUE CHECK (length(server_commit) = 64),
    client_seed   TEXT NOT NULL CHECK (length(client_seed) BETWEEN 1 AND 64),
    next_nonce    INTEGER NOT NULL DEFAULT 0 CHECK (next_nonce >= 0),
    commit_leaf   INTEGER NOT NULL REFERENCES fairlog_records (leaf_index),
    reveal_leaf   INTEGER REFERENCES fairlog_records (leaf_index),
    created_at    INTEGER NOT NULL,
    revealed_at   INTEGER
);
CREATE UNIQUE INDEX spin_seed_pairs_current ON spin_seed_pairs (member) WHERE revealed_at IS NULL;

-- Extra spins won and not yet used, per member and wheel.
CREATE TABLE spin_bonus (
    member INTEGER NOT NULL REFERENCES accounts (id),
    wheel  INTEGER NOT NULL REFERENCES wheels (id),
    spins  INTEGER NOT NULL CHECK (spins >= 0),
    PRIMARY KEY (member, wheel)
);

-- Free spins used per member, wheel and period (`SpinPeriod::key`).
CREATE TABLE spin_free_use (
    member INTEGER NOT NULL REFERENCES accounts (id),
    wheel  INTEGER NOT NULL REFERENCES wheels (id),
    period TEXT NOT NULL,
    used   INTEGER NOT NULL CHECK (used >= 0),
    PRIMARY KEY (member, wheel, period)
);

-- Every spin, with the member's idempotency key and the answer a retry gets back.
CREATE TABLE spins (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    member     INTEGER NOT NULL REFERENCES accounts (id),
    wheel      INTEGER NOT NULL REFERENCES wheels (id),
    client_key TEXT NOT NULL,
    request    TEXT NOT NULL,
    pair       INTEGER NOT NULL REFERENCES spin_seed_pairs (id),
    nonce      INTEGER NOT NULL CHECK (nonce >= 0),
    segment    INTEGER NOT NULL CHECK (segment >= 0),
    round      INTEGER NOT NULL CHECK (round >= 0),
    leaf_index INTEGER NOT NULL REFERENCES fairlog_records (leaf_index),
    wheel_leaf INTEGER NOT NULL REFERENCES fairlog_records (leaf_index),
    answer     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    UNIQUE (member, client_key),
    UNIQUE (pair, nonce)
);
CREATE INDEX spins_recent ON spins (id DESC);
CREATE INDEX spins_of_member ON spins (member, id DESC);
