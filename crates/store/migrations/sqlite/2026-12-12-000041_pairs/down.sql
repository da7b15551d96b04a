DROP INDEX contracts_learner;
ALTER TABLE milestones DROP COLUMN by_learner;
ALTER TABLE contracts DROP COLUMN learner_accepted_at;
ALTER TABLE contracts DROP COLUMN learner_id;
