DROP TABLE contribution_credits;
