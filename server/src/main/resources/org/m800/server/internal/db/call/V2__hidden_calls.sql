-- A call from a caller the callee blocked is kept for the caller's log only.
ALTER TABLE call_records ADD COLUMN hidden_from_callee BOOLEAN DEFAULT FALSE NOT NULL;
