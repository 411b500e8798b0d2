-- Foundation: people, roles, conversation state, processed updates, audit log, reference data.

CREATE TABLE provinces (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,              -- 'city' or 'province'
    former      TEXT NOT NULL DEFAULT '[]', -- JSON list of pre-2025 names merged into it
    position    INTEGER NOT NULL
);

CREATE TABLE entity_types (
    code        TEXT PRIMARY KEY,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE producers (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    entity_type     TEXT NOT NULL REFERENCES entity_types(code),
    contact_person  TEXT NOT NULL,
    phone           TEXT NOT NULL,          -- E.164
    province_code   TEXT NOT NULL REFERENCES provinces(code),
    commune         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX producers_province ON producers(province_code, commune);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    channel             TEXT NOT NULL,      -- 'telegram', 'zalo', 'terminal'
    external_id         TEXT NOT NULL,
    chat_id             TEXT NOT NULL,
    locale              TEXT NOT NULL DEFAULT 'vi',
    producer_id         INTEGER REFERENCES producers(id) ON DELETE SET NULL,
    consent_at          TEXT,
    reminders_on        INTEGER NOT NULL DEFAULT 1,
    announcements_on    INTEGER NOT NULL DEFAULT 1,
    active              INTEGER NOT NULL DEFAULT 1,   -- 0 after the channel says unreachable
    created_at          TEXT NOT NULL,
    last_seen_at        TEXT NOT NULL,
    UNIQUE (channel, external_id)
);
CREATE INDEX users_producer ON users(producer_id);

CREATE TABLE roles (
    user_id         INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('officer', 'admin')),
    province_code   TEXT REFERENCES provinces(code),
    granted_by      TEXT NOT NULL,
    granted_at      TEXT NOT NULL
);

CREATE TABLE conversations (
    user_id         INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    step            TEXT NOT NULL,
    data            TEXT NOT NULL DEFAULT '{}',   -- JSON: answers of the step in progress
    offered         TEXT NOT NULL DEFAULT '[]',   -- JSON: choices the last menu offered
    menu_version    INTEGER NOT NULL DEFAULT 0,
    last_choice     TEXT,
    updated_at      TEXT NOT NULL
);

CREATE TABLE drafts (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE processed_updates (
    update_key      TEXT PRIMARY KEY,
    processed_at    TEXT NOT NULL
);
CREATE INDEX processed_updates_age ON processed_updates(processed_at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,      -- 'telegram:123', 'cli', …
    action      TEXT NOT NULL,
    subject     TEXT,
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_action ON audit_log(action, at);
