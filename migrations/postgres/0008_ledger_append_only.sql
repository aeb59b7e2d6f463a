-- The ledger's journal and its request log are append-only in the database too, like the
-- fairness log (0006): a posting or a stored receipt, once written, is never changed or removed.
-- The app only ever INSERTs into these tables (store/ledger_sql.rs); a correction is a new
-- posting, never an edit. TRUNCATE fires no row trigger, so a statement trigger refuses it too.

CREATE FUNCTION ledger_transfers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_transfers is append-only';
END;
$$;

CREATE TRIGGER ledger_transfers_no_change BEFORE UPDATE OR DELETE ON ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION ledger_transfers_append_only();

CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfers_append_only();

CREATE FUNCTION ledger_requests_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_requests is append-only';
END;
$$;

CREATE TRIGGER ledger_requests_no_change BEFORE UPDATE OR DELETE ON ledger_requests
    FOR EACH ROW EXECUTE FUNCTION ledger_requests_append_only();

CREATE TRIGGER ledger_requests_no_truncate BEFORE TRUNCATE ON ledger_requests
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_requests_append_only();
