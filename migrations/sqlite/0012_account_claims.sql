-- A member enrolled at a till has no password. Signing up on the web with the same phone opens a
-- claim: the password it will take, and the digest of a code the claimant was shown. A cashier
-- or admin who checks the person at the till types the code, and only then the account takes
-- the password; a wrong code closes the claim.
CREATE TABLE account_claims (
    account_id    INTEGER PRIMARY KEY REFERENCES accounts (id),
    password_hash TEXT NOT NULL,
    code_digest   TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
