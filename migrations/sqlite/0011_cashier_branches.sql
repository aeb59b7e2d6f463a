-- The branches a cashier works at. The web till records at these only, so a cashier's
-- purchases, returns and credit payments stay within their branches; admins may use any.
CREATE TABLE cashier_branches (
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    branch_id  INTEGER NOT NULL REFERENCES branches (id),
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, branch_id)
);
