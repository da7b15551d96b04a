ALTER TABLE member_settings DROP COLUMN named_in_credentials;
