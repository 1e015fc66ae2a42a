-- A user's head is the newest seq in events (events are never deleted); the server keeps it in memory.
DROP TABLE event_heads;
