-- Email verification and password resets members ask for themselves. Addresses that exist
-- already count as verified (they signed in with them); a new account's address is verified
-- through a link mailed to it. Keep in step with the other backend's copy.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;

-- Links that verify an address: only the token's SHA-256 is kept.
CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The address the link verifies: a link for an address since changed verifies nothing.
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_verifications_user ON email_verifications(user_id, created_at);

-- Who asked for a reset link, to throttle the asking (by address typed, known or not, and by
-- the asker's network address).
CREATE TABLE reset_requests (
    email_key TEXT NOT NULL,
    address TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX reset_requests_email ON reset_requests(email_key, at);
CREATE INDEX reset_requests_address ON reset_requests(address, at);
