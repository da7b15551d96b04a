//! Deliveries carry the work, on both databases: files checked by content and size and stored
//! under their SHA-256 before anything is recorded, downloads for the contract's parties only
//! (and operators once it was disputed), and the hash in the delivery's evidence entry. The
//! file stores — memory, a folder, and an S3-compatible server when one is given — pass the
//! same tests.

use guildhall_app::accounts::Account;
use guildhall_app::files::{Files, S3Options, key_of, sha256_hex};
use guildhall_app::testing::{member, operator, settings};
use guildhall_app::work::deliveries::DeliveryInput;
use guildhall_app::work::disputes::DisputeInput;
use guildhall_app::work::{ContractView, MilestoneInput, OfferInput};
use guildhall_app::{App, AppError};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

/// A small PDF: what the header says is what `infer` reads.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// The S3-compatible server to test against, if one is running (`.ci/run` starts one).
fn s3() -> Option<Files> {
    let endpoint = std::env::var("GUILDHALL_TEST_S3_ENDPOINT").ok();
    if endpoint.is_none() && std::env::var("GUILDHALL_REQUIRE_S3").is_ok() {
        panic!("GUILDHALL_REQUIRE_S3 is set but GUILDHALL_TEST_S3_ENDPOINT is not");
    }
    let options = S3Options {
        endpoint: endpoint?,
        bucket: std::env::var("GUILDHALL_TEST_S3_BUCKET").unwrap_or("guildhall-test".into()),
        region: "us-east-1".into(),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
    };
    Some(Files::s3(&options).expect("the test S3 server's settings"))
}

/// Every store the tests can reach: memory, a folder, and S3 when one is running.
fn stores(folder: &std::path::Path) -> Vec<(&'static str, Files)> {
    let mut all = vec![
        ("memory", Files::in_memory()),
        ("folder", Files::folder(folder).unwrap()),
    ];
    all.extend(s3().map(|s| ("s3", s)));
    all
}

#[test]
fn every_file_store_keeps_what_it_is_given_and_knows_what_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    for (name, files) in stores(dir.path()) {
        let sha = sha256_hex(PDF);
        files.put(&key_of(&sha), PDF.to_vec()).unwrap();
        assert_eq!(
            files.get(&key_of(&sha)).unwrap().as_deref(),
            Some(PDF),
            "{name}"
        );
        let missing = key_of(&sha256_hex(b"never stored"));
        assert_eq!(files.get(&missing).unwrap(), None, "{name}");
        // The same file twice is one object.
        files.put(&key_of(&sha), PDF.to_vec()).unwrap();
        assert_eq!(
            files.get(&key_of(&sha)).unwrap().as_deref(),
            Some(PDF),
            "{name}"
        );
    }
}

struct World {
    app: App,
    client: Account,
    worker: Account,
    contract: ContractView,
}

fn world(db: &TestDb, files: Files) -> World {
    let mut s = settings();
    s.files = files;
    let app = App::new(db.pool(), Arc::new(guildhall_app::clock::SystemClock), s);
    let op = operator(&app, "operator");
    let client = member(&app, "client");
    let worker = member(&app, "worker");
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(&op, "client", Money::new(100_000, eur), "in")
        .unwrap();
    let k = app
        .work()
        .offer_contract(
            &client,
            OfferInput {
                member: "worker".into(),
                title: "Index audit".into(),
                currency: "EUR".into(),
                milestones: vec![MilestoneInput {
                    title: "Report".into(),
                    amount: 50_000,
                    due_on: "2099-01-01".into(),
                    by_learner: false,
                }],
                community: None,
                referrer: None,
                hourly: None,
                learner: None,
            },
        )
        .unwrap();
    app.work().answer_offer(&worker, &k.id, true).unwrap();
    let m = k.milestones[0].id.clone();
    let contract = app.work().fund_milestone(&client, &k.id, &m, "f").unwrap();
    World {
        app,
        client,
        worker,
        contract,
    }
}

fn field_error<T: std::fmt::Debug>(r: Result<T, AppError>, path: &str) -> String {
    match r {
        Err(AppError::Validation(e)) if e.0.iter().any(|f| f.path == path) => {
            e.0[0].message.clone()
        }
        other => panic!("expected a field error on {path}, got {other:?}"),
    }
}

#[test]
fn a_delivery_carries_checked_files_whose_hashes_the_evidence_log_holds() {
    let dir = tempfile::tempdir().unwrap();
    for (store, files) in stores(dir.path()) {
        for db in TestDb::all() {
            delivery_on(&db, store, files.clone());
        }
    }
}

fn delivery_on(db: &TestDb, store: &str, files: Files) {
    let w = world(db, files.clone());
    let (app, k) = (&w.app, &w.contract.id);
    let held = |bytes: &[u8]| files.get(&key_of(&sha256_hex(bytes))).unwrap().is_some();

    // Refused before anything is stored or recorded: too large, a program, empty.
    let big = vec![b'a'; guildhall_app::files::MAX_FILE_BYTES + 1];
    let m = field_error(
        app.work()
            .upload_delivery_file(&w.worker, k, "big.txt", big.clone()),
        "/file",
    );
    assert!(m.contains("larger than 10 MB"), "{m}");
    let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    let m = field_error(
        app.work()
            .upload_delivery_file(&w.worker, k, "report.pdf", elf.clone()),
        "/file",
    );
    assert!(m.contains("not taken"), "{m}");
    field_error(
        app.work()
            .upload_delivery_file(&w.worker, k, "empty.txt", Vec::new()),
        "/file",
    );
    assert!(!held(&big) && !held(&elf), "nothing stored in {store}");
    // Only the contract's member uploads; others do not learn it exists.
    assert!(matches!(
        app.work()
            .upload_delivery_file(&w.client, k, "a.pdf", PDF.to_vec()),
        Err(AppError::Forbidden(_))
    ));
    let stranger = member(app, "stranger");
    assert!(matches!(
        app.work()
            .upload_delivery_file(&stranger, k, "a.pdf", PDF.to_vec()),
        Err(AppError::NotFound)
    ));

    // The type comes from the content, the name from the upload without its folders.
    let pdf = app
        .work()
        .upload_delivery_file(&w.worker, k, "C:\\work\\report.pdf", PDF.to_vec())
        .unwrap();
    assert_eq!(
        (pdf.name.as_str(), pdf.content_type.as_str()),
        ("report.pdf", "application/pdf")
    );
    let notes = app
        .work()
        .upload_delivery_file(
            &w.worker,
            k,
            "notes.md",
            "# Findings\nIndex the orders table.\n".into(),
        )
        .unwrap();
    assert_eq!(notes.content_type, "text/plain; charset=utf-8");
    assert!(held(PDF), "stored in {store}");
    // Not delivered yet: the uploader's alone.
    assert!(matches!(
        app.work().contract_file(&w.client, k, &pdf.id),
        Err(AppError::NotFound)
    ));

    let m = w.contract.milestones[0].id.clone();
    let bad = DeliveryInput {
        links: vec!["not a link".into()],
        ..DeliveryInput::default()
    };
    field_error(
        app.work().deliver_milestone(&w.worker, k, &m, bad),
        "/links/0",
    );
    let delivered = app
        .work()
        .deliver_milestone(
            &w.worker,
            k,
            &m,
            DeliveryInput {
                message: "The report, and my notes.".into(),
                links: vec!["https://example.org/dashboards/orders".into()],
                // Sent in another order than uploaded.
                files: vec![notes.id.clone(), pdf.id.clone()],
            },
        )
        .unwrap();
    let d = &delivered.milestones[0].deliveries[0];
    assert_eq!(d.message, "The report, and my notes.");
    assert_eq!(d.links, ["https://example.org/dashboards/orders"]);
    // The contract's first delivery answers from what it wrote, as a fresh read shows it: the
    // files in the order uploaded.
    let names: Vec<&str> = d.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["report.pdf", notes.name.as_str()]);
    assert_eq!(
        serde_json::to_value(&delivered).unwrap(),
        serde_json::to_value(app.work().contract(&w.worker, k).unwrap()).unwrap()
    );

    // The parties download it, byte for byte; a stranger and an operator (no dispute) do not.
    let (file, bytes) = app.work().contract_file(&w.client, k, &pdf.id).unwrap();
    assert_eq!((file.name.as_str(), bytes.as_slice()), ("report.pdf", PDF));
    assert!(app.work().contract_file(&w.worker, k, &notes.id).is_ok());
    assert!(matches!(
        app.work().contract_file(&stranger, k, &pdf.id),
        Err(AppError::NotFound)
    ));
    let op = app
        .accounts()
        .account_by_handle("operator")
        .unwrap()
        .unwrap();
    assert!(matches!(
        app.work().contract_file(&op, k, &pdf.id),
        Err(AppError::NotFound)
    ));

    // The evidence entry of the delivery holds each file's SHA-256, in the order sent.
    app.evidence().catch_up().unwrap();
    let entries = app.evidence().my_evidence(&w.worker).unwrap();
    let delivery = entries
        .iter()
        .find(|e| e.header.kind == "work.milestone_delivered")
        .expect("the delivery is evidence");
    let payload = delivery.payload.as_ref().unwrap();
    assert_eq!(
        payload["data"]["files"],
        serde_json::json!([notes.sha256, sha256_hex(PDF)]),
        "{payload}"
    );
    assert_eq!(pdf.sha256, sha256_hex(PDF));

    // A file delivered once cannot be delivered again.
    app.work()
        .request_changes(&w.client, k, &m, "Add the query plans")
        .unwrap();
    let again = DeliveryInput {
        files: vec![pdf.id.clone()],
        ..DeliveryInput::default()
    };
    field_error(
        app.work().deliver_milestone(&w.worker, k, &m, again),
        "/files/0",
    );

    // A revision without files: each delivery keeps its own files, in the order uploaded.
    let revised = app
        .work()
        .deliver_milestone(
            &w.worker,
            k,
            &m,
            DeliveryInput {
                message: "Now with the query plans.".into(),
                ..DeliveryInput::default()
            },
        )
        .unwrap();
    let files: Vec<Vec<&str>> = revised.milestones[0]
        .deliveries
        .iter()
        .map(|d| d.files.iter().map(|f| f.name.as_str()).collect())
        .collect();
    assert_eq!(files, [vec!["report.pdf", notes.name.as_str()], vec![]]);

    // Once disputed, an operator may read the files to decide.
    app.work()
        .open_dispute(
            &w.client,
            k,
            DisputeInput {
                milestone: m.clone(),
                reason: "The report misses the query plans.".into(),
            },
        )
        .unwrap();
    assert!(app.work().contract_file(&op, k, &pdf.id).is_ok());
}
