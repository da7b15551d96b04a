-- Privacy and integrity. Keep in step with the other backend's copy.

-- An offer that was declined or withdrawn never made its sender the member's client; it used
-- to be stored as cancelled like a contract ended after it started. Offers that never started
-- are told apart by the absence of their start in the change feed (whose first subject is the
-- contract).
UPDATE contracts SET status = 'declined'
WHERE status = 'cancelled'
  AND NOT EXISTS (
    SELECT 1 FROM domain_events e
    WHERE e.event_type = 'work.contract_started'
      AND e.subject_ids LIKE '["' || contracts.id || '"%'
  );

-- Operators mark communities whose curation they trust; those communities' owners and
-- curators, with the operators, are the seeds trust flows from.
ALTER TABLE communities ADD COLUMN vetted BOOLEAN NOT NULL DEFAULT FALSE;

-- A mentoring session is evidence only once the partner who did not record it confirms it,
-- and a pair has at most one confirmed session a day. Sessions recorded before are left
-- unconfirmed: one side alone wrote them.
ALTER TABLE mentoring_sessions ADD COLUMN confirmed_at BIGINT;
CREATE UNIQUE INDEX mentoring_sessions_confirmed_day
    ON mentoring_sessions(mentorship_id, held_on) WHERE confirmed_at IS NOT NULL;

-- A member's tag is their own words. A tag first made by a claim shown to a narrow audience
-- (connections, clients, a community, nobody) is not shared: it is reused for someone else's
-- words, suggested in autocomplete and readable by id only by its author and by those who may
-- see a claim of it, until a claim shows it to the public or to all members. Words typed
-- anywhere else (jobs, communities, mentoring, suggestions) make shared tags.
ALTER TABLE skills ADD COLUMN created_by TEXT;
ALTER TABLE skills ADD COLUMN shared BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE skills SET created_by = (
    SELECT e.actor_id FROM domain_events e
    WHERE e.event_type = 'skill.tag_created' AND e.subject_ids = '["' || skills.id || '"]'
) WHERE kind = 'tag';
-- Tags that appear only in claims, none of them shown to the public or to all members.
UPDATE skills SET shared = FALSE
WHERE kind = 'tag'
  AND EXISTS (
    SELECT 1 FROM profile_items i
    WHERE i.kind = 'skill' AND i.data LIKE '%"' || skills.id || '"%'
  )
  AND NOT EXISTS (
    SELECT 1 FROM profile_items i
    WHERE i.kind = 'skill' AND i.data LIKE '%"' || skills.id || '"%'
      AND ((' ' || i.audiences || ' ') LIKE '% public %'
           OR (' ' || i.audiences || ' ') LIKE '% members %')
  )
  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.skills LIKE '%"' || skills.id || '"%')
  AND NOT EXISTS (SELECT 1 FROM communities k WHERE k.focus_skills LIKE '%"' || skills.id || '"%')
  AND NOT EXISTS (SELECT 1 FROM mentorships m WHERE m.skills LIKE '%"' || skills.id || '"%')
  AND NOT EXISTS (SELECT 1 FROM skill_suggestions g WHERE g.skill_id = skills.id);
