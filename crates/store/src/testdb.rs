//! Databases for tests: a fresh SQLite file always, and a fresh PostgreSQL database when
//! `TEST_DATABASE_URL` names a server. Each is dropped with its handle.

use crate::{Backend, DbPool, StoreError, connect, migrate};
use diesel::Connection;
use diesel::connection::SimpleConnection;

/// A migrated database that disappears when dropped.
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

    /// A fresh, migrated PostgreSQL database on the server `admin_url` points at.
    pub fn postgres(admin_url: &str) -> Result<TestDb, StoreError> {
        let name = format!("guildhall_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = diesel::PgConnection::establish(admin_url)
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let url = replace_database(admin_url, &name);
        let db = TestDb {
            url,
            backend: Backend::Postgres,
            admin_url: Some(admin_url.to_string()),
            name,
            _dir: None,
        };
        db.migrate()?;
        Ok(db)
    }

    /// SQLite, plus PostgreSQL when `TEST_DATABASE_URL` is set: the databases a store or API
    /// test runs against.
    pub fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite().expect("create SQLite test database")];
        if let Ok(url) = std::env::var("TEST_DATABASE_URL")
            && !url.is_empty()
        {
            dbs.push(TestDb::postgres(&url).expect("create PostgreSQL test database"));
        }
        dbs
    }

    /// A pool on this database.
    pub fn pool(&self) -> DbPool {
        connect(&self.url, 8).expect("open test pool")
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let pool = connect(&self.url, 1)?;
        let mut conn = pool.get().map_err(|e| StoreError::Connect(e.to_string()))?;
        migrate(&mut conn)?;
        Ok(())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(admin_url) = &self.admin_url
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
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

#[cfg(test)]
mod tests {
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
