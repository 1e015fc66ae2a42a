-- Phone-number verification (docs/protocol.md section 11): sessions with the hashed code, every code
-- sent (for the rate limits) and the single-use proofs of successful checks. Portable between H2 and
-- PostgreSQL.

CREATE TABLE verification_sessions (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    app_key VARCHAR(200) NOT NULL,
    phone VARCHAR(32) NOT NULL,
    method VARCHAR(16) NOT NULL,
    locale VARCHAR(40) NOT NULL,
    code_salt VARCHAR(64) NOT NULL,
    code_hash VARCHAR(64) NOT NULL,
    status VARCHAR(16) NOT NULL,
    delivery VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL,
    resends INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    last_sent_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    finished_at BIGINT
);

CREATE INDEX verification_sessions_phone ON verification_sessions (phone);

CREATE TABLE verification_sends (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    session_id VARCHAR(64) NOT NULL,
    app_key VARCHAR(200) NOT NULL,
    phone VARCHAR(32) NOT NULL,
    address VARCHAR(64) NOT NULL,
    kind VARCHAR(8) NOT NULL,
    sent_at BIGINT NOT NULL
);

CREATE INDEX verification_sends_phone ON verification_sends (phone, sent_at);
CREATE INDEX verification_sends_app ON verification_sends (app_key, sent_at);
CREATE INDEX verification_sends_address ON verification_sends (address, sent_at);

CREATE TABLE verification_proofs (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    session_id VARCHAR(64) NOT NULL,
    app_key VARCHAR(200) NOT NULL,
    phone VARCHAR(32) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    account_id VARCHAR(64)
);
