-- Whether a contract has ever been disputed, that is has rows in disputes: showing a contract
-- after a milestone step reads its disputes only when it has some, which most never do.
-- Keep in step with the other backend's copy.
ALTER TABLE contracts ADD COLUMN has_disputes BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE contracts SET has_disputes = TRUE WHERE id IN (SELECT contract_id FROM disputes);
