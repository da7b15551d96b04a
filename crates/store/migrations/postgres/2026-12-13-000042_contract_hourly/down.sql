ALTER TABLE contracts DROP COLUMN hourly;
