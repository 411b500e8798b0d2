-- Proactive messages (notices, announcements, reminders) wait here until a sender delivers them.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users(id) ON DELETE CASCADE,
    channel         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,              -- 'notice', 'announcement', 'reminder'
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
    broadcast_id    INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(channel, status, not_before);
CREATE INDEX outbox_user_sent ON outbox(user_id, sent_at);
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status);
