ALTER TABLE jobs DROP COLUMN occupation;
