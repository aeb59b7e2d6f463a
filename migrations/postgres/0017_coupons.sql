-- The partner coupon marketplace: partner brands, their users and API keys, listings, the codes
-- of each listing, members' buys and partners' redemptions.

CREATE TABLE partners (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_fa    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- An account that acts for a partner (role partner, scoped to this brand only).
CREATE TABLE partner_users (
    account  BIGINT PRIMARY KEY REFERENCES accounts (id),
    partner  BIGINT NOT NULL REFERENCES partners (id),
    added_at BIGINT NOT NULL
);

-- Keys of the partner REST API; only the SHA-256 is kept. `label` names where it is used.
CREATE TABLE partner_keys (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner    BIGINT NOT NULL REFERENCES partners (id),
    label      TEXT NOT NULL,
    digest     TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- `spec` is the engine's checked `ListingSpec` as JSON. `stock` counts the codes loaded, `sold`
-- those assigned and `held` those set aside as prizes of open raffles; a buy checks
-- `sold + held < stock` under the listing's lock.
CREATE TABLE coupon_listings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner    BIGINT NOT NULL REFERENCES partners (id),
    spec       TEXT NOT NULL,
    category   TEXT NOT NULL,
    stock      BIGINT NOT NULL CHECK (stock >= 0),
    sold       BIGINT NOT NULL DEFAULT 0 CHECK (sold >= 0),
    held       BIGINT NOT NULL DEFAULT 0 CHECK (held >= 0 AND sold + held <= stock),
    created_at BIGINT NOT NULL
);

-- Every code, once: unique per partner, so a redemption finds it by the partner's key. A code is
-- free until a buy assigns it to one member (`buy`), or held for a raffle's prize (`held_for`)
-- until the draw gives it to the winner; it is used once.
CREATE TABLE coupon_codes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    listing    BIGINT NOT NULL REFERENCES coupon_listings (id),
    partner    BIGINT NOT NULL REFERENCES partners (id),
    code       TEXT NOT NULL,
    member     BIGINT REFERENCES accounts (id),
    buy        BIGINT,
    sold_at    BIGINT,
    used_at    BIGINT,
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
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    listing     BIGINT NOT NULL REFERENCES coupon_listings (id),
    member      BIGINT NOT NULL REFERENCES accounts (id),
    client_key  TEXT NOT NULL,
    request     TEXT NOT NULL,
    answer      TEXT NOT NULL,
    code        BIGINT NOT NULL REFERENCES coupon_codes (id),
    points      BIGINT NOT NULL CHECK (points >= 0),
    settlement  BIGINT NOT NULL CHECK (settlement >= 0),
    at          BIGINT NOT NULL,
    UNIQUE (listing, member, client_key)
);
CREATE INDEX coupon_buys_at ON coupon_buys (listing, at);

-- Every redemption a partner asked for, by its own id: a retry replays the stored answer.
CREATE TABLE coupon_redemptions (
    partner     BIGINT NOT NULL REFERENCES partners (id),
    external_id TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    status      BIGINT NOT NULL,
    answer      TEXT NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (partner, external_id)
);
