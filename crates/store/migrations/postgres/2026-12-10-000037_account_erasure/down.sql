DROP TRIGGER operator_actions_redact_only ON operator_actions;
DROP FUNCTION operator_actions_redact_only();
DROP TRIGGER operator_actions_no_delete ON operator_actions;
CREATE TRIGGER operator_actions_append_only BEFORE UPDATE OR DELETE ON operator_actions
    FOR EACH ROW EXECUTE FUNCTION operator_actions_append_only();
ALTER TABLE users DROP COLUMN erased_at;
