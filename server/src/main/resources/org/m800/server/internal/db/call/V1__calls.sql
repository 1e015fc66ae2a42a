-- Calls: one record per call (who, when, how long, how it ended). Portable between H2 and PostgreSQL.

CREATE TABLE call_records (
    call_id VARCHAR(64) NOT NULL PRIMARY KEY,
    caller_id VARCHAR(64) NOT NULL,
    callee_id VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    ended_at BIGINT,
    end_reason VARCHAR(24),
    ended_by VARCHAR(64)
);

CREATE INDEX call_records_caller ON call_records (caller_id, created_at);
CREATE INDEX call_records_callee ON call_records (callee_id, created_at);
