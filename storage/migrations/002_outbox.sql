-- Proactive messages (notices, announcements, reminders) wait here until a sender delivers them;
-- broadcasts are the officer announcements that fan out into outbox rows.

CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    officer_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor               TEXT NOT NULL,              -- 'telegram:123' of the officer
    province_code       TEXT,                       -- NULL: an admin's nationwide broadcast
    audience            TEXT NOT NULL DEFAULT '[]', -- JSON: [[filter key, value, label], …]
    text                TEXT NOT NULL,              -- the officer's text, as written
    urgent              INTEGER NOT NULL DEFAULT 0,
    not_before          TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'sending'
                        CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled')),
    total               INTEGER NOT NULL DEFAULT 0, -- recipients queued
    progress_channel    TEXT,                       -- where the edited progress message lives
    progress_chat_id    TEXT,
    progress_message_id TEXT,
    progress_locale     TEXT NOT NULL DEFAULT 'vi',
    created_at          TEXT NOT NULL,
    finished_at         TEXT
);
CREATE INDEX broadcasts_province ON broadcasts(province_code, id);
CREATE INDEX broadcasts_status ON broadcasts(status);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users(id) ON DELETE CASCADE,
    channel         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,              -- 'notice', 'announcement', 'reminder', 'progress'
    payload         TEXT NOT NULL,              -- JSON: {"text", "format", "photo"?, "document"?}
    dedupe_key      TEXT NOT NULL UNIQUE,
    urgent          INTEGER NOT NULL DEFAULT 0,
    cap_exempt      INTEGER NOT NULL DEFAULT 0, -- not counted against the per-user daily cap
    not_before      TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'retry', 'dead', 'failed',
                                      'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    broadcast_id    INTEGER REFERENCES broadcasts(id) ON DELETE CASCADE,
    message_id      TEXT,                       -- the channel's id of the sent message
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(channel, status, not_before);
CREATE INDEX outbox_user_sent ON outbox(user_id, sent_at);
CREATE INDEX outbox_user_status ON outbox(user_id, status);
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status);

-- The draft-nudge reminder looks drafts up by age.
CREATE INDEX IF NOT EXISTS drafts_idle ON drafts(updated_at);
