-- Claims merge the imported producer into the account, invitations are printed for the
-- producers nobody has claimed yet, and each imported row is recognised again on a re-run.

CREATE TABLE producer_claims (                  -- an imported producer claimed and merged away
    imported_id     INTEGER PRIMARY KEY,        -- the imported producer's id (deleted on claim)
    province_code   TEXT NOT NULL,
    kept_id         INTEGER REFERENCES producers(id) ON DELETE SET NULL,
    claimed_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    claimed_how     TEXT NOT NULL,              -- 'contact', 'code', 'officer', 'link'
    claimed_at      TEXT NOT NULL,
    products        INTEGER NOT NULL            -- how many products moved to the account
);
CREATE INDEX producer_claims_province ON producer_claims(province_code, claimed_at);

CREATE TABLE producer_invitations (             -- an invitation printed for an unclaimed producer
    producer_id     INTEGER PRIMARY KEY,        -- no foreign key: kept after the claim's merge
    province_code   TEXT NOT NULL,
    first_at        TEXT NOT NULL,
    last_at         TEXT NOT NULL,
    printed_by      TEXT NOT NULL
);
CREATE INDEX producer_invitations_province ON producer_invitations(province_code);

-- What identifies a row of a list (province, producer, product, decision), so that importing
-- the same list again adds nothing, rows without a producer name included.
ALTER TABLE imported_products ADD COLUMN row_key TEXT;
CREATE INDEX imported_products_row ON imported_products(row_key);

-- Claims made before this version are recorded the same way, and the producer they left
-- behind keeps no personal data (it has no products and no account any more).
INSERT OR IGNORE INTO producer_claims
    (imported_id, province_code, kept_id, claimed_by, claimed_how, claimed_at, products)
SELECT i.producer_id, p.province_code, u.producer_id, i.claimed_by, coalesce(i.claimed_how, ''),
       i.claimed_at, 0
FROM imported_producers i JOIN producers p ON p.id = i.producer_id
LEFT JOIN users u ON u.id = i.claimed_by
WHERE i.claimed_at IS NOT NULL;
UPDATE producers SET name = '', contact_person = '', phone = ''
WHERE id IN (SELECT producer_id FROM imported_producers WHERE claimed_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.producer_id = producers.id)
  AND NOT EXISTS (SELECT 1 FROM products pr WHERE pr.producer_id = producers.id);

-- A registered person told once that an unclaimed imported producer has their phone or name
-- (an offer to claim: nothing is linked until they prove it). Ids only, no foreign keys:
-- merges and deletions leave nothing personal here.
CREATE TABLE claim_offers (
    imported_id     INTEGER NOT NULL,
    producer_id     INTEGER NOT NULL,
    offered_at      TEXT NOT NULL,
    PRIMARY KEY (imported_id, producer_id)
);
-- The scheduler looks for such matches every minute: by phone, and by name in a province.
CREATE INDEX producers_phone ON producers(phone);
CREATE INDEX producers_name ON producers(province_code, name);
