ALTER TABLE milestones DROP COLUMN change_note;
