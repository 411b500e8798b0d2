-- The commune's step (26/2026/QĐ-TTg): a commune officer role (one commune of one province),
-- the commune's check of each dossier (received, due on its 15th working day, the Mẫu 03
-- assessment, forwarded to the province or returned), and the days off beyond the public
-- holidays of Vietnam (a province's own, or a make-up day off) kept as data.

CREATE TABLE roles_new (
    user_id         INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('officer', 'admin', 'commune_officer')),
    province_code   TEXT REFERENCES provinces(code),
    commune         TEXT,                       -- a commune officer's commune, as granted
    commune_key     TEXT,                       -- the same, folded, to match producers'
    granted_by      TEXT NOT NULL,
    granted_at      TEXT NOT NULL
);
INSERT INTO roles_new (user_id, role, province_code, granted_by, granted_at)
    SELECT user_id, role, province_code, granted_by, granted_at FROM roles;
DROP TABLE roles;
ALTER TABLE roles_new RENAME TO roles;
CREATE INDEX roles_commune ON roles(province_code, commune_key);

CREATE TABLE commune_reviews (
    id              INTEGER PRIMARY KEY,
    product_id      INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    province_code   TEXT NOT NULL,
    commune         TEXT NOT NULL,              -- as the producer wrote it
    commune_key     TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    due_on          TEXT NOT NULL,              -- yyyy-mm-dd: the last working day of the check
    assessment      TEXT NOT NULL DEFAULT '{}', -- JSON: Mẫu 03 answers
    decided_at      TEXT,
    decided_by      TEXT,
    outcome         TEXT CHECK (outcome IN ('forwarded', 'returned'))
);
CREATE INDEX commune_reviews_open ON commune_reviews(province_code, commune_key, decided_at);
CREATE INDEX commune_reviews_product ON commune_reviews(product_id, decided_at);

CREATE TABLE extra_days_off (
    day             TEXT PRIMARY KEY,           -- yyyy-mm-dd
    name            TEXT NOT NULL,
    added_by        TEXT NOT NULL,
    added_at        TEXT NOT NULL
);

-- Communes are real places: the ward/commune code after the 2025 reform (vietnam-provinces)
-- once the typed name is matched, and the text as the person or the list wrote it.
ALTER TABLE producers ADD COLUMN commune_code INTEGER;
ALTER TABLE producers ADD COLUMN commune_typed TEXT;   -- NULL: not looked at yet
CREATE INDEX producers_commune_code ON producers(commune_code);

-- An invite may make a commune officer (of one commune of the invite's province).
ALTER TABLE officer_invites ADD COLUMN role TEXT NOT NULL DEFAULT 'officer'
    CHECK (role IN ('officer', 'commune_officer'));
ALTER TABLE officer_invites ADD COLUMN commune TEXT;
