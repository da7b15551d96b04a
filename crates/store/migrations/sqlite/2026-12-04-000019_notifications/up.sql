-- What members are told: one row per person per event they should know about, written in the
-- transaction that recorded the event, and each member's choice of how to hear of each topic
-- (a topic without a row takes its default). Keep in step with the other backend's copy.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- What it is about: connection_requests, offers, deliveries, … (see domain::notify::Topic).
    topic TEXT NOT NULL,
    -- The change-feed event it tells of (domain_events.id), which holds the details.
    event_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
-- The inbox, newest first, and its unread count.
CREATE INDEX notifications_inbox ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

CREATE TABLE notification_preferences (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    -- in_app, email, digest or off.
    delivery TEXT NOT NULL,
    PRIMARY KEY (user_id, topic)
);
