-- Contacts, blocking and presence (docs/protocol.md section 19). Portable between H2 and PostgreSQL.
-- Address-book matching stores nothing: it reads the verified numbers of verification_proofs.

-- A user's contact list. Removed contacts stay as tombstones (removed = TRUE) so that an incremental
-- contact.list can report them; version is the owner's list version when the row last changed.
CREATE TABLE contacts (
    owner_id VARCHAR(64) NOT NULL,
    contact_id VARCHAR(64) NOT NULL,
    alias VARCHAR(400),
    removed BOOLEAN NOT NULL,
    added_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (owner_id, contact_id)
);

CREATE INDEX contacts_owner_version ON contacts (owner_id, version);

CREATE TABLE contact_versions (
    owner_id VARCHAR(64) NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);

CREATE TABLE contact_blocks (
    owner_id VARCHAR(64) NOT NULL,
    blocked_id VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (owner_id, blocked_id)
);

CREATE TABLE presence_settings (
    user_id VARCHAR(64) NOT NULL PRIMARY KEY,
    status_text VARCHAR(800) NOT NULL,
    show_last_seen BOOLEAN NOT NULL,
    last_seen BIGINT
);

CREATE TABLE presence_subscriptions (
    subscriber_id VARCHAR(64) NOT NULL,
    target_id VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (subscriber_id, target_id)
);

CREATE INDEX presence_subscriptions_target ON presence_subscriptions (target_id);

-- address-book matching looks verified numbers up by number
CREATE INDEX contacts_verified_phone ON verification_proofs (phone);
