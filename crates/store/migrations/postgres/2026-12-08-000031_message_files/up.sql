-- Files sent with messages, kept in the file store under their SHA-256 like delivered files.
-- A file is uploaded to the conversation first and attached when its message is sent. Keep in
-- step with the other backend's copy.
CREATE TABLE message_files (
    id TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    -- Set when a message carries it.
    message_id TEXT REFERENCES messages(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX message_files_conversation ON message_files (conversation_id);
