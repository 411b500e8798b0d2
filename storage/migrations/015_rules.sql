-- The rules in force as data: each value with the decision and article that state it, so an
-- officer corrects one without a release (seeded from storage/data/rules.json; edits kept).

CREATE TABLE rules (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('number', 'date', 'day_month', 'text')),
    decision    TEXT NOT NULL DEFAULT '',   -- '' a setting of the province, not of a decision
    article     TEXT NOT NULL DEFAULT '',
    checked     INTEGER NOT NULL DEFAULT 0, -- 1 once checked against the official gazette
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    position    INTEGER NOT NULL,
    updated_by  TEXT,
    updated_at  TEXT
);

CREATE TABLE revocation_grounds (
    code        TEXT PRIMARY KEY,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    decision    TEXT NOT NULL,
    article     TEXT NOT NULL,
    checked     INTEGER NOT NULL DEFAULT 0,
    position    INTEGER NOT NULL
);
