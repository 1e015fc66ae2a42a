-- Chat: conversations (direct and group), members with roles and receipt marks, messages with their
-- per-conversation sequence. Portable between H2 and PostgreSQL.

CREATE TABLE chat_conversations (
    id VARCHAR(80) NOT NULL PRIMARY KEY,
    kind VARCHAR(8) NOT NULL,
    title VARCHAR(400) NOT NULL,
    created_by VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE chat_members (
    conversation_id VARCHAR(80) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    role VARCHAR(8) NOT NULL,
    joined_seq BIGINT NOT NULL,
    joined_at BIGINT NOT NULL,
    delivered_upto BIGINT NOT NULL,
    read_upto BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE INDEX chat_members_user ON chat_members (user_id);

CREATE TABLE chat_messages (
    conversation_id VARCHAR(80) NOT NULL,
    seq BIGINT NOT NULL,
    message_id VARCHAR(64) NOT NULL,
    sender_id VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    content_json VARCHAR(40000) NOT NULL,
    edited_at BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL,
    reactions_json VARCHAR(200000) NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    CONSTRAINT chat_messages_client_id UNIQUE (sender_id, message_id)
);

CREATE INDEX chat_messages_message ON chat_messages (conversation_id, message_id);

-- messages withheld from a recipient who blocked the sender when it was sent
CREATE TABLE chat_hidden (
    conversation_id VARCHAR(80) NOT NULL,
    seq BIGINT NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (conversation_id, seq, user_id)
);
