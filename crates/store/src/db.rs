//! Connections and pools over either backend, chosen by the database URL, and migrations.

use crate::pool::{CHECK_AFTER, Manager, Pooled};
use diesel::connection::SimpleConnection;
use diesel::r2d2::{CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::time::Duration;

use crate::StoreError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

pub use connection::DbConnection;

// Diesel's MultiConnection derive generates the backend's types without documentation.
#[allow(missing_docs)]
mod connection {
    /// One connection to SQLite or PostgreSQL; every query in the store is written once for
    /// both.
    #[derive(diesel::MultiConnection)]
    pub enum DbConnection {
        /// PostgreSQL (production, several nodes).
        Postgresql(diesel::PgConnection),
        /// SQLite (the zero-setup default).
        Sqlite(diesel::SqliteConnection),
    }
}

/// Inserts `$rows` (a slice of insertable values) into `$table`: on PostgreSQL with one
/// multi-row statement, a round trip saved per row; on SQLite row by row, where a statement has
/// no round trip and one prepared once and kept is cheaper than a multi-row one prepared anew.
/// On PostgreSQL the statement for each number of rows is kept prepared ([`KeepPrepared`]), and
/// so returns `$key` (of Rust type `$key_type`), which is dropped.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr, $key:expr => $key_type:ty) => {{
        let rows = $rows;
        match $conn {
            $crate::DbConnection::Sqlite(c) => {
                for row in rows.iter() {
                    diesel::insert_into($table).values(row.clone()).execute(c)?;
                }
            }
            $crate::DbConnection::Postgresql(c) => {
                if !rows.is_empty() {
                    $crate::db::KeepPrepared(
                        diesel::insert_into($table).values(rows).returning($key),
                    )
                    .load::<$key_type>(c)?;
                }
            }
        }
    }};
}
pub(crate) use insert_rows;

/// Runs `$body` on the backend's own connection, bound as `$c`, compiling it once per backend.
/// Through the generic connection diesel writes a statement out as SQL text several times at
/// every run (to key its statement cache and to bind its values); on the backend's own
/// connection a statement of fixed shape is found in the cache by its type. For the queries
/// of hot paths, such as the money path's.
macro_rules! native {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::DbConnection::Sqlite($c) => $body,
            $crate::DbConnection::Postgresql($c) => $body,
        }
    };
}
pub(crate) use native;

/// A statement kept prepared in its connection's statement cache, keyed by its SQL text.
/// Diesel prepares anew at each run (on SQLite parsing and planning it, on PostgreSQL sending
/// it to be parsed) every statement whose SQL may change from call to call: every UPDATE (a
/// changeset of optional fields), a multi-row insert, an `IN` list. Keyed by the text,
/// statements of different SQL never meet. Run it with `load` or
/// `get_result` (with a `RETURNING` clause): `execute` hands diesel a reference to it, and a
/// reference forgets that it may be kept.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeepPrepared<Q>(pub Q);

impl<Q, DB> diesel::query_builder::QueryFragment<DB> for KeepPrepared<Q>
where
    DB: diesel::backend::Backend,
    Q: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(
        &'b self,
        pass: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> diesel::QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> diesel::QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> diesel::query_builder::QueryId for KeepPrepared<Q> {
    type QueryId = ();
    // No type key: the cache keys the statement by its SQL text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: diesel::query_builder::Query> diesel::query_builder::Query for KeepPrepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> diesel::RunQueryDsl<Conn> for KeepPrepared<Q> {}

impl DbConnection {
    /// Whether this is the SQLite backend.
    pub fn is_sqlite(&self) -> bool {
        matches!(self, DbConnection::Sqlite(_))
    }
}

/// Runs `f` in one read-write transaction. On SQLite it begins `IMMEDIATE`, taking the write
/// lock up front: concurrent writers then wait on `busy_timeout` at BEGIN, instead of failing
/// at once when a transaction that has read tries to upgrade to writing after another one
/// committed. PostgreSQL uses an ordinary transaction.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::SqliteConnection;
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = AnsiTransactionManager;
    fn sqlite(conn: &mut DbConnection) -> Option<&mut SqliteConnection> {
        match conn {
            DbConnection::Sqlite(inner) => Some(inner),
            DbConnection::Postgresql(_) => None,
        }
    }
    let Some(inner) = sqlite(conn) else {
        return diesel::Connection::transaction(conn, f);
    };
    Manager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    let result = f(conn);
    if let Some(inner) = sqlite(conn) {
        match &result {
            Ok(_) => <Manager as TransactionManager<SqliteConnection>>::commit_transaction(inner)?,
            Err(_) => {
                <Manager as TransactionManager<SqliteConnection>>::rollback_transaction(inner)?
            }
        }
    }
    result
}

/// A pool of connections.
pub type DbPool = Pool<Manager>;
/// A connection borrowed from the pool.
pub type PooledConn = PooledConnection<Manager>;

/// Which backend a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://path` or a plain file path.
    Sqlite,
    /// `postgres://` or `postgresql://`.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Diesel's SQLite connection takes a path, not a `sqlite://` URL.
fn connection_string(url: &str) -> String {
    url.strip_prefix("sqlite://").unwrap_or(url).to_string()
}

/// How SQLite makes a committed transaction durable (`PRAGMA synchronous`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Durability {
    /// Every commit is on disk before it is acknowledged, so an operating-system crash or a
    /// power cut loses no acknowledged transaction: no payment confirmed to a member vanishes.
    #[default]
    Full,
    /// Faster commits in WAL mode; an operating-system crash or a power cut can lose the last
    /// acknowledged transactions (a crash of Guildhall alone cannot).
    Normal,
}

#[derive(Debug)]
struct SqliteSettings(Durability);

impl CustomizeConnection<Pooled, diesel::r2d2::Error> for SqliteSettings {
    fn on_acquire(&self, conn: &mut Pooled) -> Result<(), diesel::r2d2::Error> {
        if conn.is_sqlite() {
            // WAL lets readers run beside the writer; busy_timeout makes writers queue instead
            // of failing; foreign keys are off by default in SQLite.
            let synchronous = match self.0 {
                Durability::Full => "FULL",
                Durability::Normal => "NORMAL",
            };
            set_up_sqlite(conn, synchronous).map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

pub(crate) fn set_up_sqlite(conn: &mut DbConnection, synchronous: &str) -> diesel::QueryResult<()> {
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = 10000; PRAGMA synchronous = {synchronous}; \
         PRAGMA foreign_keys = ON;"
    ))
}

/// Opens a pool on `url` (SQLite path or PostgreSQL URL) with full durability.
pub fn connect(url: &str, max_size: u32) -> Result<DbPool, StoreError> {
    connect_with(url, max_size, Durability::Full)
}

/// Opens a pool on `url`, committing on SQLite with `durability`.
pub fn connect_with(
    url: &str,
    max_size: u32,
    durability: Durability,
) -> Result<DbPool, StoreError> {
    if Backend::of(url) == Backend::Sqlite {
        // WAL is a property of the file; switching it needs the file to itself, so do it once
        // here rather than racing from every pooled connection.
        use diesel::Connection;
        let mut conn = diesel::SqliteConnection::establish(&connection_string(url))
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")?;
    }
    // A server connection can break while pooled, so a PostgreSQL one back in the pool for a
    // while is checked with a query before use (`crate::pool`); an SQLite connection is a file
    // handle, and the check would be one more statement per use case.
    let check_after = (Backend::of(url) == Backend::Postgres).then_some(CHECK_AFTER);
    let manager = Manager::new(connection_string(url), check_after);
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .test_on_check_out(true)
        .connection_customizer(Box::new(SqliteSettings(durability)))
        .build(manager)
        .map_err(|e| StoreError::Connect(e.to_string()))
}

/// Applies every pending migration; returns how many ran.
pub fn migrate(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConnection::Postgresql(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    applied.map_err(|e| StoreError::Migration(e.to_string()))
}

/// Reverts the migration whose name ends with `named` and applies it again: how a test checks
/// what a migration does to rows written before it.
#[cfg(test)]
pub(crate) fn redo_migration(conn: &mut DbConnection, named: &str) -> Result<(), StoreError> {
    use diesel::migration::{Migration, MigrationSource};
    fn redo<DB: diesel::backend::Backend>(
        c: &mut impl MigrationHarness<DB>,
        source: EmbeddedMigrations,
        named: &str,
    ) -> diesel::migration::Result<()> {
        let all: Vec<Box<dyn Migration<DB>>> = source.migrations()?;
        let m = all
            .iter()
            .find(|m| m.name().to_string().ends_with(named))
            .ok_or_else(|| format!("no migration named {named}"))?;
        c.revert_migration(&**m)?;
        c.run_migration(&**m)?;
        Ok(())
    }
    match conn {
        DbConnection::Sqlite(c) => redo(c, SQLITE_MIGRATIONS, named),
        DbConnection::Postgresql(c) => redo(c, POSTGRES_MIGRATIONS, named),
    }
    .map_err(|e| StoreError::Migration(e.to_string()))
}

/// Refreshes PostgreSQL's statistics of every table after a bulk write, so the planner
/// stops taking tables that just grew by thousands of rows for empty ones (autovacuum would,
/// but only after a while). SQLite plans without them: nothing to do there.
pub fn refresh_statistics(conn: &mut DbConnection) -> Result<(), StoreError> {
    if conn.is_sqlite() {
        return Ok(());
    }
    conn.batch_execute("ANALYZE").map_err(StoreError::from)
}

/// Cheap round trip used by `/readyz`.
pub fn ping(conn: &mut DbConnection) -> Result<(), StoreError> {
    conn.batch_execute("SELECT 1").map_err(StoreError::from)
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::testdb::TestDb;
    use diesel::RunQueryDsl;
    use diesel::connection::{Connection, InstrumentationEvent};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts the events of `conn` from now on that `counted` picks out.
    pub(crate) fn count_events(
        conn: &mut super::DbConnection,
        counted: impl Fn(&InstrumentationEvent<'_>) -> bool + Send + 'static,
    ) -> Arc<AtomicUsize> {
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if counted(&event) {
                seen.fetch_add(1, Ordering::Relaxed);
            }
        });
        count
    }

    /// Counts the statements beginning with `verb` that `conn` prepares and keeps in its
    /// statement cache from now on (diesel reports only those it keeps).
    pub(crate) fn count_prepared(
        conn: &mut super::DbConnection,
        verb: &'static str,
    ) -> Arc<AtomicUsize> {
        count_events(
            conn,
            move |event| matches!(event, InstrumentationEvent::CacheQuery { sql, .. } if sql.starts_with(verb)),
        )
    }

    #[derive(diesel::QueryableByName)]
    struct PlanStep {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }

    /// How SQLite runs `query` on a freshly migrated database (its bound values left unset:
    /// the plan does not depend on them), one step per line of `EXPLAIN QUERY PLAN`.
    pub(crate) fn sqlite_plan<Q>(query: &Q) -> Vec<String>
    where
        Q: diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite>,
    {
        let db = TestDb::sqlite().unwrap();
        let mut conn = db.pool().get().unwrap();
        let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(query).to_string();
        let sql = sql.split("-- binds").next().unwrap_or_default();
        diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<PlanStep>(&mut **conn)
            .unwrap()
            .into_iter()
            .map(|step| step.detail)
            .collect()
    }

    #[derive(diesel::QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }

    /// `.cargo/config.toml` says why: without the guarantee, every statement with a bound
    /// LIMIT (each `.first()`) is parsed and planned again at every run.
    #[test]
    fn sqlite_is_built_with_stable_plans_so_statements_with_a_bound_limit_stay_prepared() {
        let db = TestDb::sqlite().unwrap();
        let mut c = db.pool().get().unwrap();
        let options = diesel::sql_query("PRAGMA compile_options")
            .load::<CompileOption>(&mut **c)
            .unwrap();
        assert!(
            options.iter().any(|o| o.compile_options == "ENABLE_QPSG"),
            "SQLite was built without SQLITE_ENABLE_QPSG: {:?}",
            options
                .iter()
                .map(|o| &o.compile_options)
                .collect::<Vec<_>>()
        );
    }
}
