-- The branches a cashier works at. The web till records at these only, so a cashier's
-- purchases, returns and credit payments stay within their branches; admins may use any.
CREATE TABLE cashier_branches (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    branch_id  BIGINT NOT NULL REFERENCES branches (id),
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, branch_id)
);
