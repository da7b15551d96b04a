DROP TABLE availability_feeds;
DROP TABLE calendars;
