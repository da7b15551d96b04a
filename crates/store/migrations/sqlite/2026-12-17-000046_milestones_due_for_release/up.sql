-- Only submitted milestones wait for an automatic release, so only they are indexed by when:
-- funding, accepting or refunding a milestone no longer moves an index entry, and the index
-- stays as small as the deliveries waiting for an answer. Keep in step with the other
-- backend's copy.
DROP INDEX milestones_auto_release;
CREATE INDEX milestones_due_for_release ON milestones (auto_release_at)
    WHERE status = 'submitted';
