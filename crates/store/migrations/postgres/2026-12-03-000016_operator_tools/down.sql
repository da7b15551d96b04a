DROP TABLE operator_actions;
DROP FUNCTION operator_actions_append_only();
DROP TABLE password_resets;
DROP TABLE suspensions;
