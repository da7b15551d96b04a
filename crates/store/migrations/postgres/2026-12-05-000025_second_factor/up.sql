-- Optional two-factor sign-in: a time-based one-time password (RFC 6238) from an authenticator
-- app, with single-use recovery codes, and the sign-ins waiting for their code. Keep in step
-- with the other backend's copy.
CREATE TABLE second_factors (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The shared key, base32, as the authenticator app holds it.
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- NULL until a first code confirmed the app holds the key.
    enabled_at BIGINT,
    -- The newest 30-second step a code was accepted for: no code works twice.
    last_step BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- SHA-256 of the code: the codes themselves are shown once.
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A password that matched, waiting for the code: only the token's SHA-256 is kept.
CREATE TABLE pending_sign_ins (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
