-- The ledger's journal and its request log are append-only in the database too, like the
-- fairness log (0006): a posting or a stored receipt, once written, is never changed or removed.
-- The app only ever INSERTs into these tables (store/ledger_sql.rs); a correction is a new
-- posting, never an edit.

CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'ledger_transfers is append-only');
END;

CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'ledger_transfers is append-only');
END;

CREATE TRIGGER ledger_requests_no_update BEFORE UPDATE ON ledger_requests
BEGIN
    SELECT RAISE(ABORT, 'ledger_requests is append-only');
END;

CREATE TRIGGER ledger_requests_no_delete BEFORE DELETE ON ledger_requests
BEGIN
    SELECT RAISE(ABORT, 'ledger_requests is append-only');
END;
