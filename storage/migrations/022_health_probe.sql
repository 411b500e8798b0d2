-- One row the health check rewrites: proves the database file can still be written to
-- (a full disk or a read-only mount fails here before a person's message does).
CREATE TABLE health_probe (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    at      TEXT NOT NULL
);
