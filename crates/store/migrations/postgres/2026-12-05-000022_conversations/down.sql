ALTER TABLE member_settings DROP COLUMN messages_from;
DROP TABLE message_reports;
DROP TABLE member_blocks;
DROP TABLE messages;
DROP TABLE conversation_members;
DROP TABLE conversations;
