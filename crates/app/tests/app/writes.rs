//! How writes reach SQLite: in turn, on one connection kept for writing when the database is a
//! file, and through the pool when it is not.

use guildhall_app::testing::{settings, sign_up_input};
use guildhall_app::{App, SystemClock};
use std::sync::Arc;

#[test]
fn a_database_in_memory_is_written_through_the_pool() {
    // An in-memory database lives in its one pooled connection: a second connection would
    // open another, empty database.
    let pool = guildhall_store::connect(":memory:", 1).unwrap();
    guildhall_store::migrate(&mut pool.get().unwrap()).unwrap();
    let app = App::new(pool, Arc::new(SystemClock), settings());
    let ada = app.accounts().sign_up(sign_up_input("ada")).unwrap();
    let found = app.accounts().account_by_handle("ada").unwrap();
    assert_eq!(found.map(|a| a.id), Some(ada.id));
}

#[test]
fn writers_on_many_threads_each_commit_once_and_see_each_other() {
    let db = guildhall_store::testdb::TestDb::sqlite().unwrap();
    let app = guildhall_app::testing::app(&db);
    std::thread::scope(|s| {
        for t in 0..4 {
            let app = app.clone();
            s.spawn(move || {
                for i in 0..10 {
                    app.accounts()
                        .sign_up(sign_up_input(&format!("m{t}x{i}")))
                        .unwrap();
                }
            });
        }
    });
    // A pooled connection reads what the writer connection committed.
    for t in 0..4 {
        for i in 0..10 {
            let handle = format!("m{t}x{i}");
            assert!(
                app.accounts().account_by_handle(&handle).unwrap().is_some(),
                "{handle} was not written"
            );
        }
    }
}
