DROP TABLE time_entries;
DROP TABLE hourly_weeks;
DROP TABLE hourly_terms;
