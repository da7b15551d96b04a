-- When a member erased their account: the row stays, under a placeholder handle, so that the
-- ledger, contracts and the evidence log keep naming an account, but nothing personal is left.
-- Keep in step with the other backend's copy.
ALTER TABLE users ADD COLUMN erased_at BIGINT;

-- The operators' audit log stays append-only, except that an entry may change to hide an
-- erased account's handle behind its placeholder (`erased-…`): nothing else in it moves.
DROP TRIGGER operator_actions_append_only ON operator_actions;
CREATE TRIGGER operator_actions_no_delete BEFORE DELETE ON operator_actions
    FOR EACH ROW EXECUTE FUNCTION operator_actions_append_only();
CREATE FUNCTION operator_actions_redact_only() RETURNS trigger AS $$
BEGIN
    IF NEW.id = OLD.id AND NEW.at = OLD.at
       AND NEW.operator_id IS NOT DISTINCT FROM OLD.operator_id
       AND NEW.action = OLD.action
       AND (NEW.actor = OLD.actor OR NEW.actor LIKE 'erased-%')
       AND (NEW.subject = OLD.subject OR NEW.subject LIKE '%erased-%')
       AND (NEW.reason = OLD.reason OR NEW.reason LIKE '%erased-%') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the operators'' audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER operator_actions_redact_only BEFORE UPDATE ON operator_actions
    FOR EACH ROW EXECUTE FUNCTION operator_actions_redact_only();
