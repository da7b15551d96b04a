-- A learning resource or event a curator added for a member who found or organised it: the
-- points for the contribution go to that member. Keep in step with the other backend's copy.
CREATE TABLE contribution_credits (
    -- The resource or event.
    subject_id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
