//! Both backends' migrations must produce the same tables and columns, and match `schema.rs`.

use diesel::prelude::*;
use diesel::sql_types::Text;
use guildhall_store::testdb::TestDb;
use guildhall_store::{Backend, DbConnection};
use std::collections::BTreeMap;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// Table name → sorted column names, leaving out migration bookkeeping and SQLite's FTS5 index
/// tables (`search_fts*`), which PostgreSQL keeps as a GIN index instead.
fn columns(conn: &mut DbConnection, backend: Backend) -> BTreeMap<String, Vec<String>> {
    let query = match backend {
        Backend::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name NOT LIKE 'search_fts%' \
             AND m.name <> '__diesel_schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations'"
        }
    };
    let rows: Vec<Column> = diesel::sql_query(query).load(conn).expect("introspect");
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        tables
            .entry(row.table_name)
            .or_default()
            .push(row.column_name);
    }
    tables.values_mut().for_each(|cols| cols.sort());
    tables
}

#[test]
fn backends_produce_the_same_tables() {
    let dbs = TestDb::all();
    let shapes: Vec<_> = dbs
        .iter()
        .map(|db| {
            let pool = db.pool();
            let mut conn = pool.get().unwrap();
            (db.backend, columns(&mut conn, db.backend))
        })
        .collect();
    let (_, sqlite) = &shapes[0];
    assert!(sqlite.contains_key("users") && sqlite.contains_key("domain_events"));
    for (backend, shape) in &shapes[1..] {
        assert_eq!(shape, sqlite, "{backend:?} differs from SQLite");
    }
    if shapes.len() == 1 {
        eprintln!("TEST_DATABASE_URL unset: compared SQLite with itself only");
    }
}

#[test]
fn migrations_are_idempotent() {
    for db in TestDb::all() {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        assert_eq!(guildhall_store::migrate(&mut conn).unwrap(), 0);
    }
}
