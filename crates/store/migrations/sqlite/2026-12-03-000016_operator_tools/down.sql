DROP TABLE operator_actions;
DROP TABLE password_resets;
DROP TABLE suspensions;
