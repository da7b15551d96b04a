-- The client's note at the latest request for changes to a delivery, shown to both sides.
-- Keep in step with the other backend's copy.
ALTER TABLE milestones ADD COLUMN change_note TEXT;
