-- Who may see a user's presence (docs/protocol.md 19.3): 'everyone' (the default, as before), 'contacts'
-- (the users in the owner's contact list) or 'nobody'.
ALTER TABLE presence_settings ADD COLUMN visibility VARCHAR(16) DEFAULT 'everyone' NOT NULL;
