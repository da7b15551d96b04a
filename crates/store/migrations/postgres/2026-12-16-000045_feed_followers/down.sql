DROP TABLE feed_followers;
