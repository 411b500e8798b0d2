-- The OCOP criteria (each product set's criteria and options, with points and the star level
-- an option is the minimum for), kept per version ("26/2026"), and producers' self-assessments
-- (tự chấm điểm), each made with one version so an old one still reads right later.

CREATE TABLE criteria_versions (
    version     TEXT PRIMARY KEY,
    loaded_at   TEXT NOT NULL,
    loaded_by   TEXT NOT NULL,
    current     INTEGER NOT NULL DEFAULT 0   -- 1 for the version new self-assessments use
);

CREATE TABLE criteria_sets (
    version         TEXT NOT NULL REFERENCES criteria_versions(version) ON DELETE CASCADE,
    set_no          INTEGER NOT NULL,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    disqualification TEXT NOT NULL DEFAULT '',
    star_legend     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (version, set_no)
);

CREATE TABLE criteria (
    version     TEXT NOT NULL,
    set_no      INTEGER NOT NULL,
    code        TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT '',
    section     TEXT NOT NULL CHECK (section IN ('A', 'B', 'C')),
    depth       INTEGER NOT NULL,
    label       TEXT NOT NULL,
    max_points  REAL NOT NULL,
    kind        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    PRIMARY KEY (version, set_no, section, code),
    FOREIGN KEY (version, set_no) REFERENCES criteria_sets(version, set_no) ON DELETE CASCADE
);

CREATE TABLE criteria_options (
    version         TEXT NOT NULL,
    set_no          INTEGER NOT NULL,
    section         TEXT NOT NULL,
    criterion_code  TEXT NOT NULL,
    option_no       INTEGER NOT NULL,
    case_key        TEXT NOT NULL DEFAULT '',
    label           TEXT NOT NULL,
    points          REAL NOT NULL,
    min_star        INTEGER CHECK (min_star IN (3, 4, 5)),
    PRIMARY KEY (version, set_no, section, criterion_code, option_no),
    FOREIGN KEY (version, set_no, section, criterion_code)
        REFERENCES criteria(version, set_no, section, code) ON DELETE CASCADE
);

CREATE TABLE criteria_evidence (
    version     TEXT NOT NULL REFERENCES criteria_versions(version) ON DELETE CASCADE,
    row_no      INTEGER NOT NULL,
    content     TEXT NOT NULL,
    required    TEXT NOT NULL,
    PRIMARY KEY (version, row_no)
);

CREATE TABLE self_assessments (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL UNIQUE REFERENCES products(id) ON DELETE CASCADE,
    version     TEXT NOT NULL REFERENCES criteria_versions(version),
    set_no      INTEGER NOT NULL,
    position    TEXT NOT NULL DEFAULT '',    -- the criterion key the producer stopped at
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    finished_at TEXT,
    score       REAL,                         -- points, kept when the result is shown
    stars       INTEGER                       -- the stars the product can expect
);

CREATE TABLE self_assessment_answers (
    assessment_id   INTEGER NOT NULL REFERENCES self_assessments(id) ON DELETE CASCADE,
    criterion_key   TEXT NOT NULL,            -- "A:1.1"
    option_no       INTEGER,                  -- NULL: "chưa rõ" (counted 0)
    answered_at     TEXT NOT NULL,
    PRIMARY KEY (assessment_id, criterion_key)
);
