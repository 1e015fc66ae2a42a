-- Files: uploads (tus) and the finished files they become, and which conversations refer to them.
-- The bytes are not here: they live in the files folder under the row's id. Portable between H2
-- and PostgreSQL.

CREATE TABLE files (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    uploader_id VARCHAR(64) NOT NULL,
    name VARCHAR(1000) NOT NULL,
    mime_type VARCHAR(200) NOT NULL,
    size BIGINT NOT NULL,
    upload_offset BIGINT NOT NULL,
    expected_sha256 VARCHAR(64),
    sha256 VARCHAR(64),
    width BIGINT,
    height BIGINT,
    duration_ms BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    completed BOOLEAN NOT NULL
);

CREATE INDEX files_uploader ON files (uploader_id);
CREATE INDEX files_expiry ON files (completed, expires_at);

-- a message (conversation, seq) whose media content names the file
CREATE TABLE file_refs (
    file_id VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(80) NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (file_id, conversation_id, seq)
);
