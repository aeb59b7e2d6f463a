-- A member's lots that still hold points, without the drawn-out ones: what a purchase reads
-- (only those of them that are due), however long the member's history.
CREATE INDEX ledger_lots_open ON ledger_lots (member) WHERE remaining > 0;
