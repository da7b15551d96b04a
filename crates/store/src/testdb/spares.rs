//! PostgreSQL test databases handed back by finished tests and emptied for the next test of the
//! same process, instead of dropped. Cloning the template creates some 750 files and dropping a
//! database deletes them. A file system that avoids reusing recently freed inodes (ext4 without
//! a journal) then makes every clone scan past thousands of them, and in a full run that churn
//! cost the PostgreSQL server more processor time than the tests' own queries. Emptying a
//! database with `DELETE`s creates and frees no file.
//!
//! A database is renamed before it is emptied, so a connection some earlier test left behind
//! cannot reach the next test's data; whatever cannot be emptied exactly is dropped as before.

use super::{Count, Name, admin, replace_database};
use crate::StoreError;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Per server (its admin URL): how to empty a database, and the databases ready for a test.
static SERVERS: Mutex<BTreeMap<String, Server>> = Mutex::new(BTreeMap::new());

struct Server {
    reset: Arc<Reset>,
    spare: Vec<String>,
}

/// What brings a used database back to the template's contents.
struct Reset {
    /// Deletes every row, puts back the rows the migrations wrote, rewinds the sequences.
    script: String,
    /// A query counting every row of the emptied tables, and what it counts in a clone.
    count_rows: String,
    rows: i64,
}

/// A name for a new test database of this process: the process id lets a later run drop what
/// a killed one left.
pub(super) fn new_name() -> String {
    format!(
        "guildhall_test_{}_{}",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    )
}

/// A spare database on the server `admin_url` names, if one is ready.
pub(super) fn take(admin_url: &str) -> Option<String> {
    let mut servers = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    servers.get_mut(admin_url)?.spare.pop()
}

/// Learns, from `name`, a database just cloned from the template, how to empty a used one;
/// once per server.
pub(super) fn learn(admin_url: &str, name: &str) -> Result<(), StoreError> {
    let mut servers = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    if !servers.contains_key(admin_url) {
        let mut conn = PgConnection::establish(&replace_database(admin_url, name))
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        let reset = read_reset(&mut conn)?;
        servers.insert(
            admin_url.to_string(),
            Server {
                reset: Arc::new(reset),
                spare: Vec::new(),
            },
        );
    }
    Ok(())
}

/// Empties the used database `name` for another test, or drops it if that fails.
pub(super) fn hand_back(admin_url: &str, name: &str) {
    let fresh = new_name();
    match empty(admin_url, name, &fresh) {
        Ok(()) => {
            let mut servers = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(server) = servers.get_mut(admin_url) {
                server.spare.push(fresh);
            }
        }
        Err(_) => {
            if let Ok(mut admin) = admin(admin_url) {
                for name in [name, &fresh] {
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

/// Drops the test databases of processes that ended without handing them back.
pub(super) fn drop_orphans(admin: &mut PgConnection) -> Result<(), StoreError> {
    if !std::path::Path::new("/proc/self").exists() {
        return Ok(()); // No way to tell which processes still run.
    }
    let ours: Vec<Name> = diesel::sql_query(
        "SELECT datname::text AS name FROM pg_database WHERE datname LIKE 'guildhall\\_test\\_%\\_%'",
    )
    .load(admin)?;
    for db in ours {
        let pid = db.name.split('_').nth(2).unwrap_or_default();
        if pid.parse::<u32>().is_ok() && !std::path::Path::new("/proc").join(pid).exists() {
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name))?;
        }
    }
    Ok(())
}

/// Renames `name` to `fresh`, cutting off every connection to it, and empties it.
pub(super) fn empty(admin_url: &str, name: &str, fresh: &str) -> Result<(), StoreError> {
    let reset = SERVERS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(admin_url)
        .map(|s| Arc::clone(&s.reset))
        .ok_or_else(|| StoreError::Connect("no template was read on this server".into()))?;
    rename_when_idle(&mut admin(admin_url)?, name, fresh)?;
    let mut conn = PgConnection::establish(&replace_database(admin_url, fresh))
        .map_err(|e| StoreError::Connect(e.to_string()))?;
    conn.batch_execute(&reset.script)?;
    let left: Count = diesel::sql_query(&reset.count_rows).get_result(&mut conn)?;
    if left.count != reset.rows {
        return Err(StoreError::Corrupt(format!(
            "{fresh} holds {} rows after emptying, a clone {}",
            left.count, reset.rows
        )));
    }
    Ok(())
}

/// Closes `name` to new connections, ends the open ones, and renames it once they are gone.
fn rename_when_idle(admin: &mut PgConnection, name: &str, to: &str) -> Result<(), StoreError> {
    admin.batch_execute(&format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS false; \
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ))?;
    // Ended sessions take a moment to leave; a rename needs them gone.
    for _ in 0..200 {
        let open: Count = diesel::sql_query(format!(
            "SELECT count(*) AS count FROM pg_stat_activity WHERE datname = '{name}'"
        ))
        .get_result(admin)?;
        if open.count == 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    admin.batch_execute(&format!(
        "ALTER DATABASE {name} RENAME TO {to}; ALTER DATABASE {to} ALLOW_CONNECTIONS true"
    ))?;
    Ok(())
}

/// Reads, from a fresh clone, what emptying a used database takes: its tables (but the
/// migrations' own), the rows the migrations wrote, and where its sequences stand.
fn read_reset(conn: &mut PgConnection) -> Result<Reset, StoreError> {
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' \
         AND tablename <> '__diesel_schema_migrations' ORDER BY tablename",
    )
    .load(conn)?;
    // Foreign keys and append-only triggers are triggers, which this role skips.
    let mut script = String::from("SET session_replication_role = replica;\n");
    for table in &tables {
        script += &format!("DELETE FROM \"{}\";\n", table.name);
    }
    for table in &tables {
        let rows: Name = diesel::sql_query(format!(
            "SELECT COALESCE(json_agg(t)::text, '') AS name FROM \"{}\" t",
            table.name
        ))
        .get_result(conn)?;
        if !rows.name.is_empty() {
            script += &format!(
                "INSERT INTO \"{t}\" OVERRIDING SYSTEM VALUE \
                 SELECT * FROM json_populate_recordset(NULL::\"{t}\", '{}');\n",
                rows.name.replace('\'', "''"),
                t = table.name
            );
        }
    }
    let sequences: Vec<Name> = diesel::sql_query(
        "SELECT format('SELECT setval(%L, %s, %s);', quote_ident(sequencename), \
         COALESCE(last_value, start_value), (last_value IS NOT NULL)::text) AS name \
         FROM pg_sequences WHERE schemaname = 'public'",
    )
    .load(conn)?;
    for setval in sequences {
        script += &setval.name;
        script.push('\n');
    }
    script += "RESET session_replication_role;";
    let count_rows = format!(
        "SELECT 0{} AS count",
        tables
            .iter()
            .map(|t| format!(" + (SELECT count(*) FROM \"{}\")", t.name))
            .collect::<String>()
    );
    let rows: Count = diesel::sql_query(&count_rows).get_result(conn)?;
    Ok(Reset {
        script,
        count_rows,
        rows: rows.count,
    })
}
