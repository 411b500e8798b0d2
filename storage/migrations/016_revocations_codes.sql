-- Revocations (thu hồi) of certification decisions, and the OCOP product code
-- (T)-(X)-(STT)-năm an officer types or a certified list brings.

CREATE TABLE revocations (
    id                  INTEGER PRIMARY KEY,
    certification_id    INTEGER NOT NULL UNIQUE REFERENCES certifications(id) ON DELETE CASCADE,
    ground              TEXT NOT NULL REFERENCES revocation_grounds(code),
    decision_number     TEXT NOT NULL,
    decision_date       TEXT NOT NULL,             -- yyyy-mm-dd
    recorded_by         TEXT NOT NULL,
    created_at          TEXT NOT NULL
);

ALTER TABLE products ADD COLUMN product_code TEXT;
CREATE UNIQUE INDEX products_code ON products(product_code) WHERE product_code IS NOT NULL;
