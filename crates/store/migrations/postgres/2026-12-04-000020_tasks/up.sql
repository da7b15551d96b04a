-- The durable queue of background work (mail now; calendar refreshes, exports and the like
-- later): a task is written in the transaction that asks for it, claimed by a worker for a
-- lease, and marked done or failed after it ran. A worker that dies mid-task loses nothing:
-- its lease runs out and another worker takes the task again. Keep in step with the other
-- backend's copy.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY NOT NULL,
    -- What to do: mail, …
    kind TEXT NOT NULL,
    -- JSON: what the kind needs, such as the notification to mail.
    payload TEXT NOT NULL,
    -- queued, done, or failed (gave up after its attempts).
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    -- Not to run before this time (later after each failure).
    run_at BIGINT NOT NULL,
    -- A worker holds it until this time.
    leased_until BIGINT,
    last_error TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
-- What is due, oldest first.
CREATE INDEX tasks_due ON tasks(state, run_at);
