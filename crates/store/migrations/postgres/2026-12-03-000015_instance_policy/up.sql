-- Instance policy the operators change while the instance runs: who may join, how fast anyone
-- may call the API. The configuration gives the values until an operator sets one here.
-- Keep in step with the other backend's copy.
CREATE TABLE instance_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
