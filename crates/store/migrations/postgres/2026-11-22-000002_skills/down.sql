DROP TABLE skill_relations;
DROP TABLE skill_labels;
DROP TABLE skills;
