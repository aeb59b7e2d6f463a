-- Raffles on fairdraw/v1: their rules and draw state, entrants, tickets, buys and winners.

-- `spec` is the engine's checked `RaffleSpec` as JSON, fixed once DRAW_OPEN is logged.
-- `server_seed` stays secret until the close reveals it (DRAW_REVEAL, `reveal_leaf`).
-- `stage`: open (selling until closes_at), closed (entries frozen, seed revealed, waiting for
-- the beacon round), drawn (winners paid and DRAW_RESULT logged). `tickets` is N so far and the
-- next leaf index.
CREATE TABLE raffles (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draw_id          TEXT NOT NULL UNIQUE,
    spec             TEXT NOT NULL,
    server_seed      TEXT NOT NULL CHECK (length(server_seed) = 64),
    server_commit    TEXT NOT NULL CHECK (length(server_commit) = 64),
    round            BIGINT NOT NULL CHECK (round >= 0),
    closes_at        BIGINT NOT NULL,
    stage            TEXT NOT NULL DEFAULT 'open' CHECK (stage IN ('open', 'closed', 'drawn')),
    tickets          BIGINT NOT NULL DEFAULT 0 CHECK (tickets >= 0),
    open_leaf        BIGINT REFERENCES fairlog_records (leaf_index),
    close_leaf       BIGINT REFERENCES fairlog_records (leaf_index),
    reveal_leaf      BIGINT REFERENCES fairlog_records (leaf_index),
    result_leaf      BIGINT REFERENCES fairlog_records (leaf_index),
    entries_root     TEXT,
    total_weight     BIGINT,
    seed             TEXT,
    beacon_signature TEXT,
    created_at       BIGINT NOT NULL,
    drawn_at         BIGINT
);
CREATE INDEX raffles_due ON raffles (stage, closes_at);

-- A member in one raffle: the per-draw salt of their pseudonymous user commit, and how many
-- tickets they hold (the per-member limit is checked against it under the raffle's lock).
CREATE TABLE raffle_entrants (
    raffle      BIGINT NOT NULL REFERENCES raffles (id),
    member      BIGINT NOT NULL REFERENCES accounts (id),
    salt        TEXT NOT NULL CHECK (length(salt) = 32),
    user_commit TEXT NOT NULL CHECK (length(user_commit) = 64),
    tickets     BIGINT NOT NULL CHECK (tickets >= 0),
    PRIMARY KEY (raffle, member)
);

-- One buy request: the member's idempotency key, the digest of what was asked, the answer.
CREATE TABLE raffle_buys (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    raffle     BIGINT NOT NULL REFERENCES raffles (id),
    member     BIGINT NOT NULL REFERENCES accounts (id),
    client_key TEXT NOT NULL,
    request    TEXT NOT NULL,
    answer     TEXT NOT NULL,
    at         BIGINT NOT NULL,
    UNIQUE (raffle, member, client_key)
);

-- Each ticket is leaf `leaf_index` of the raffle's entries tree; weight is always 1.
CREATE TABLE raffle_tickets (
    raffle      BIGINT NOT NULL REFERENCES raffles (id),
    leaf_index  BIGINT NOT NULL CHECK (leaf_index >= 0),
    member      BIGINT NOT NULL REFERENCES accounts (id),
    buy         BIGINT NOT NULL REFERENCES raffle_buys (id),
    client_seed TEXT NOT NULL CHECK (length(client_seed) = 64),
    leaf_hash   TEXT NOT NULL CHECK (length(leaf_hash) = 64),
    PRIMARY KEY (raffle, leaf_index)
);
CREATE INDEX raffle_tickets_member ON raffle_tickets (member, raffle);

-- Winners in draw order, with the prize each got (JSON of the engine's prize line).
CREATE TABLE raffle_winners (
    raffle     BIGINT NOT NULL REFERENCES raffles (id),
    position   BIGINT NOT NULL CHECK (position >= 0),
    leaf_index BIGINT NOT NULL,
    member     BIGINT NOT NULL REFERENCES accounts (id),
    prize      TEXT NOT NULL,
    PRIMARY KEY (raffle, position),
    UNIQUE (raffle, member)
);
