-- Calendars a member imports so their busy times count against their availability: a file
-- they uploaded, or an address refreshed in the background. Only the last copy that could be
-- read is kept; a failed refresh keeps it and says why. Keep in step with the other backend's
-- copy.
CREATE TABLE calendars (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- NULL for an uploaded file; the address of a subscription.
    url TEXT,
    -- The iCalendar text of the last good copy.
    ics TEXT NOT NULL,
    events INTEGER NOT NULL,
    fetched_at BIGINT NOT NULL,
    -- Why the last refresh failed; NULL once one succeeds.
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX calendars_user ON calendars (user_id);

-- The secret key in the address of each member's free/busy feed; rotating it replaces it.
CREATE TABLE availability_feeds (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    feed_key TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
