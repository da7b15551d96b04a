-- Whether a contract is paid by the hour, that is has a row in hourly_terms: a milestone step
-- tells from the contract row it already holds, instead of asking hourly_terms (and
-- hourly_weeks) each time, which for a contract of milestones answers nothing.
-- Keep in step with the other backend's copy.
ALTER TABLE contracts ADD COLUMN hourly BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE contracts SET hourly = TRUE WHERE id IN (SELECT contract_id FROM hourly_terms);
