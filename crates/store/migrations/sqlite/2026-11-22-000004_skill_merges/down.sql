DROP TABLE skill_merges;
