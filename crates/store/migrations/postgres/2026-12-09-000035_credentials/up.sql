-- Credentials the instance issued: Open Badges 3.0 credentials signed with the instance key,
-- each with its bit in the revocation status list. Keep in step with the other backend's copy.
CREATE TABLE credentials (
    -- A UUID; the credential's id is `urn:uuid:` and this.
    id TEXT PRIMARY KEY NOT NULL,
    holder_id TEXT NOT NULL REFERENCES users(id),
    -- contract, membership, mentoring or skill.
    kind TEXT NOT NULL,
    -- What it is about: a contract, community, mentorship or skill id.
    subject_ref TEXT NOT NULL,
    -- The credential's bit in the status list, from 0; never reused.
    status_index BIGINT NOT NULL UNIQUE,
    -- The signed credential, as issued.
    document TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT,
    revoked_reason TEXT,
    -- The secret of the link the holder shares it by; NULL when not shared.
    share_token TEXT UNIQUE
);
CREATE INDEX credentials_holder ON credentials (holder_id, issued_at);
