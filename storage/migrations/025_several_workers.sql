-- Several `ocop-bot run` workers on one database (PostgreSQL).

-- A row being sent is held by one worker until `lease_until` (UTC), renewed while it works;
-- past it (the worker died), another worker puts the row back in the queue.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
CREATE INDEX outbox_sending ON outbox(channel, chat_id) WHERE status = 'sending';

-- One holder at a time for the jobs that must run once in the deployment (the reminder
-- scheduler, a channel's poller): renewed by its holder, taken by another once expired.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL,          -- UTC
    taken_at    TEXT NOT NULL           -- UTC, when this holder took it
);

-- A channel's send slots, shared by every worker: the next free slot, in Unix seconds.
-- Workers reserve blocks of slots from it, so the channel's rate holds for the deployment.
CREATE TABLE send_pace (
    channel     TEXT PRIMARY KEY,
    next_free   REAL NOT NULL DEFAULT 0
);
