-- One index on the client's message ids instead of two. Message ids are random (UUIDs), so every message
-- lands in a different leaf of such an index, and each commit writes each touched leaf whole: under load
-- the two indexes were most of what a commit wrote (and of the file's growth). The unique key, led by the
-- message id, serves both the de-duplication (sender, id) and the look-up of an id in a conversation.
DROP INDEX chat_messages_message;
ALTER TABLE chat_messages DROP CONSTRAINT chat_messages_client_id;
ALTER TABLE chat_messages ADD CONSTRAINT chat_messages_message_sender UNIQUE (message_id, sender_id);
