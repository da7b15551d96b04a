-- A member's other addresses, besides the one on their account (`users.email`): each signs in
-- and receives password-reset links once verified through a link mailed to it. An address
-- verified on one account is not verified, nor signed up with, on another (checked when it is
-- verified). Keep in step with the other backend's copy.
CREATE TABLE user_emails (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    -- The address lower-cased, as sign-in looks it up.
    email_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    verified_at BIGINT,
    PRIMARY KEY (user_id, email_key)
);
CREATE INDEX user_emails_key ON user_emails(email_key);
