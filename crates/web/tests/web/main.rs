//! The HTTP layer's integration tests, one binary so the dependency tree is linked once. API and
//! page tests run on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

mod api;
mod availability;
mod bad_input;
mod common;
mod control_sweep;
mod conversations;
mod credentials;
mod did;
mod forms_keep_input;
mod hardening;
mod home;
mod hourly;
mod insights;
mod job_search;
mod links;
mod matching;
mod notifications;
mod operator_tools;
mod operators;
mod ownership;
mod pages;
mod pairs;
mod sessions;
mod shortlists;
mod threads;
mod verification;
mod visibility_property;
mod work_api;
