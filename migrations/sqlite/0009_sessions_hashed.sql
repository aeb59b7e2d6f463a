-- Sessions are stored under the SHA-256 of their id, so a copy of this table opens no session,
-- and end a fixed time after sign-in however active they are (ends_at). The rows before this
-- were stored under the plain id: they are dropped, and everyone signs in again once.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN ends_at INTEGER NOT NULL DEFAULT 0;
