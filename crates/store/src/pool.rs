//! The pool's connection manager: diesel's, except that a PostgreSQL connection is checked
//! with a query before use only after it sat unused for a while.
//!
//! A server connection can break while it waits in the pool (the server restarted, a firewall
//! forgot the socket), and a check before each use catches that before a request fails. But
//! the check is a round trip of its own, one more statement for every use: the money path
//! checks out a connection per use case. A connection given back moments ago answered its last
//! statement then, so it is checked only once it has been back longer than [`CHECK_AFTER`].
//! One that broke within that moment fails the request that takes it, and diesel then reports
//! it broken (libpq no longer knows its transaction state), so the pool drops it when it comes
//! back instead of handing it out again.

use crate::DbConnection;
#[cfg(test)]
use diesel::r2d2::Pool;
use diesel::r2d2::{ConnectionManager, Error, ManageConnection};
use std::ops::{Deref, DerefMut};
use std::time::{Duration, Instant};

/// How long a PostgreSQL connection may have been back in the pool and still be taken out
/// without a check.
pub const CHECK_AFTER: Duration = Duration::from_millis(500);

/// A connection as the pool holds it: with when it was last given back.
pub struct Pooled {
    conn: DbConnection,
    returned_at: Option<Instant>,
}

impl Deref for Pooled {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// Opens connections to one database, and says which may be used unchecked.
pub struct Manager {
    inner: ConnectionManager<DbConnection>,
    /// A connection back in the pool for longer is checked before use; `None`: never checked
    /// (a SQLite connection is a file handle, nothing that breaks unseen).
    check_after: Option<Duration>,
}

impl Manager {
    /// A manager of connections to `url` (as diesel takes it), checking those back for
    /// longer than `check_after`.
    pub fn new(url: String, check_after: Option<Duration>) -> Manager {
        Manager {
            inner: ConnectionManager::new(url),
            check_after,
        }
    }
}

impl ManageConnection for Manager {
    type Connection = Pooled;
    type Error = Error;

    fn connect(&self) -> Result<Pooled, Error> {
        Ok(Pooled {
            conn: self.inner.connect()?,
            returned_at: None,
        })
    }

    /// Called by the pool before it hands a connection out. A new one was just opened.
    fn is_valid(&self, conn: &mut Pooled) -> Result<(), Error> {
        match (self.check_after, conn.returned_at) {
            (Some(after), Some(at)) if at.elapsed() >= after => self.inner.is_valid(&mut conn.conn),
            _ => Ok(()),
        }
    }

    /// Called by the pool when a connection comes back.
    fn has_broken(&self, conn: &mut Pooled) -> bool {
        conn.returned_at = Some(Instant::now());
        self.inner.has_broken(&mut conn.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdb::TestDb;
    use diesel::connection::InstrumentationEvent;
    use std::sync::atomic::Ordering;

    /// A pool of one connection to `db`, checking it when it was back for longer than
    /// `check_after`.
    fn pool_of_one(db: &TestDb, check_after: Duration) -> Pool<Manager> {
        Pool::builder()
            .max_size(1)
            .test_on_check_out(true)
            .build(Manager::new(db.url.clone(), Some(check_after)))
            .unwrap()
    }

    /// The `SELECT 1`s sent while pinging three times through a pool of one connection that
    /// checks it when it was back for longer than `check_after`.
    fn sent_for_three_pings(db: &TestDb, check_after: Duration) -> usize {
        let pool = pool_of_one(db, check_after);
        // Diesel may append the binds to the statement it reports.
        let sent = crate::db::tests::count_events(&mut pool.get().unwrap(), |event| {
            matches!(event, InstrumentationEvent::StartQuery { query, .. }
                if query.to_string().starts_with("SELECT 1"))
        });
        for _ in 0..3 {
            crate::ping(&mut pool.get().unwrap()).unwrap();
        }
        sent.load(Ordering::Relaxed)
    }

    #[test]
    fn a_connection_is_checked_only_after_it_was_back_in_the_pool_for_a_while() {
        for db in TestDb::all() {
            let recent = sent_for_three_pings(&db, Duration::from_secs(3600));
            assert_eq!(recent, 3, "only the pings: {:?}", db.backend);
            let every = sent_for_three_pings(&db, Duration::ZERO);
            assert_eq!(every, 6, "a check before each ping: {:?}", db.backend);
        }
    }

    #[test]
    fn a_connection_that_broke_in_use_is_dropped_when_it_comes_back() {
        let Some(db) = TestDb::postgres_if_set() else {
            return;
        };
        let pool = pool_of_one(&db, Duration::from_secs(3600));
        let pid = |conn: &mut Pooled| -> i32 {
            #[derive(diesel::QueryableByName)]
            struct Pid {
                #[diesel(sql_type = diesel::sql_types::Integer)]
                pid: i32,
            }
            diesel::RunQueryDsl::get_result::<Pid>(
                diesel::sql_query("SELECT pg_backend_pid() AS pid"),
                &mut **conn,
            )
            .unwrap()
            .pid
        };
        let first = pid(&mut pool.get().unwrap());
        // Another session ends this one's server process, as a server restart would, and waits
        // until it is gone.
        diesel::RunQueryDsl::execute(
            diesel::sql_query(format!("SELECT pg_terminate_backend({first}, 10000)")),
            &mut **db.pool().get().unwrap(),
        )
        .unwrap();
        {
            let mut broken = pool.get().unwrap();
            assert!(
                crate::ping(&mut broken).is_err(),
                "the ended session cannot answer"
            );
        }
        assert_ne!(
            pid(&mut pool.get().unwrap()),
            first,
            "a new connection replaced it"
        );
    }
}
