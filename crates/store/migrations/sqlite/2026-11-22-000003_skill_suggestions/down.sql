DROP TABLE member_settings;
DROP TABLE endorsements;
DROP TABLE skill_suggestions;
