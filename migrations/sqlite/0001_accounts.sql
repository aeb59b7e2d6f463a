-- Accounts, cards, role history and sessions. Times are Unix milliseconds (UTC).
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    phone         TEXT UNIQUE,
    email         TEXT UNIQUE,
    password_hash TEXT NOT NULL,
    roles         INTEGER NOT NULL CHECK (roles >= 0),
    first_name    TEXT,
    last_name     TEXT,
    birthday      TEXT,
    city          TEXT,
    gender        TEXT CHECK (gender IN ('female', 'male', 'other')),
    search_key    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    CHECK (phone IS NOT NULL OR email IS NOT NULL)
);

CREATE TABLE cards (
    number     TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    issued_at  INTEGER NOT NULL,
    retired_at INTEGER
);
-- At most one card in use per account.
CREATE UNIQUE INDEX cards_in_use ON cards (account_id) WHERE retired_at IS NULL;

CREATE TABLE role_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    by_account_id INTEGER NOT NULL REFERENCES accounts (id),
    old_roles     INTEGER NOT NULL,
    new_roles     INTEGER NOT NULL,
    at            INTEGER NOT NULL
);
CREATE INDEX role_changes_account ON role_changes (account_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
