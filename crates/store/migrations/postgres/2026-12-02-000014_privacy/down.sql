UPDATE contracts SET status = 'cancelled' WHERE status = 'declined';
ALTER TABLE communities DROP COLUMN vetted;
DROP INDEX mentoring_sessions_confirmed_day;
ALTER TABLE mentoring_sessions DROP COLUMN confirmed_at;
ALTER TABLE skills DROP COLUMN shared;
ALTER TABLE skills DROP COLUMN created_by;
