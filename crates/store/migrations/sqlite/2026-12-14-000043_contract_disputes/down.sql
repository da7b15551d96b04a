ALTER TABLE contracts DROP COLUMN has_disputes;
