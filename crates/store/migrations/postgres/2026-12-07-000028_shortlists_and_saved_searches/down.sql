DROP TABLE shortlist_entries;
DROP TABLE saved_searches;
