-- Products, their dossiers, review history and certifications; product reference data.

CREATE TABLE product_groups (
    code        TEXT PRIMARY KEY,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE product_sets (
    code        TEXT PRIMARY KEY,
    group_code  TEXT NOT NULL REFERENCES product_groups(code),
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE dossier_items (
    code        TEXT PRIMARY KEY,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    explain_vi  TEXT NOT NULL,
    explain_en  TEXT NOT NULL,
    groups      TEXT NOT NULL DEFAULT '[]',  -- JSON: group codes it applies to; [] = every group
    exclude     TEXT NOT NULL DEFAULT '[]',  -- JSON: group codes it never applies to
    position    INTEGER NOT NULL
);

CREATE TABLE star_bands (
    stars       INTEGER PRIMARY KEY CHECK (stars BETWEEN 1 AND 5),
    min_score   REAL NOT NULL,              -- lowest score of the band (inclusive)
    certified   INTEGER NOT NULL            -- 1 when the band earns a certificate
);

CREATE TABLE products (
    id                  INTEGER PRIMARY KEY,
    producer_id         INTEGER NOT NULL REFERENCES producers(id) ON DELETE CASCADE,
    name                TEXT NOT NULL DEFAULT '',
    group_code          TEXT REFERENCES product_groups(code),
    set_code            TEXT REFERENCES product_sets(code),
    application         TEXT CHECK (application IN ('first', 'rerating', 'upgrade')),
    current_stars       INTEGER CHECK (current_stars BETWEEN 3 AND 5),
    current_certificate TEXT,
    description         TEXT,
    raw_material        TEXT,
    origin              TEXT,
    status              TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'submitted', 'returned', 'accepted', 'rated',
                                          'certified', 'not_certified')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    submitted_at        TEXT
);
CREATE INDEX products_producer ON products(producer_id, status);
CREATE INDEX products_status ON products(status, submitted_at);

CREATE TABLE product_photos (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    file_id     TEXT NOT NULL,
    mime        TEXT,
    size        INTEGER,
    added_at    TEXT NOT NULL
);
CREATE INDEX product_photos_product ON product_photos(product_id);

CREATE TABLE dossier_marks (
    product_id  INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    item_code   TEXT NOT NULL REFERENCES dossier_items(code),
    how         TEXT NOT NULL CHECK (how IN ('file', 'paper')),
    channel     TEXT,
    file_id     TEXT,
    mime        TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (product_id, item_code)
);

CREATE TABLE product_events (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,   -- 'created', 'submitted', 'returned', 'accepted', 'rated', …
    actor       TEXT NOT NULL,   -- 'telegram:123', 'cli'
    note        TEXT
);
CREATE INDEX product_events_product ON product_events(product_id, id);

CREATE TABLE certifications (
    id                  INTEGER PRIMARY KEY,
    product_id          INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    score               REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
    stars               INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    certified           INTEGER NOT NULL,
    certificate_number  TEXT UNIQUE,             -- NULL when not certified
    decision_number     TEXT,
    decision_date       TEXT,                    -- yyyy-mm-dd (a calendar date)
    issued_on           TEXT,                    -- yyyy-mm-dd
    expires_on          TEXT,                    -- yyyy-mm-dd
    recorded_by         TEXT NOT NULL,
    created_at          TEXT NOT NULL
);
CREATE INDEX certifications_product ON certifications(product_id);
CREATE INDEX certifications_expiry ON certifications(certified, expires_on);
