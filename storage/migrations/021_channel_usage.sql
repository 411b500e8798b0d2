-- What the bot has used of a channel's monthly plan (Zalo counts every message, "typing…"
-- included), and whether the platform has said the plan is used up. One row per channel and
-- month; the month is the bot's local month ('2026-12'), when such plans renew.

CREATE TABLE channel_usage (
    channel         TEXT NOT NULL,
    month           TEXT NOT NULL,
    used            INTEGER NOT NULL DEFAULT 0,
    paused_until    TEXT,              -- UTC; sends wait until then (the quota ran out)
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (channel, month)
);
