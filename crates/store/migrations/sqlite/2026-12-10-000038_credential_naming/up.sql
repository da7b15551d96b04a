-- Whether a member lets the people they worked with show, in their credentials, the evidence
-- payloads that name them. Off until they turn it on. Keep in step with the other backend's
-- copy.
ALTER TABLE member_settings ADD COLUMN named_in_credentials BOOLEAN NOT NULL DEFAULT FALSE;
