DROP INDEX milestones_due_for_release;
CREATE INDEX milestones_auto_release ON milestones(status, auto_release_at);
