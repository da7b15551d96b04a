//! Guildhall's persistence: one diesel schema over SQLite and PostgreSQL, migrations for both,
//! and repositories — plain functions over a connection, composed into transactions by `app`.
#![warn(missing_docs)]

pub mod db;
pub mod optional;
pub mod pool;
pub mod repo;
// Diesel's table! macros generate a module per table and a type per column, undocumented;
// the tables are documented in the migrations.
#[allow(missing_docs)]
pub mod schema;
pub mod sqlite_writer;
#[cfg(any(test, feature = "testing"))]
pub mod testdb;
mod together;

pub use db::{
    Backend, DbConnection, DbPool, Durability, PooledConn, connect, connect_with, migrate, ping,
    refresh_statistics, write_transaction,
};
pub use sqlite_writer::{SqliteWriter, sqlite_writer};
pub use together::Carried;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// A uniqueness rule was broken; the constraint or column is named.
    #[error("already exists: {0}")]
    Unique(String),
    /// A row held data this version cannot read.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Query(diesel::result::Error),
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let name = info
                    .constraint_name()
                    .map(str::to_string)
                    .unwrap_or_else(|| info.message().to_string());
                StoreError::Unique(name)
            }
            Error::DeserializationError(e) if e.is::<guildhall_domain::stored::Unreadable>() => {
                StoreError::Corrupt(e.to_string())
            }
            other => StoreError::Query(other),
        }
    }
}

impl From<guildhall_domain::stored::Unreadable> for StoreError {
    fn from(e: guildhall_domain::stored::Unreadable) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl StoreError {
    /// Whether retrying the whole transaction may succeed: a serialization failure on
    /// PostgreSQL-compatible engines, or SQLite's lock contention.
    pub fn is_retryable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            StoreError::Query(Error::DatabaseError(kind, info)) => {
                matches!(kind, DatabaseErrorKind::SerializationFailure)
                    || info.message().contains("database is locked")
                    || info.message().contains("database table is locked")
            }
            _ => false,
        }
    }
}

/// Milliseconds since the Unix epoch, the one time representation in storage.
pub type Millis = i64;
