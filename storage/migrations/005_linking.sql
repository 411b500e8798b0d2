-- One person, several channel accounts: one-time link codes, and which account gets notices.

CREATE TABLE link_codes (
    code        TEXT PRIMARY KEY,               -- six digits, shown on one account
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,                           -- set once, when typed on the other account
    used_by     INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX link_codes_user ON link_codes(user_id);

CREATE TABLE link_attempts (                    -- wrong codes typed, to slow down guessing
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at          TEXT NOT NULL
);
CREATE INDEX link_attempts_user ON link_attempts(user_id, at);

CREATE TABLE notify_targets (                   -- the account a producer's notices go to
    producer_id INTEGER PRIMARY KEY REFERENCES producers(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    chosen_at   TEXT NOT NULL
);

CREATE TABLE producer_merges (                  -- a profile given up when two accounts linked
    id              INTEGER PRIMARY KEY,
    dropped_id      INTEGER NOT NULL,           -- the producer id that was merged away
    kept_id         INTEGER NOT NULL REFERENCES producers(id) ON DELETE CASCADE,
    moved           TEXT NOT NULL DEFAULT '{}', -- JSON: table → rows moved to the kept profile
    merged_at       TEXT NOT NULL,
    merged_by       INTEGER REFERENCES users(id) ON DELETE SET NULL
);
