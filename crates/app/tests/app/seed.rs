//! `guildhall seed` on both databases: a seeded instance is whole (members sign in, the ledger
//! balances, the evidence log verifies, matching finds members for a seeded job with reasons)
//! and the same seed makes the same instance.

use diesel::sql_types::Text;
use ed25519_dalek::SigningKey;
use guildhall_app::App;
use guildhall_app::accounts::AttemptOrigin;
use guildhall_app::seed::{SeedOptions, Seeded, Stage};
use guildhall_app::testing::app;
use guildhall_store::testdb::TestDb;
use std::cell::RefCell;

const PASSWORD: &str = "seeded members share this";

fn seed(app: &App, members: usize, seed: u64) -> Seeded {
    let options = SeedOptions {
        members,
        seed,
        password: PASSWORD.into(),
    };
    app.seed().run(&options, &|_, _, _| {}).unwrap()
}

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    a: String,
    #[diesel(sql_type = Text)]
    b: String,
}

/// Two text columns `a` and `b` of `sql`, in its order.
fn rows(db: &TestDb, sql: &str) -> Vec<(String, String)> {
    let rows: Vec<Row> =
        diesel::RunQueryDsl::load(diesel::sql_query(sql), &mut **db.pool().get().unwrap()).unwrap();
    rows.into_iter().map(|r| (r.a, r.b)).collect()
}

/// Drops the taxonomy's ids from stored JSON: they are drawn when the taxonomy is loaded, so
/// two instances name the same skill differently.
fn without_skill_ids(json: &str) -> String {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("skill_id");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    strip(&mut value);
    value.to_string()
}

/// Everything the seed generated, in words that do not depend on ids or clocks: profiles,
/// connections, memberships, jobs and contracts.
fn contents(db: &TestDb) -> Vec<String> {
    let mut out = Vec::new();
    let items = rows(
        db,
        "SELECT u.handle || ' ' || i.kind || ' ' || i.audiences AS a, i.data AS b \
         FROM profile_items i JOIN users u ON u.id = i.owner_id ORDER BY u.handle, i.position",
    );
    out.extend(
        items
            .into_iter()
            .map(|(a, b)| format!("{a} {}", without_skill_ids(&b))),
    );
    let jobs = rows(
        db,
        "SELECT u.handle || ' ' || j.title || ' ' || j.status || ' ' || j.starts_on AS a, \
         j.skills AS b FROM jobs j JOIN users u ON u.id = j.client_id ORDER BY j.title, u.handle",
    );
    out.extend(
        jobs.into_iter()
            .map(|(a, b)| format!("{a} {}", without_skill_ids(&b))),
    );
    for sql in [
        "SELECT a.handle || ' ' || b.handle AS a, c.status AS b FROM connections c \
         JOIN users a ON a.id = c.requester_id JOIN users b ON b.id = c.addressee_id ORDER BY 1",
        "SELECT m.slug || ' ' || u.handle AS a, cm.role AS b FROM community_members cm \
         JOIN communities m ON m.id = cm.community_id JOIN users u ON u.id = cm.user_id \
         ORDER BY 1",
        "SELECT k.title || ' ' || m.handle AS a, k.status AS b FROM contracts k \
         JOIN users m ON m.id = k.member_id ORDER BY 1",
    ] {
        out.extend(rows(db, sql).into_iter().map(|(a, b)| format!("{a} {b}")));
    }
    out
}

#[test]
fn a_seeded_instance_is_whole_and_the_same_seed_makes_it_again() {
    // Two empty databases of each kind: one seeded twice, and its twin.
    for (db, twin) in TestDb::all().into_iter().zip(TestDb::all()) {
        let app = app(&db);
        let stages = RefCell::new(Vec::new());
        let options = SeedOptions {
            members: 120,
            seed: 7,
            password: PASSWORD.into(),
        };
        let seeded = app
            .seed()
            .run(&options, &|stage, done, total| {
                assert!(done <= total, "{stage:?} {done}/{total}");
                stages.borrow_mut().push(stage);
            })
            .unwrap();
        assert_eq!(seeded.members, 120);
        assert_eq!(seeded.communities, 3);
        assert!(
            seeded.joins >= 120,
            "everyone is in a community: {seeded:?}"
        );
        assert!(seeded.connections >= 120, "{seeded:?}");
        assert_eq!(seeded.jobs, 5, "one member in 25 is a client with a job");
        assert_eq!(seeded.contracts, 1, "{seeded:?}");
        let mut seen = stages.into_inner();
        seen.dedup();
        assert_eq!(
            seen,
            [
                Stage::Members,
                Stage::Communities,
                Stage::Connections,
                Stage::Jobs,
                Stage::Contracts,
                Stage::Evidence
            ]
        );

        // Members sign in with the password given, and show skills, a rate and hours.
        let origin = AttemptOrigin {
            address: "10.0.0.1".into(),
            ..AttemptOrigin::default()
        };
        app.accounts()
            .sign_in(&seeded.first_handle, PASSWORD, &origin, None)
            .unwrap();
        let kinds: Vec<String> = rows(
            &db,
            "SELECT kind AS a, kind AS b FROM profile_items GROUP BY kind ORDER BY kind",
        )
        .into_iter()
        .map(|(a, _)| a)
        .collect();
        for kind in ["availability", "headline", "location", "rate", "skill"] {
            assert!(kinds.iter().any(|k| k == kind), "no {kind} in {kinds:?}");
        }

        // Matching finds members for the seeded jobs, each with the skills that fit.
        app.matching().load(&|_, _| {}).unwrap();
        let jobs = rows(
            &db,
            "SELECT j.id AS a, u.handle AS b FROM jobs j JOIN users u ON u.id = j.client_id",
        );
        let mut found = 0;
        for (job, handle) in &jobs {
            let client = app.accounts().account_by_handle(handle).unwrap().unwrap();
            let talent = app.matching().find_talent(&client, job, 20).unwrap();
            assert!(talent.iter().all(|t| !t.matched.is_empty()));
            found += talent.len();
        }
        assert!(found > 0, "nobody fits any of {} jobs", jobs.len());

        // Money balances, and the finished contract's evidence verifies.
        assert!(app.work().audit_ledger().unwrap().is_sound());
        assert!(seeded.evidence > 0);
        let key = SigningKey::from_bytes(&[5; 32]);
        app.evidence().sign_checkpoint(&key).unwrap();
        let log = app.evidence().verify_log(&[key.verifying_key()]).unwrap();
        assert!(log.ok(), "{log:?}");
        assert_eq!(log.size as usize, seeded.evidence);

        // Seeding again is refused with words, and leaves the instance as it was.
        let before = contents(&db);
        let again = app.seed().run(&options, &|_, _, _| {}).unwrap_err();
        assert!(again.to_string().contains("already has members"), "{again}");
        assert_eq!(contents(&db), before);

        // The same seed on an empty instance makes the same members, links, jobs and
        // contracts.
        seed(&guildhall_app::testing::app(&twin), 120, 7);
        assert_eq!(contents(&twin), before);
    }
    // Another seed makes others (the generator is the same on both databases).
    let (first, other) = (TestDb::sqlite().unwrap(), TestDb::sqlite().unwrap());
    seed(&app(&first), 120, 7);
    seed(&app(&other), 120, 8);
    assert_ne!(contents(&other), contents(&first));
}

#[test]
fn too_few_members_or_a_weak_password_is_refused_before_anything_is_written() {
    for db in TestDb::all() {
        let app = app(&db);
        let few = SeedOptions {
            members: 9,
            seed: 1,
            password: PASSWORD.into(),
        };
        let err = app.seed().run(&few, &|_, _, _| {}).unwrap_err();
        assert!(err.to_string().contains("at least 10"), "{err}");
        let weak = SeedOptions {
            members: 10,
            seed: 1,
            password: "password".into(),
        };
        let err = app.seed().run(&weak, &|_, _, _| {}).unwrap_err();
        assert!(err.to_string().contains("characters"), "{err}");
        assert!(rows(&db, "SELECT handle AS a, handle AS b FROM users").is_empty());
    }
}
