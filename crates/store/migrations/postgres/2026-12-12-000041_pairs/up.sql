-- A pair on one contract: the learner working beside the member, who mentors them. Each
-- milestone is done and paid to one of the two; the learner answers the offer for their part
-- before the member starts the contract. Keep in step with the other backend's copy.
ALTER TABLE contracts ADD COLUMN learner_id TEXT REFERENCES users(id);
ALTER TABLE contracts ADD COLUMN learner_accepted_at BIGINT;
ALTER TABLE milestones ADD COLUMN by_learner BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX contracts_learner ON contracts (learner_id);
