//! A process's one SQLite writer: a connection of its own, and a thread beside it that copies
//! the write-ahead log back into the database file.
//!
//! SQLite does that copy (a checkpoint) by default in the commit that takes the log past 1,000
//! pages, inside that commit's call. On the one writer connection every writer queued behind
//! it then waits for the copy and for the database file's sync: with a money-path use case
//! writing about 40 pages, that is every 25th use case. A checkpoint needs neither the write
//! lock nor the writer's connection (SQLite's passive checkpoints block no writer and no
//! reader), so here a thread does it with a connection of its own, while writers go on.

use diesel::Connection;
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use std::sync::mpsc;
use std::time::Duration;

use crate::{DbConnection, DbPool, StoreError};

/// The least time between two checkpoints: writers committing meanwhile are copied together,
/// and a page they changed several times is written to the database file once.
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(100);

/// Log pages past which the writer checkpoints itself after all: only if the checkpoint thread
/// cannot keep up (or is gone), so that the log never grows without bound (64 MiB of 4 KiB
/// pages).
const BACKSTOP_PAGES: u32 = 16_384;

/// The writer's connection, whose page cache stays warm between writes, and its checkpoints.
pub struct SqliteWriter {
    conn: DbConnection,
    checkpoints: mpsc::SyncSender<()>,
}

impl SqliteWriter {
    /// The connection to write on.
    pub fn conn(&mut self) -> &mut DbConnection {
        &mut self.conn
    }

    /// Tells the checkpoint thread the log has grown. Never blocks: a wake already pending
    /// covers this commit too.
    pub fn committed(&self) {
        let _ = self.checkpoints.try_send(());
    }
}

/// A connection of its own to a pool's SQLite database file, set up as the pool's connections
/// are and committing as durably: for a process's one writer. SQLite drops a connection's whole
/// page cache whenever another connection has committed since it last read, so writers taking
/// turns on pooled connections each start cold; one writer connection keeps its pages, and is
/// given a larger cache (16 MiB) to keep more of them. Its checkpoints run on a thread that
/// ends when the writer is dropped. `None` on PostgreSQL and for a database that is not a file.
pub fn sqlite_writer(pool: &DbPool) -> Result<Option<SqliteWriter>, StoreError> {
    let mut pooled = pool.get().map_err(|e| StoreError::Connect(e.to_string()))?;
    if !pooled.is_sqlite() {
        return Ok(None);
    }
    let synchronous = diesel::sql_query("PRAGMA synchronous")
        .get_result::<Synchronous>(&mut **pooled)?
        .synchronous
        .to_string();
    let files = diesel::sql_query("PRAGMA database_list").load::<DatabaseFile>(&mut **pooled)?;
    drop(pooled);
    let Some(path) = files
        .into_iter()
        .find(|d| d.name == "main" && !d.file.is_empty())
        .map(|d| d.file)
    else {
        return Ok(None);
    };
    let open = || -> Result<DbConnection, StoreError> {
        let mut conn = diesel::SqliteConnection::establish(&path)
            .map(DbConnection::Sqlite)
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        crate::db::set_up_sqlite(&mut conn, &synchronous)?;
        Ok(conn)
    };
    let mut conn = open()?;
    conn.batch_execute(&format!(
        "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES};"
    ))?;
    let checkpoints = start_checkpoints(open()?)?;
    Ok(Some(SqliteWriter { conn, checkpoints }))
}

/// Starts the checkpoint thread on `conn`; it runs a passive checkpoint when woken, at most
/// once per [`CHECKPOINT_INTERVAL`], and ends when the returned sender is dropped.
fn start_checkpoints(mut conn: DbConnection) -> Result<mpsc::SyncSender<()>, StoreError> {
    let (wake, woken) = mpsc::sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while woken.recv().is_ok() {
                // A failed checkpoint leaves the log as it was, to be copied at the next one.
                if let Err(e) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)") {
                    tracing::warn!(error = %e, "SQLite checkpoint failed");
                }
                std::thread::sleep(CHECKPOINT_INTERVAL);
            }
        })
        .map_err(|e| StoreError::Connect(format!("starting the checkpoint thread: {e}")))?;
    Ok(wake)
}

#[derive(diesel::QueryableByName)]
struct Synchronous {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    synchronous: i32,
}

#[derive(diesel::QueryableByName)]
struct DatabaseFile {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    file: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdb::TestDb;
    use std::time::Instant;

    /// From the WAL-index (the `-shm` file; sqlite.org/walformat.html, "The WAL-Index Format"):
    /// the frames in the log (`mxFrame`, at byte 16) and how many of them a checkpoint has
    /// copied into the database file (`nBackfill`, at byte 96), in native byte order.
    fn frames_and_backfilled(shm: &str) -> (u32, u32) {
        let index = std::fs::read(shm).expect("the WAL-index reads");
        let word = |at: usize| u32::from_ne_bytes(index[at..at + 4].try_into().unwrap());
        (word(16), word(96))
    }

    /// SQLite's own checkpoint in the writer's commits waits for 16,384 pages of log, so a log
    /// copied back after a few commits is the checkpoint thread's work.
    #[test]
    fn the_checkpoint_thread_copies_the_writers_commits_into_the_database_file() {
        let db = TestDb::sqlite().unwrap();
        let mut writer = sqlite_writer(&db.pool())
            .unwrap()
            .expect("a database file has a writer");
        writer
            .conn()
            .batch_execute("CREATE TABLE scratch (x BLOB)")
            .unwrap();
        for _ in 0..5 {
            crate::write_transaction(writer.conn(), |c| {
                c.batch_execute("INSERT INTO scratch VALUES (randomblob(3000))")
            })
            .unwrap();
            writer.committed();
        }
        let shm = format!("{}-shm", db.url);
        // The thread has no deadline of its own; a stuck one fails the test, not a slow one.
        let give_up = Instant::now() + Duration::from_secs(60);
        loop {
            let (frames, backfilled) = frames_and_backfilled(&shm);
            if frames > 0 && backfilled == frames {
                break;
            }
            assert!(
                Instant::now() < give_up,
                "{backfilled} of {frames} log frames copied"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
