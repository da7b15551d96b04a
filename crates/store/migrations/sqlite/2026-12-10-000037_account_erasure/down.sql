DROP TRIGGER operator_actions_no_update;
CREATE TRIGGER operator_actions_no_update BEFORE UPDATE ON operator_actions
BEGIN
    SELECT RAISE(ABORT, 'the operators'' audit log is append-only');
END;
ALTER TABLE users DROP COLUMN erased_at;
