-- Finding people (docs/protocol.md section 19.8): whether a user may be found by a prefix of their
-- display name. No row means no (the default). Portable between H2 and PostgreSQL.
CREATE TABLE user_discovery (
    account_id VARCHAR(64) NOT NULL PRIMARY KEY,
    by_display_name BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL
);
