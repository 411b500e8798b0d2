-- Province figures: the year's targets an officer sets, the former (pre-2025) province a
-- producer was registered in, and which provinces get the monthly report.

CREATE TABLE targets (
    province_code   TEXT NOT NULL REFERENCES provinces(code),
    year            INTEGER NOT NULL,
    scope           TEXT NOT NULL DEFAULT '',   -- '' the province; 'stars:4'; 'commune:<name>'
    products        INTEGER NOT NULL CHECK (products >= 0),  -- newly certified products
    set_by          TEXT NOT NULL,
    set_at          TEXT NOT NULL,
    PRIMARY KEY (province_code, year, scope)
);

CREATE TABLE producer_origins (                 -- filled by imports of the former lists
    producer_id     INTEGER PRIMARY KEY REFERENCES producers(id) ON DELETE CASCADE,
    former_province TEXT NOT NULL
);
CREATE INDEX producer_origins_former ON producer_origins(former_province);

CREATE TABLE report_schedules (                 -- provinces whose officers get the report monthly
    province_code   TEXT PRIMARY KEY REFERENCES provinces(code),
    set_by          TEXT NOT NULL,
    set_at          TEXT NOT NULL
);

-- The figures read people by their last visit.

CREATE INDEX IF NOT EXISTS users_seen ON users(producer_id, last_seen_at);
-- A product's latest certified result, found without reading its other results.
CREATE INDEX IF NOT EXISTS certifications_latest ON certifications(product_id, certified);
