-- One-time codes an admin gives to a new officer, typed in chat to take the role.

CREATE TABLE officer_invites (
    code            TEXT PRIMARY KEY,               -- six digits
    province_code   TEXT NOT NULL REFERENCES provinces(code),
    created_by      TEXT NOT NULL,                  -- the admin's account, 'telegram:123'
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT,
    used_by         INTEGER REFERENCES users(id) ON DELETE SET NULL
);
