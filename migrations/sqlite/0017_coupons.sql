-- The partner coupon marketplace: partner brands, their users and API keys, listings, the codes
-- of each listing, members' buys and partners' redemptions.

CREATE TABLE partners (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name_fa    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- An account that acts for a partner (role partner, scoped to this brand only).
CREATE TABLE partner_users (
    account  INTEGER PRIMARY KEY REFERENCES accounts (id),
    partner  INTEGER NOT NULL REFERENCES partners (id),
    added_at INTEGER NOT NULL
);

-- Keys of the partner REST API; only the SHA-256 is kept. `label` names where it is used.
CREATE TABLE partner_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    partner    INTEGER NOT NULL REFERENCES partners (id),
    label      TEXT NOT NULL,
    digest     TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- `spec` is the engine's checked `ListingSpec` as JSON. `stock` counts the codes loaded, `sold`
-- those assigned and `held` those set aside as prizes of open raffles; a buy checks
-- `sold + held < stock` under the listing's lock.
CREATE TABLE coupon_listings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    partner    INTEGER NOT NULL REFERENCES partners (id),
    spec       TEXT NOT NULL,
    category   TEXT NOT NULL,
    stock      INTEGER NOT NULL CHECK (stock >= 0),
    sold       INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    held       INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0 AND sold + held <= stock),
    created_at INTEGER NOT NULL
);

-- Every code, once: unique per partner, so a redemption finds it by the partner's key. A code is
-- free until a buy assigns it to one member (`buy`), or held for a raffle's prize (`held_for`)
-- until the draw gives it to the winner; it is used once.
CREATE TABLE coupon_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    listing    INTEGER NOT NULL REFERENCES coupon_listings (id),
    partner    INTEGER NOT NULL REFERENCES partners (id),
    code       TEXT NOT NULL,
    member     INTEGER REFERENCES accounts (id),
    buy        INTEGER,
    sold_at    INTEGER,
    used_at    INTEGER,
    used_place TEXT,
    held_for   TEXT,
    UNIQUE (partner, code),
    CHECK ((member IS NULL) = (buy IS NULL)),
    CHECK (used_at IS NULL OR member IS NOT NULL)
);
CREATE INDEX coupon_codes_free ON coupon_codes (listing, id) WHERE member IS NULL AND held_for IS NULL;
CREATE INDEX coupon_codes_held ON coupon_codes (held_for) WHERE held_for IS NOT NULL;
CREATE INDEX coupon_codes_member ON coupon_codes (member);

-- Every buy, by the member's idempotency key, with the settlement price owed for it.
CREATE TABLE coupon_buys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    listing     INTEGER NOT NULL REFERENCES coupon_listings (id),
    member      INTEGER NOT NULL REFERENCES accounts (id),
    client_key  TEXT NOT NULL,
    request     TEXT NOT NULL,
    answer      TEXT NOT NULL,
    code        INTEGER NOT NULL REFERENCES coupon_codes (id),
    points      INTEGER NOT NULL CHECK (points >= 0),
    settlement  INTEGER NOT NULL CHECK (settlement >= 0),
    at          INTEGER NOT NULL,
    UNIQUE (listing, member, client_key)
);
CREATE INDEX coupon_buys_at ON coupon_buys (listing, at);

-- Every redemption a partner asked for, by its own id: a retry replays the stored answer.
CREATE TABLE coupon_redemptions (
    partner     INTEGER NOT NULL REFERENCES partners (id),
    external_id TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    status      INTEGER NOT NULL,
    answer      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (partner, external_id)
);
