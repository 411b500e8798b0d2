-- The officers' web console: one-time sign-in links asked for in chat, and the sessions they
-- open. Only hashes of the secrets are kept, so a copy of the database opens no session.

CREATE TABLE web_links (
    token_hash      TEXT PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT
);

CREATE TABLE web_sessions (
    token_hash      TEXT PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    ended_at        TEXT
);

CREATE INDEX web_sessions_user ON web_sessions(user_id);
