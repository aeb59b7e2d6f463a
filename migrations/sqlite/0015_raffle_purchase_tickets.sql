-- Raffles that give a ticket for each purchase of at least an amount: the scheduler finds the
-- purchases recorded while a raffle is open by time, and remembers those that earned nothing
-- (the member was at the limit or not in an admitted tier) so they are not asked about again.
CREATE INDEX pos_purchases_created_at ON pos_purchases (created_at);

CREATE TABLE raffle_purchase_skips (
    raffle   INTEGER NOT NULL REFERENCES raffles (id),
    purchase INTEGER NOT NULL REFERENCES pos_purchases (id),
    PRIMARY KEY (raffle, purchase)
);
