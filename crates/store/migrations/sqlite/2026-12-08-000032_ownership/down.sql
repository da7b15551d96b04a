DROP INDEX domain_events_kind_time;
DROP TABLE perks;
DROP TABLE distribution_shares;
DROP TABLE distributions;
DROP TABLE revenue_shares;
