-- The ESCO ICT occupation a job belongs to (the id ending its URI), when the client names one:
-- the rates heat map compares a job's pay with the US wages of the matching SOC occupation.
-- Keep in step with the other backend's copy.
ALTER TABLE jobs ADD COLUMN occupation TEXT;
