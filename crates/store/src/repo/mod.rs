//! Repositories: plain functions over a `DbConnection`, each one statement or a few. They never
//! open transactions; `app` wraps a whole use case in one.

pub mod admission;
pub mod calendars;
pub mod communities;
pub mod connections;
pub mod contracts;
pub mod conversations;
pub mod deposits;
pub mod digest;
pub mod discussions;
pub mod disputes;
pub mod emails;
pub mod events;
pub mod evidence;
pub mod gatherings;
pub mod items;
pub mod jobs;
pub mod learning;
pub mod ledger;
pub mod mentoring;
pub mod notifications;
pub mod oversight;
pub mod personas;
pub mod reviews;
pub mod search;
pub mod second_factor;
pub mod sessions;
pub mod settings;
pub mod skills;
pub mod suggestions;
pub mod tasks;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod verification;
pub mod waiting;
