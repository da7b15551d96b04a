-- How far along the change feed each follower that keeps rows of its own has got, so that it
-- carries on from there after a restart and on any node. Notifications follow the feed: the
-- events recorded before this migration were told in their own transactions, so they start
-- after the newest. Keep in step with the other backend's copy.
CREATE TABLE feed_followers (
    name TEXT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL
);
INSERT INTO feed_followers (name, seq)
SELECT 'notifications', COALESCE(MAX(seq), 0) FROM domain_events;
