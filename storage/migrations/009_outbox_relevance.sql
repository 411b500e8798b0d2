-- Each outbox row carries how long it stays relevant: transient errors (5xx, timeouts, the
-- network down) are retried until then, never dropped by an outage. Rows from before get a
-- week from when they were queued.
ALTER TABLE outbox ADD COLUMN expires_at TEXT;
UPDATE outbox SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+7 days')
    WHERE expires_at IS NULL;
