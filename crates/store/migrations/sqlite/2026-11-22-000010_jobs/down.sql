ALTER TABLE contracts DROP COLUMN job_id;
DROP TABLE referrals;
DROP TABLE proposals;
DROP TABLE jobs;
