-- Operator tools: suspended accounts, one-time password-reset links, and the operators' audit
-- log. Keep in step with the other backend's copy.

-- An account here cannot sign in and is hidden from search until an operator lifts it.
CREATE TABLE suspensions (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    suspended_at BIGINT NOT NULL
);

-- Only a hash of each link's token is kept, as for sessions.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Every operator action: who (an operator account, or the command line on the server), what,
-- about whom or what, when and why. Rows are never changed or deleted.
CREATE TABLE operator_actions (
    id TEXT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    operator_id TEXT REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX operator_actions_at ON operator_actions (at);

CREATE FUNCTION operator_actions_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the operators'' audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER operator_actions_append_only BEFORE UPDATE OR DELETE ON operator_actions
    FOR EACH ROW EXECUTE FUNCTION operator_actions_append_only();
