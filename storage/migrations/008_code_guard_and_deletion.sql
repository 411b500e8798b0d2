-- Wrong invite and link codes are counted per account by a salted hash of the account
-- (channel and account id), not by the user row: personal data deletion keeps the count, so
-- deleting one's data does not reset the limit. The whole bot's count comes from the same rows.

CREATE TABLE code_failures (
    id              INTEGER PRIMARY KEY,
    account_hash    TEXT NOT NULL,      -- HMAC-SHA256 of 'channel:id' with the salt below
    at              TEXT NOT NULL
);
CREATE INDEX code_failures_account ON code_failures(account_hash, at);
CREATE INDEX code_failures_at ON code_failures(at);

CREATE TABLE db_secrets (                -- drawn once per database, never shown
    name    TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
INSERT INTO db_secrets (name, value) VALUES ('account_hash_salt', lower(hex(randomblob(32))));

-- Counted by user row until now (and deleted with the data); a count at most an hour old is
-- all it held.
DROP TABLE link_attempts;

-- A message to someone else about a producer (an officer told of a new dossier): personal
-- data deletion of that producer blanks it.
ALTER TABLE outbox ADD COLUMN about_producer INTEGER REFERENCES producers(id) ON DELETE SET NULL;
CREATE INDEX outbox_about ON outbox(about_producer);
