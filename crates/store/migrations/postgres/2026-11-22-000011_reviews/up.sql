-- Reviews after a completed contract, double-blind: each is revealed when both are in, or
-- when the reveal time passes. Keep in step with ../sqlite.
CREATE TABLE reviews (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    subject_id TEXT NOT NULL REFERENCES users(id),
    -- client (reviewing the member) or member (reviewing the client).
    side TEXT NOT NULL,
    overall INTEGER NOT NULL,
    -- JSON object of criterion name to 1-5.
    criteria TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    -- When it is revealed at the latest, if the other side never reviews.
    reveal_at BIGINT NOT NULL,
    revealed_at BIGINT,
    UNIQUE (contract_id, author_id)
);
CREATE INDEX reviews_subject ON reviews(subject_id, revealed_at);
CREATE INDEX reviews_reveal ON reviews(revealed_at, reveal_at);
