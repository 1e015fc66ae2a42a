-- Core tables of the reference server: accounts, login sessions, the per-user event log,
-- remembered answers (request de-duplication) and seen nonces. Portable between H2 and PostgreSQL.

CREATE TABLE accounts (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    carrier VARCHAR(200) NOT NULL,
    username VARCHAR(64) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    display_name VARCHAR(400) NOT NULL,
    status_message VARCHAR(800) NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT accounts_carrier_username UNIQUE (carrier, username)
);

CREATE TABLE login_sessions (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    account_id VARCHAR(64) NOT NULL REFERENCES accounts (id),
    app_key VARCHAR(200) NOT NULL,
    access_hash VARCHAR(64) NOT NULL,
    access_expires_at BIGINT NOT NULL,
    refresh_hash VARCHAR(64) NOT NULL,
    refresh_expires_at BIGINT NOT NULL,
    acked_seq BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT login_sessions_access UNIQUE (access_hash),
    CONSTRAINT login_sessions_refresh UNIQUE (refresh_hash)
);

CREATE INDEX login_sessions_account ON login_sessions (account_id);

CREATE TABLE event_heads (
    user_id VARCHAR(64) NOT NULL PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

CREATE TABLE events (
    user_id VARCHAR(64) NOT NULL,
    seq BIGINT NOT NULL,
    event_type VARCHAR(64) NOT NULL,
    event_data VARCHAR(1000000) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, seq)
);

CREATE TABLE request_log (
    scope VARCHAR(264) NOT NULL,
    request_id VARCHAR(64) NOT NULL,
    request_type VARCHAR(64) NOT NULL,
    answer_json VARCHAR(1000000) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, request_id)
);

CREATE INDEX request_log_created ON request_log (created_at);

CREATE TABLE seen_nonces (
    app_key VARCHAR(200) NOT NULL,
    nonce VARCHAR(64) NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (app_key, nonce)
);

CREATE INDEX seen_nonces_seen ON seen_nonces (seen_at);
