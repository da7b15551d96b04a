//! The application's integration tests, one binary so the dependency tree is linked once. Each
//! module runs on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

mod availability;
mod communities;
mod community_life;
mod community_matrix;
mod contracts;
mod conversations;
mod credentials;
mod deliveries;
mod erasure;
mod evidence;
mod exports;
mod hourly;
mod insights;
mod job_search;
mod jobs;
mod ledger;
mod mail;
mod matching;
mod notifications;
mod oversight;
mod ownership;
mod pairs;
mod payouts;
mod policy;
mod privacy;
mod receipts;
mod search;
mod second_factor;
mod seed;
mod sessions;
mod shortlists;
mod taxonomy;
mod webhook_signature;
mod work_that_fits;
mod writes;
