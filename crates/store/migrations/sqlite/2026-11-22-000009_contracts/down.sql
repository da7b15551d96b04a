DROP TABLE milestones;
DROP TABLE contracts;
