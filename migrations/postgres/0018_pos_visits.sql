-- How many purchases each member has made: what the earning rules' visit conditions read, kept
-- as a counter so that a purchase never counts the member's whole history.
CREATE TABLE pos_visits (
    member BIGINT PRIMARY KEY REFERENCES accounts (id),
    visits BIGINT NOT NULL CHECK (visits >= 0)
);

INSERT INTO pos_visits (member, visits) SELECT member, COUNT(*) FROM pos_purchases GROUP BY member;
