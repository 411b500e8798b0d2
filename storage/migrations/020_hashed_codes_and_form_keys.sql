-- One-time codes are kept only as SHA-256 digests (storage/hashing.py), as the console's
-- sign-in links already were. Codes handed out before this version are hashed in place, so
-- they keep working: `sha256_hex` is the digest, registered on the connection by
-- storage/db.py before migrations run. A digest is 64 characters, a code 12 digits.
UPDATE link_codes SET code = sha256_hex(code) WHERE length(code) <> 64;
UPDATE officer_invites SET code = sha256_hex(code) WHERE length(code) <> 64;
UPDATE claim_codes SET code = sha256_hex(code) WHERE length(code) <> 64;

-- The console's broadcast form carries a one-time key: sent twice (a double click, a reload),
-- it queues once.
ALTER TABLE broadcasts ADD COLUMN form_key TEXT;
CREATE UNIQUE INDEX broadcasts_form_key ON broadcasts(form_key) WHERE form_key IS NOT NULL;
