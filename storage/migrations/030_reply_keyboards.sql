-- Chats where a one-time reply keyboard (Telegram's "share my phone" button) is showing:
-- it stays on the person's screen until the bot removes it, also across a restart.
CREATE TABLE reply_keyboards (
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    shown_at    TEXT NOT NULL,          -- UTC
    PRIMARY KEY (channel, chat_id)
);
