//! Databases for tests: a fresh SQLite file always, and a fresh PostgreSQL database when
//! `TEST_DATABASE_URL` names a server. A SQLite file is deleted with its handle; a PostgreSQL
//! database is emptied for the process's next test (see `spares`).

use crate::{Backend, DbPool, StoreError, connect, migrate};
use diesel::Connection;
use diesel::connection::SimpleConnection;

mod spares;

/// A migrated database of its own for a test; see the module for what becomes of it.
pub struct TestDb {
    /// URL to open it with.
    pub url: String,
    /// Which backend it is on.
    pub backend: Backend,
    admin_url: Option<String>,
    name: String,
    _dir: Option<tempfile_dir::Dir>,
}

mod tempfile_dir {
    //! A temporary folder removed on drop, without a dependency outside tests.
    use std::path::PathBuf;

    pub struct Dir(pub PathBuf);

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl TestDb {
    /// A fresh, migrated SQLite database in its own temporary folder.
    pub fn sqlite() -> Result<TestDb, StoreError> {
        let dir = std::env::temp_dir().join(format!("guildhall-test-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::Connect(e.to_string()))?;
        let url = dir.join("test.db").to_string_lossy().into_owned();
        let db = TestDb {
            url,
            backend: Backend::Sqlite,
            admin_url: None,
            name: String::new(),
            _dir: Some(tempfile_dir::Dir(dir)),
        };
        db.migrate()?;
        Ok(db)
    }

    /// A fresh, migrated PostgreSQL database on the server `admin_url` points at: one an
    /// earlier test of this process handed back emptied, or else a clone of the migrated
    /// template.
    pub fn postgres(admin_url: &str) -> Result<TestDb, StoreError> {
        let name = match spares::take(admin_url) {
            Some(name) => name,
            None => {
                let template = template(admin_url)?;
                let name = spares::new_name();
                let mut admin = admin(admin_url)?;
                admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))?;
                spares::learn(admin_url, &name)?;
                name
            }
        };
        Ok(TestDb {
            url: replace_database(admin_url, &name),
            backend: Backend::Postgres,
            admin_url: Some(admin_url.to_string()),
            name,
            _dir: None,
        })
    }

    /// SQLite, plus PostgreSQL when `TEST_DATABASE_URL` is set: the databases a store or API
    /// test runs against.
    pub fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite().expect("create SQLite test database")];
        dbs.extend(TestDb::postgres_if_set());
        dbs
    }

    /// PostgreSQL when `TEST_DATABASE_URL` is set, else `None`: for a test of what only
    /// PostgreSQL does (its locks, its connections).
    pub fn postgres_if_set() -> Option<TestDb> {
        let url = std::env::var("TEST_DATABASE_URL").ok()?;
        (!url.is_empty()).then(|| TestDb::postgres(&url).expect("create PostgreSQL test database"))
    }

    /// A pool on this database.
    pub fn pool(&self) -> DbPool {
        connect(&self.url, 8).expect("open test pool")
    }

    fn migrate(&self) -> Result<(), StoreError> {
        migrate_at(&self.url)
    }
}

fn migrate_at(url: &str) -> Result<(), StoreError> {
    let pool = connect(url, 1)?;
    let mut conn = pool.get().map_err(|e| StoreError::Connect(e.to_string()))?;
    migrate(&mut conn)?;
    Ok(())
}

fn admin(admin_url: &str) -> Result<diesel::PgConnection, StoreError> {
    diesel::PgConnection::establish(admin_url).map_err(|e| StoreError::Connect(e.to_string()))
}

/// The migrated database PostgreSQL test databases are cloned from, which is much faster than
/// migrating each. Its name carries a fingerprint of the migration files, so it is built once
/// per server and migration set, by whichever test process gets there first: built under a
/// name of its own and renamed when done, so nobody clones a half-migrated template.
fn template(admin_url: &str) -> Result<String, StoreError> {
    static BUILT: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(name) = built.as_ref() {
        return Ok(name.clone());
    }
    let name = concat!("guildhall_template_", env!("GUILDHALL_PG_MIGRATIONS"));
    let mut conn = admin(admin_url)?;
    let exists: i64 = diesel::RunQueryDsl::get_result(
        diesel::sql_query(format!(
            "SELECT count(*) AS count FROM pg_database WHERE datname = '{name}'"
        )),
        &mut conn,
    )
    .map(|row: Count| row.count)?;
    if exists == 0 {
        let building = format!("{name}_{}", uuid::Uuid::now_v7().simple());
        conn.batch_execute(&format!("CREATE DATABASE {building}"))?;
        migrate_at(&replace_database(admin_url, &building))?;
        // The migration's pool has closed its connection; make sure the server agrees.
        conn.batch_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{building}'"
        ))?;
        if conn
            .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .is_err()
        {
            // Another process finished first: use its template.
            conn.batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))?;
        }
    }
    spares::drop_orphans(&mut conn)?;
    // Templates of older migration sets are of no more use.
    let stale: Vec<Name> = diesel::RunQueryDsl::load(
        diesel::sql_query(format!(
            "SELECT datname::text AS name FROM pg_database \
             WHERE datname LIKE 'guildhall\\_template\\_%' AND datname NOT LIKE '{name}%'"
        )),
        &mut conn,
    )?;
    for old in stale {
        conn.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            old.name
        ))?;
    }
    *built = Some(name.to_string());
    Ok(name.to_string())
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(admin_url) = &self.admin_url {
            spares::hand_back(admin_url, &self.name);
        }
    }
}

/// `postgres://u@h:p/db?x` with the database part replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Adds an account named `handle` (for tests that need rows naming one); returns its id.
#[cfg(test)]
pub(crate) fn account(c: &mut crate::DbConnection, handle: &str) -> guildhall_domain::UserId {
    let id = guildhall_domain::UserId::new();
    crate::repo::users::insert(
        c,
        &crate::repo::users::UserRow {
            id,
            handle: handle.into(),
            email: format!("{handle}@example.org"),
            email_key: format!("{handle}@example.org"),
            password_hash: String::new(),
            is_operator: false,
            created_at: 1,
            updated_at: 1,
            email_verified_at: Some(1),
        },
    )
    .unwrap();
    id
}

#[cfg(test)]
mod tests {
    use super::TestDb;

    fn count(db: &TestDb, sql: &str) -> i64 {
        let mut conn = db.pool().get().unwrap();
        diesel::RunQueryDsl::get_result::<super::Count>(diesel::sql_query(sql), &mut **conn)
            .unwrap()
            .count
    }

    /// A database handed back is emptied to what a clone of the template holds, under a new
    /// name: a connection left open by its last test can no longer reach it.
    #[test]
    fn a_postgres_database_handed_back_comes_back_as_cloned_under_another_name() {
        let Some(first) = TestDb::postgres_if_set() else {
            return;
        };
        let admin_url = first.admin_url.clone().unwrap();
        let oid = "SELECT oid::int8 AS count FROM pg_database WHERE datname = current_database()";
        let first_oid = count(&first, oid);
        let followers = "SELECT count(*) AS count FROM feed_followers WHERE seq = 0";
        let fresh_followers = count(&first, followers);
        assert!(fresh_followers > 0, "a migration writes a follower");
        let mut conn = first.pool().get().unwrap();
        super::account(&mut conn, "leftover");
        diesel::connection::SimpleConnection::batch_execute(
            &mut **conn,
            "UPDATE feed_followers SET seq = seq + 5; SELECT nextval('domain_events_seq_seq')",
        )
        .unwrap();
        let name = first.name.clone();
        std::mem::forget(first); // Emptied below, not handed back; `conn` stays open.

        let emptied = super::spares::new_name();
        super::spares::empty(&admin_url, &name, &emptied).unwrap();
        let second = TestDb {
            url: super::replace_database(&admin_url, &emptied),
            backend: crate::Backend::Postgres,
            admin_url: Some(admin_url),
            name: emptied,
            _dir: None,
        };
        assert_ne!(second.name, name);
        assert_eq!(count(&second, oid), first_oid, "the same database");
        assert_eq!(count(&second, "SELECT count(*) AS count FROM users"), 0);
        assert_eq!(count(&second, followers), fresh_followers);
        let next = "SELECT nextval('domain_events_seq_seq') AS count";
        assert_eq!(count(&second, next), 1, "the sequence starts again");
        assert!(
            diesel::connection::SimpleConnection::batch_execute(&mut **conn, "SELECT 1").is_err(),
            "the old connection was ended"
        );
    }

    /// A test database whose process has ended is dropped; one of a running process is kept.
    #[test]
    fn databases_of_ended_processes_are_dropped() {
        let Some(ours) = TestDb::postgres_if_set() else {
            return;
        };
        let admin_url = ours.admin_url.clone().unwrap();
        // No process has this id: it is above any kernel's limit.
        let orphan = format!("guildhall_test_{}_leftover", u32::MAX);
        let mut admin = super::admin(&admin_url).unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {orphan}"),
            format!("CREATE DATABASE {orphan}"),
        ] {
            diesel::connection::SimpleConnection::batch_execute(&mut admin, &sql).unwrap();
        }
        super::spares::drop_orphans(&mut admin).unwrap();
        let mut exists = |name: &str| {
            let sql = format!("SELECT count(*) AS count FROM pg_database WHERE datname = '{name}'");
            diesel::RunQueryDsl::get_result::<super::Count>(diesel::sql_query(sql), &mut admin)
                .unwrap()
                .count
        };
        assert_eq!(exists(&orphan), 0);
        assert_eq!(exists(&ours.name), 1);
    }

    #[test]
    fn replaces_database_name() {
        assert_eq!(
            super::replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::replace_database("postgres://h?sslmode=disable", "t1"),
            "postgres://h/t1?sslmode=disable"
        );
    }
}
