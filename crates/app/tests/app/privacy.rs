//! Privacy and integrity: who counts as a member's client, what trust explanations reveal,
//! who seeds trust, and which entries may name a member. Each test runs on SQLite, and on
//! PostgreSQL when `TEST_DATABASE_URL` is set.

mod clients;
mod endorsements;
mod mentoring;
mod offers;
mod reviews;
pub(crate) mod tags;
mod trust_explanations;
