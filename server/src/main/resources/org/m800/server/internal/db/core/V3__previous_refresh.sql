-- The refresh token replaced by the session's last rotation. It is accepted again until its successor
-- is used: a client that never got the answer of a refresh (it crashed, the connection dropped) still
-- holds it, and would otherwise be logged out for good.
ALTER TABLE login_sessions ADD COLUMN previous_refresh_hash VARCHAR(64);
CREATE INDEX login_sessions_previous_refresh ON login_sessions (previous_refresh_hash);
