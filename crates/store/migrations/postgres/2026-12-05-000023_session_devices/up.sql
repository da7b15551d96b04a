-- What a session was started from (the browser's own description of itself, shortened), so a
-- member can tell their sessions apart in the list of where they are signed in. Keep in step
-- with the other backend's copy.
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';
