//! The evidence log on both databases: work events reach the log from the change feed, once
//! each and in feed order, before anything reads it; proofs from the store verify against
//! signed checkpoints, and every kind of tampering with the stored leaves, subtree hashes or
//! checkpoints is found by `verify_log`.

pub mod trust;

use diesel::connection::SimpleConnection;
use ed25519_dalek::SigningKey;
use guildhall_app::App;
use guildhall_app::testing::{app, member, sign_up_input};
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_domain::evidence::decode_hash;
use guildhall_domain::evidence::merkle::{verify_consistency, verify_inclusion};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[9u8; 32])
}

fn h(hex_hash: &str) -> [u8; 32] {
    decode_hash(hex_hash).unwrap()
}

/// A completed two-milestone contract: deliveries, acceptances, releases and the completion.
fn some_work(app: &App, n: usize) {
    let operator = app
        .accounts()
        .create_account(
            guildhall_app::accounts::SignUp {
                email: format!("op{n}@example.org"),
                ..sign_up_input(&format!("operator{n}"))
            },
            true,
        )
        .unwrap();
    let client = member(app, &format!("client{n}"));
    let worker = member(app, &format!("worker{n}"));
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(&operator, &client.handle, Money::new(100_000, eur), "seed")
        .unwrap();
    let k = app
        .work()
        .offer_contract(
            &client,
            OfferInput {
                member: worker.handle.clone(),
                title: "Audit".into(),
                currency: "EUR".into(),
                milestones: (0..2)
                    .map(|i| MilestoneInput {
                        title: format!("Part {i}"),
                        amount: 10_000,
                        due_on: "2099-01-01".into(),
                        by_learner: false,
                    })
                    .collect(),
                community: None,
                referrer: None,
                hourly: None,
                learner: None,
            },
        )
        .unwrap();
    app.work().answer_offer(&worker, &k.id, true).unwrap();
    for m in &k.milestones {
        app.work()
            .fund_milestone(&client, &k.id, &m.id, &format!("f{}", m.id))
            .unwrap();
        app.work().submit_milestone(&worker, &k.id, &m.id).unwrap();
        app.work()
            .accept_milestone(&client, &k.id, &m.id, &format!("a{}", m.id))
            .unwrap();
    }
}

/// An account `some_work` made.
fn account(app: &App, handle: &str) -> guildhall_app::accounts::Account {
    app.accounts().account_by_handle(handle).unwrap().unwrap()
}

fn sql(db: &TestDb, statement: &str) {
    db.pool().get().unwrap().batch_execute(statement).unwrap();
}

/// How many entries the log stores, read without catching it up.
fn stored_size(db: &TestDb) -> i64 {
    guildhall_store::repo::evidence::size(&mut db.pool().get().unwrap()).unwrap()
}

/// How many neighbouring entries of the log are out of the change feed's order.
fn out_of_feed_order(db: &TestDb) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let count: Count = diesel::RunQueryDsl::get_result(
        diesel::sql_query(
            "SELECT COUNT(*) AS n FROM evidence_entries a \
             JOIN evidence_entries b ON b.idx = a.idx + 1 \
             JOIN domain_events ea ON ea.id = a.event_id \
             JOIN domain_events eb ON eb.id = b.event_id WHERE eb.seq <= ea.seq",
        ),
        &mut **db.pool().get().unwrap(),
    )
    .unwrap();
    count.n
}

#[test]
fn evidence_reaches_the_log_from_the_feed_once_each_and_in_feed_order() {
    for db in TestDb::all() {
        let app = app(&db);
        some_work(&app, 1);
        // The use cases recorded their events in the feed only; one catch-up appends them.
        assert_eq!(stored_size(&db), 0);
        assert_eq!(app.evidence().catch_up().unwrap(), 8);
        assert_eq!(app.evidence().catch_up().unwrap(), 0, "nothing new");
        // Catch-ups running beside use cases append each event once.
        std::thread::scope(|s| {
            for n in 2..4 {
                let app = &app;
                s.spawn(move || some_work(app, n));
            }
            for _ in 0..3 {
                let app = &app;
                s.spawn(move || {
                    for _ in 0..20 {
                        app.evidence().catch_up().unwrap();
                    }
                });
            }
        });
        app.evidence().catch_up().unwrap();
        assert_eq!(stored_size(&db), 24);
        assert_eq!(out_of_feed_order(&db), 0);
        let report = app.evidence().verify_log(&[key().verifying_key()]).unwrap();
        assert!(report.ok() && report.size == 24, "{report:?}");
    }
}

#[test]
fn one_catch_up_appends_more_evidence_than_one_transaction_takes() {
    for db in TestDb::all() {
        let app = app(&db);
        // Eight entries each: 264 are more than a catch-up transaction appends on either
        // backend (64 on SQLite, 256 on PostgreSQL).
        for n in 1..=33 {
            some_work(&app, n);
        }
        assert_eq!(app.evidence().catch_up().unwrap(), 264);
        assert_eq!(stored_size(&db), 264);
        assert_eq!(out_of_feed_order(&db), 0);
        let report = app.evidence().verify_log(&[key().verifying_key()]).unwrap();
        assert!(report.ok() && report.size == 264, "{report:?}");
    }
}

#[test]
fn a_log_that_cannot_take_the_feed_says_why_and_is_still_checked() {
    for db in TestDb::all() {
        let app = app(&db);
        some_work(&app, 1);
        app.evidence().catch_up().unwrap();
        // The last entry names an event the feed does not hold, and new evidence waits.
        sql(
            &db,
            "UPDATE evidence_entries SET event_id = event_id || '-gone' WHERE idx = 7",
        );
        some_work(&app, 2);
        let report = app.evidence().verify_log(&[key().verifying_key()]).unwrap();
        assert!(!report.ok(), "{report:?}");
        assert!(
            report
                .not_caught_up
                .as_deref()
                .is_some_and(|why| why.contains("is not in the change feed")),
            "{report:?}"
        );
        assert_eq!((report.size, report.payloads), (8, 8), "{report:?}");
    }
}

#[test]
fn erasure_reaches_evidence_still_on_its_way_from_the_feed() {
    for db in TestDb::all() {
        let app = app(&db);
        some_work(&app, 1);
        let worker = account(&app, "worker1");
        assert_eq!(stored_size(&db), 0);
        assert_eq!(
            app.evidence().erase_evidence(&worker, "worker1").unwrap(),
            8
        );
        assert!(app.evidence().my_evidence(&worker).unwrap().is_empty());
        let log = app.evidence().verify_log(&[key().verifying_key()]).unwrap();
        assert!(
            log.ok() && log.size == 8 && log.payloads == 8,
            "the client still holds every payload: {log:?}"
        );
    }
}

#[test]
fn work_is_logged_and_every_proof_verifies_against_a_signed_checkpoint() {
    for db in TestDb::all() {
        let app = app(&db);
        let empty = app.evidence().sign_checkpoint(&key()).unwrap();
        assert_eq!(empty.body.size, 0);
        some_work(&app, 1);
        let entries = app.evidence().evidence_entries(0, 100).unwrap();
        let kinds: Vec<&str> = entries.iter().map(|e| e.header.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "work.contract_started",
                "work.milestone_delivered",
                "work.milestone_accepted",
                "work.milestone_released",
                "work.milestone_delivered",
                "work.milestone_accepted",
                "work.milestone_released",
                "work.contract_completed",
            ]
        );
        let first = app.evidence().sign_checkpoint(&key()).unwrap();
        assert!(first.verify(&key().verifying_key()));
        assert_eq!(first.body.size, 8);
        assert_eq!(
            app.evidence().sign_checkpoint(&key()).unwrap(),
            first,
            "nothing new"
        );
        for e in &entries {
            let p = app.evidence().inclusion_proof(e.header.index, 8).unwrap();
            let path: Vec<[u8; 32]> = p.path.iter().map(|x| h(x)).collect();
            assert_eq!(p.leaf_hash, e.leaf_hash);
            assert!(verify_inclusion(
                &e.header.leaf_hash(),
                e.header.index,
                8,
                &path,
                &first.root().unwrap()
            ));
        }
        some_work(&app, 2);
        let second = app.evidence().sign_checkpoint(&key()).unwrap();
        assert_eq!(second.body.size, 16);
        let c = app.evidence().consistency_proof(8, 16).unwrap();
        let proof: Vec<[u8; 32]> = c.proof.iter().map(|x| h(x)).collect();
        assert!(verify_consistency(
            8,
            16,
            &first.root().unwrap(),
            &second.root().unwrap(),
            &proof
        ));
        assert!(app.evidence().inclusion_proof(16, 16).is_err());
        assert!(app.evidence().consistency_proof(0, 3).is_err());
        assert!(app.evidence().evidence_entries(0, 5000).is_err());
        let report = app.evidence().verify_log(&[key().verifying_key()]).unwrap();
        assert!(report.ok(), "{report:?}");
        assert_eq!(
            (
                report.size,
                report.checkpoints,
                report.payloads,
                report.unsigned
            ),
            (16, 3, 16, 0)
        );
        some_work(&app, 3);
        let report = app.evidence().verify_log(&[key().verifying_key()]).unwrap();
        assert!(report.ok() && report.unsigned == 8, "{report:?}");
    }
}

/// SQL for a hex column with its first byte changed, whatever it was (a fixed `00` would
/// change nothing one time in 256).
fn altered(column: &str) -> String {
    format!("CASE WHEN {column} LIKE '00%' THEN 'ff' ELSE '00' END || substr({column}, 3)")
}

/// Builds a signed log of 8 entries, applies `tamper`, and returns what `verify_log` says.
fn after(tamper: &str) -> Vec<guildhall_app::evidence::LogReport> {
    TestDb::all()
        .into_iter()
        .map(|db| {
            let app = app(&db);
            some_work(&app, 1);
            app.evidence().sign_checkpoint(&key()).unwrap();
            assert!(
                app.evidence()
                    .verify_log(&[key().verifying_key()])
                    .unwrap()
                    .ok()
            );
            sql(&db, tamper);
            app.evidence().verify_log(&[key().verifying_key()]).unwrap()
        })
        .collect()
}

#[test]
fn tampering_with_leaves_subtrees_or_checkpoints_is_found() {
    let bad_leaf = |tamper: &str, index: u64, why: &str| {
        for report in after(tamper) {
            let (at, reason) = report.first_bad_leaf.clone().expect(tamper);
            assert_eq!(at, index, "{tamper}: {reason}");
            assert!(reason.contains(why), "{tamper}: {reason}");
        }
    };
    // Altered: a leaf's kind changes its header, so its hash no longer matches.
    bad_leaf(
        "UPDATE evidence_entries SET kind = 'work.contract_cancelled' WHERE idx = 3",
        3,
        "leaf hash does not match",
    );
    // Altered payload.
    bad_leaf(
        "UPDATE evidence_payloads SET payload = '{\"forged\":true}' WHERE idx = 4",
        4,
        "payload does not match",
    );
    // Deleted.
    bad_leaf(
        "DELETE FROM evidence_payloads WHERE idx = 2; DELETE FROM evidence_subjects WHERE idx = 2; \
         DELETE FROM evidence_entries WHERE idx = 2",
        2,
        "missing",
    );
    // Reordered: entries 1 and 2 swap places (each header names its position).
    let swap = |column: &str| {
        format!(
            "{column} = (SELECT e.{column} FROM evidence_entries e WHERE e.idx = 3 - evidence_entries.idx)"
        )
    };
    bad_leaf(
        &format!(
            "UPDATE evidence_entries SET {}, {}, {}, {} WHERE idx IN (1, 2)",
            swap("kind"),
            swap("at"),
            swap("payload_sha256"),
            swap("leaf_hash")
        ),
        1,
        "leaf hash does not match",
    );
    // Inserted: a copy of the last entry appended as a ninth, its hashes copied along.
    bad_leaf(
        "INSERT INTO evidence_entries (idx, kind, at, payload_sha256, leaf_hash, event_id) \
         SELECT 8, kind, at, payload_sha256, leaf_hash, event_id || '-copy' FROM evidence_entries WHERE idx = 7",
        8,
        "",
    );
    // A stored subtree hash altered: proofs would lie, so it is named too.
    bad_leaf(
        &format!(
            "UPDATE evidence_nodes SET hash = {} WHERE level = 1 AND idx = 1",
            altered("hash")
        ),
        2,
        "subtree at level 1",
    );
    // A checkpoint's stored root altered, or its body forged: both are caught.
    for report in after(&format!(
        "UPDATE evidence_checkpoints SET root = {}",
        altered("root")
    )) {
        assert_eq!(report.bad_checkpoints.len(), 1, "{report:?}");
    }
    // A checkpoint inserted by copying a signed one under another size.
    for report in after(
        "INSERT INTO evidence_checkpoints (size, root, at, key_id, body, signature) \
         SELECT 5, root, at, key_id, body, signature FROM evidence_checkpoints WHERE size = 8",
    ) {
        assert_eq!(report.bad_checkpoints.len(), 1, "{report:?}");
        assert!(
            report.bad_checkpoints[0].1.contains("stored size"),
            "{report:?}"
        );
    }
    for report in after(&format!(
        "UPDATE evidence_checkpoints SET signature = {}, \
         body = replace(body, '\"size\":8', '\"size\":7'), size = 7",
        altered("signature")
    )) {
        assert!(
            report.bad_checkpoints[0].1.contains("signature"),
            "{report:?}"
        );
    }
}

#[test]
fn a_bundle_verifies_offline_and_erasure_keeps_every_proof_valid() {
    for db in TestDb::all() {
        let app = app(&db);
        some_work(&app, 1);
        let worker = account(&app, "worker1");
        let client = account(&app, "client1");
        let public = key().verifying_key();

        let bundle = app.evidence().evidence_bundle(&worker, &key()).unwrap();
        assert_eq!(
            bundle.entries.len(),
            8,
            "every entry of the contract is about the worker"
        );
        let report = bundle.verify(&public);
        assert!(report.ok() && report.verified == 8, "{report:?}");

        // Altered payloads, proofs or keys are caught, and say where.
        let mut forged = bundle.clone();
        forged.entries[2].payload = Some(serde_json::json!({"forged": true}));
        assert_eq!(forged.verify(&public).problems[0].0, Some(2));
        let mut forged = bundle.clone();
        forged.entries[4].proof[0] = "00".repeat(32);
        assert_eq!(forged.verify(&public).problems[0].0, Some(4));
        let mut forged = bundle.clone();
        forged.entries[5].header.at += 1;
        assert!(!forged.verify(&public).ok());
        let stranger = SigningKey::from_bytes(&[1u8; 32]).verifying_key();
        assert_eq!(bundle.verify(&stranger).problems[0].0, None);

        // The worker's reputation is computed from these entries, and names them.
        let figures = app.evidence().my_reputation(&worker).unwrap().figures;
        let on_time = figures.iter().find(|f| f.name == "on_time").unwrap();
        assert_eq!(on_time.entries.len(), 2, "{on_time:?}");
        assert!(
            (on_time.value - 5.0 / 6.0).abs() < 1e-6,
            "two on time over a 3:1 prior"
        );
        let completion = figures.iter().find(|f| f.name == "completion").unwrap();
        assert_eq!(completion.entries.len(), 1);

        // Only the member or an operator erases; afterwards the log and the client's bundle
        // still verify, and the client keeps their own view of the shared work.
        assert!(app.evidence().erase_evidence(&client, "worker1").is_err());
        assert_eq!(
            app.evidence().erase_evidence(&worker, "worker1").unwrap(),
            8
        );
        assert!(app.evidence().my_evidence(&worker).unwrap().is_empty());
        let after = app.evidence().my_reputation(&worker).unwrap().figures;
        assert!(
            after.iter().all(|f| f.new && f.entries.is_empty()),
            "erased evidence no longer counts"
        );
        let theirs = app.evidence().evidence_bundle(&client, &key()).unwrap();
        let report = theirs.verify(&public);
        assert!(report.ok(), "{report:?}");
        assert_eq!((report.verified, report.erased), (8, 0));
        let log = app.evidence().verify_log(&[public]).unwrap();
        assert!(log.ok() && log.payloads == 8, "{log:?}");

        // A payload goes once its last holder erases their view too.
        assert_eq!(
            app.evidence().erase_evidence(&client, "client1").unwrap(),
            8
        );
        let log = app.evidence().verify_log(&[public]).unwrap();
        assert!(log.ok() && log.payloads == 0, "{log:?}");
    }
}

#[test]
fn the_proof_endpoints_expose_an_altered_leaf() {
    for db in TestDb::all() {
        let app = app(&db);
        some_work(&app, 1);
        let checkpoint = app.evidence().sign_checkpoint(&key()).unwrap();
        let size = checkpoint.body.size;
        let proves = |index: u64| {
            let entry = app
                .evidence()
                .evidence_entries(index, index + 1)
                .unwrap()
                .remove(0);
            let proof = app.evidence().inclusion_proof(index, size).unwrap();
            let path: Vec<[u8; 32]> = proof.path.iter().map(|x| h(x)).collect();
            verify_inclusion(
                &entry.header.leaf_hash(),
                index,
                size,
                &path,
                &checkpoint.root().unwrap(),
            )
        };
        assert!(proves(3));
        // What an entry says is changed in place: a reader who recomputes the leaf hash from
        // the header the API serves finds that the proof no longer reaches the signed root.
        sql(&db, "UPDATE evidence_entries SET at = at + 1 WHERE idx = 3");
        assert!(!proves(3), "the altered entry");
        assert!(proves(4), "its neighbours still prove");
        // So is a changed kind, even with the stored leaf hash left as it was.
        sql(
            &db,
            "UPDATE evidence_entries SET kind = 'work.contract_cancelled' WHERE idx = 5",
        );
        assert!(!proves(5));
    }
}
