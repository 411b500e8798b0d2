-- Rating rounds with their deadlines, products entered in them, trainings and enrolments.
-- Every time is UTC text (storage/timefmt.py); dates typed without a time are stored as the
-- local start or end of that day.

CREATE TABLE rounds (
    id                      INTEGER PRIMARY KEY,
    name                    TEXT NOT NULL,              -- "Đợt II năm 2026"
    province_code           TEXT NOT NULL REFERENCES provinces(code),
    kinds                   TEXT NOT NULL DEFAULT '["first","rerating","upgrade"]', -- JSON list
    registration_opens_at   TEXT NOT NULL,
    registration_deadline   TEXT NOT NULL,
    dossier_deadline        TEXT NOT NULL,
    council_at              TEXT NOT NULL,
    results_at              TEXT NOT NULL,
    note                    TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'cancelled')),
    created_by              TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    UNIQUE (province_code, name)
);
CREATE INDEX rounds_province ON rounds(province_code, status, registration_deadline);

CREATE TABLE round_entries (
    id              INTEGER PRIMARY KEY,
    round_id        INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    product_id      INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    producer_id     INTEGER NOT NULL REFERENCES producers(id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'entered' CHECK (status IN ('entered', 'withdrawn')),
    entered_at      TEXT NOT NULL,
    withdrawn_at    TEXT,
    UNIQUE (round_id, product_id)
);
CREATE INDEX round_entries_producer ON round_entries(producer_id, status);

CREATE TABLE training_topics (
    code        TEXT PRIMARY KEY,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE trainings (
    id                      INTEGER PRIMARY KEY,
    title                   TEXT NOT NULL,
    topic_code              TEXT NOT NULL REFERENCES training_topics(code),
    province_code           TEXT NOT NULL REFERENCES provinces(code),   -- who organises it
    starts_at               TEXT NOT NULL,
    ends_at                 TEXT NOT NULL,
    place                   TEXT NOT NULL DEFAULT '',   -- an address, or empty when online
    online_url              TEXT NOT NULL DEFAULT '',
    capacity                INTEGER NOT NULL CHECK (capacity > 0),
    audience                TEXT NOT NULL DEFAULT 'province'
                            CHECK (audience IN ('all', 'province', 'commune', 'group')),
    audience_value          TEXT NOT NULL DEFAULT '',   -- commune name or product group code
    registration_deadline   TEXT NOT NULL,
    status                  TEXT NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'cancelled')),
    created_by              TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
CREATE INDEX trainings_upcoming ON trainings(status, starts_at);

CREATE TABLE enrolments (
    id              INTEGER PRIMARY KEY,
    training_id     INTEGER NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('enrolled', 'waiting', 'cancelled')),
    queued_at       TEXT NOT NULL,              -- order of the waiting list
    updated_at      TEXT NOT NULL,
    UNIQUE (training_id, user_id)
);
CREATE INDEX enrolments_training ON enrolments(training_id, status, queued_at);
CREATE INDEX enrolments_user ON enrolments(user_id, status);
