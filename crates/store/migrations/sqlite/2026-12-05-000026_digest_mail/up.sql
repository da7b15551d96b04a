-- When each member's daily digest is mailed: on or off, the local hour and time zone, the
-- local day the last one was queued (so a day's digest is queued once, whichever node looks),
-- and the key of its one-click unsubscribe link. A member without a row gets the defaults
-- (on, 07:00 UTC). Keep in step with the other backend's copy.
CREATE TABLE digest_settings (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    enabled BOOLEAN NOT NULL,
    hour INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    last_sent_on TEXT,
    unsubscribe_key TEXT NOT NULL UNIQUE
);
