//! Both backends' migrations must produce exactly the tables and columns `schema.rs` declares,
//! with the same types and nullability; with no PostgreSQL at hand, SQLite is still compared
//! with `schema.rs`.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use guildhall_store::testdb::TestDb;
use guildhall_store::{Backend, DbConnection};
use std::collections::BTreeMap;

/// A column as the comparison sees it: a type family and whether it may be null.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shape {
    family: &'static str,
    nullable: bool,
}

type Tables = BTreeMap<String, BTreeMap<String, Shape>>;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

/// The family of a declared type, across SQLite's and PostgreSQL's spellings and Diesel's.
fn family(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "text" => "text",
        "bigint" | "int8" => "bigint",
        "integer" | "int" | "int4" => "integer",
        "bool" | "boolean" => "bool",
        other => panic!("no type family for {other:?}"),
    }
}

/// What `schema.rs` declares, read from its `diesel::table!` blocks.
fn declared() -> Tables {
    let text = include_str!("../src/schema.rs");
    let mut tables = Tables::new();
    for block in text.split("diesel::table! {").skip(1) {
        let body = block.split("\n}\n").next().unwrap();
        let name = body
            .trim_start()
            .split([' ', '('])
            .next()
            .unwrap()
            .to_string();
        let columns = body
            .lines()
            .filter_map(|line| line.trim().strip_suffix(',')?.split_once(" -> "))
            .map(|(column, ty)| {
                let (inner, nullable) = match ty.strip_prefix("Nullable<") {
                    Some(rest) => (rest.trim_end_matches('>'), true),
                    None => (ty, false),
                };
                (
                    column.to_string(),
                    Shape {
                        family: family(inner),
                        nullable,
                    },
                )
            })
            .collect();
        tables.insert(name, columns);
    }
    tables
}

/// What a database holds, leaving out migration bookkeeping and SQLite's FTS5 index tables
/// (`search_fts*`), which PostgreSQL keeps as a GIN index instead. SQLite lets a primary-key
/// column hold NULL unless it says NOT NULL; Guildhall never writes one, so keys count as
/// not null there, as on PostgreSQL.
fn found(conn: &mut DbConnection, backend: Backend) -> Tables {
    let query = match backend {
        Backend::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name NOT LIKE 'search_fts%' \
             AND m.name <> '__diesel_schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             udt_name::text AS data_type, (is_nullable = 'YES') AS nullable \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations'"
        }
    };
    let rows: Vec<Column> = diesel::sql_query(query).load(conn).expect("introspect");
    let mut tables = Tables::new();
    for row in rows {
        let shape = stored_as(
            &Shape {
                family: family(&row.data_type),
                nullable: row.nullable,
            },
            backend,
        );
        tables
            .entry(row.table_name)
            .or_default()
            .insert(row.column_name, shape);
    }
    tables
}

/// How a declared column is stored: SQLite keeps every integer in one 64-bit storage class
/// whatever it is called (an `INTEGER PRIMARY KEY` must be spelt so to be the row id), so
/// there the two integer families are one.
fn stored_as(shape: &Shape, backend: Backend) -> Shape {
    let family = match (backend, shape.family) {
        (Backend::Sqlite, "bigint") => "integer",
        (_, family) => family,
    };
    Shape {
        family,
        nullable: shape.nullable,
    }
}

#[test]
fn every_backend_holds_exactly_what_schema_rs_declares() {
    let declared = declared();
    assert!(declared.contains_key("users") && declared.contains_key("domain_events"));
    assert!(
        declared["users"]["is_operator"]
            == Shape {
                family: "bool",
                nullable: false
            }
    );
    for db in TestDb::all() {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        let found = found(&mut conn, db.backend);
        let tables = |t: &Tables| t.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            tables(&found),
            tables(&declared),
            "{:?}: tables",
            db.backend
        );
        for (table, columns) in &declared {
            let expected = columns
                .iter()
                .map(|(name, shape)| (name.clone(), stored_as(shape, db.backend)))
                .collect();
            assert_eq!(found[table], expected, "{:?}: table {table}", db.backend);
        }
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
