-- Products certified before the bot: a province's existing lists imported as real products and
-- certificates. Their producers have no chat account until a person proves the producer is
-- theirs (a claim): by a Telegram contact matching the imported phone, a one-time code an
-- officer draws, or an officer's approval.

CREATE TABLE imported_producers (               -- a producer created by an import (unclaimed)
    producer_id     INTEGER PRIMARY KEY REFERENCES producers(id) ON DELETE CASCADE,
    entity_known    INTEGER NOT NULL,           -- 0: the list did not say; entity_type is a guess
    imported_by     TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    claimed_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    claimed_at      TEXT,
    claimed_how     TEXT                        -- 'contact', 'code', 'officer'
);

CREATE TABLE imported_products (                -- what the list said beyond the product itself
    product_id      INTEGER PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
    certification_id INTEGER REFERENCES certifications(id) ON DELETE SET NULL,
    imported_as     INTEGER NOT NULL,           -- the producer the list named (kept after a claim)
    name_key        TEXT NOT NULL,              -- the product name folded, to find it again
    former_province TEXT,                       -- the pre-2025 province the list named
    authority       TEXT NOT NULL,              -- 'province', 'district', 'ministry'
    authority_text  TEXT NOT NULL DEFAULT '',   -- as written ("UBND tỉnh Trà Vinh")
    score_known     INTEGER NOT NULL,           -- 0: the list gave no score
    decision_year   INTEGER,                    -- when the list gives only a year
    source_row      INTEGER NOT NULL,
    imported_at     TEXT NOT NULL
);
CREATE INDEX imported_products_key ON imported_products(imported_as, name_key);

CREATE TABLE claim_codes (                      -- one-time codes an officer draws for a claim
    code            TEXT PRIMARY KEY,
    producer_id     INTEGER NOT NULL REFERENCES producers(id) ON DELETE CASCADE,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT,
    used_by         INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX claim_codes_producer ON claim_codes(producer_id);

CREATE TABLE claim_requests (                   -- claims waiting for an officer's approval
    id              INTEGER PRIMARY KEY,
    producer_id     INTEGER NOT NULL REFERENCES producers(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    decided_by      TEXT,
    approved        INTEGER
);
CREATE INDEX claim_requests_open ON claim_requests(producer_id, decided_at);
