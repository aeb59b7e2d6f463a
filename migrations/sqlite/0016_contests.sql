-- Leaderboard contests: their rules, who joined, the published board and the prizes won.

-- `spec` is the engine's checked `ContestSpec` as JSON, fixed once CONTEST_OPEN is logged.
-- `stage`: open (scores count from starts_at to ends_at), finished (standings frozen, prizes
-- paid and CONTEST_RESULT logged). `raffle` is the draw of a contest whose prizes are drawn.
CREATE TABLE contests (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id  TEXT NOT NULL UNIQUE,
    spec        TEXT NOT NULL,
    ends_at     INTEGER NOT NULL,
    stage       TEXT NOT NULL DEFAULT 'open' CHECK (stage IN ('open', 'finished')),
    entrants    INTEGER NOT NULL DEFAULT 0 CHECK (entrants >= 0),
    open_leaf   INTEGER REFERENCES fairlog_records (leaf_index),
    result_leaf INTEGER REFERENCES fairlog_records (leaf_index),
    raffle      INTEGER REFERENCES raffles (id),
    board_at    INTEGER,
    created_at  INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX contests_due ON contests (stage, ends_at);

-- A member in a contest: join order, the pseudonym the board and the log show, the client seed
-- of their ticket if the prizes are drawn, and the join request a retry gets answered from.
CREATE TABLE contest_entrants (
    contest     INTEGER NOT NULL REFERENCES contests (id),
    member      INTEGER NOT NULL REFERENCES accounts (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    pseudonym   TEXT NOT NULL CHECK (length(pseudonym) = 64),
    client_seed TEXT NOT NULL CHECK (length(client_seed) = 64),
    client_key  TEXT NOT NULL,
    request     TEXT NOT NULL,
    answer      TEXT NOT NULL,
    joined_at   INTEGER NOT NULL,
    PRIMARY KEY (contest, member),
    UNIQUE (contest, seq)
);

-- The standings last published (every scheduler tick while open; the frozen ones once
-- finished). Each reader ranks them itself, as the Redis board does.
CREATE TABLE contest_board (
    contest    INTEGER NOT NULL REFERENCES contests (id),
    member     INTEGER NOT NULL REFERENCES accounts (id),
    score      INTEGER NOT NULL CHECK (score > 0),
    reached_at INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    pseudonym  TEXT NOT NULL,
    PRIMARY KEY (contest, member)
);
CREATE INDEX contest_board_order ON contest_board (contest, score DESC, reached_at, seq);

-- Prizes won by rank, written with their payment and CONTEST_RESULT.
CREATE TABLE contest_awards (
    contest INTEGER NOT NULL REFERENCES contests (id),
    member  INTEGER NOT NULL REFERENCES accounts (id),
    rank    INTEGER NOT NULL CHECK (rank > 0),
    score   INTEGER NOT NULL,
    prize   TEXT NOT NULL,
    PRIMARY KEY (contest, member)
);

-- The per-member reads of the referral metric.
CREATE INDEX earn_events_member ON earn_events (member, at);
