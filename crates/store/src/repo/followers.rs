//! Followers of the change feed that keep rows of their own: how far each has got, by the
//! `seq` of the last event it handled.

use crate::schema::feed_followers;
use crate::{DbConnection, StoreError};
use diesel::prelude::*;

/// The `seq` of the last event follower `name` handled, with its row locked until the
/// transaction ends (`FOR UPDATE` on PostgreSQL; SQLite's write transactions exclude every
/// other writer already), so two nodes following at once take turns instead of both handling
/// the same events. A follower never seen before starts at the beginning of the feed.
pub fn position_locked(conn: &mut DbConnection, name: &str) -> Result<i64, StoreError> {
    let query = feed_followers::table.find(name).select(feed_followers::seq);
    let seq = match conn {
        DbConnection::Sqlite(c) => query.get_result(c).optional()?,
        DbConnection::Postgresql(c) => query.for_update().get_result(c).optional()?,
    };
    Ok(seq.unwrap_or(0))
}

/// Records that follower `name` has handled every event up to `seq`.
pub fn set_position(conn: &mut DbConnection, name: &str, seq: i64) -> Result<(), StoreError> {
    crate::db::native!(conn, |c| diesel::insert_into(feed_followers::table)
        .values((feed_followers::name.eq(name), feed_followers::seq.eq(seq)))
        .on_conflict(feed_followers::name)
        .do_update()
        .set(feed_followers::seq.eq(seq))
        .execute(c))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdb::TestDb;

    #[test]
    fn a_follower_carries_on_from_where_it_stopped() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            assert_eq!(position_locked(&mut c, "newcomer").unwrap(), 0);
            set_position(&mut c, "newcomer", 41).unwrap();
            set_position(&mut c, "newcomer", 42).unwrap();
            assert_eq!(position_locked(&mut c, "newcomer").unwrap(), 42);
            // The migration starts notifications after the feed's newest event (none here).
            assert_eq!(position_locked(&mut c, "notifications").unwrap(), 0);
        }
    }
}
