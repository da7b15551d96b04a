//! Credentials checked by a widely used third-party verifier: Digital Bazaar's `vc`,
//! `data-integrity` and `eddsa-jcs-2022-cryptosuite` libraries for JavaScript (installed from
//! the npm registry into `tests/interop` by `.ci/run`), with the issuer's DID document and
//! status list as the instance serves them. Without Node.js or those packages the test says so
//! and passes, unless `GUILDHALL_REQUIRE_INTEROP` is set.

use guildhall_app::App;
use guildhall_app::credentials::{CredentialRequest, RevokeInput, Signer};
use guildhall_app::testing::{member, operator};
use guildhall_domain::credentials::badge::{Issuer, Kind};
use guildhall_store::testdb::TestDb;
use std::path::{Path, PathBuf};
use std::process::Command;

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// Whether the verifier can run here; panics when it must and cannot.
fn verifier_ready() -> bool {
    let ready = interop_dir()
        .join("node_modules/@digitalbazaar/vc")
        .exists()
        && Command::new("node").arg("--version").output().is_ok();
    if !ready && std::env::var_os("GUILDHALL_REQUIRE_INTEROP").is_some() {
        panic!(
            "GUILDHALL_REQUIRE_INTEROP is set but tests/interop has no node_modules: run `npm ci --prefix crates/guildhall/tests/interop`"
        );
    }
    if !ready {
        eprintln!("skipped: Node.js or the verifier's npm packages are not installed");
    }
    ready
}

/// The third-party verifier's answer for the credential, DID document and status list in `dir`.
fn third_party_verdict(dir: &Path) -> (bool, String) {
    let out = Command::new("node")
        .arg(interop_dir().join("verify.mjs"))
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn completed_contract(app: &App) -> (guildhall_app::accounts::Account, String) {
    let op = operator(app, "operator");
    let (client, ana) = (member(app, "client"), member(app, "ana"));
    let id = guildhall_app::testing::completed_contract(app, &op, &client, &ana, "Data pipeline");
    (ana, id)
}

#[test]
fn credentials_verify_in_the_digital_bazaar_verifier_until_revoked() {
    if !verifier_ready() {
        return;
    }
    let db = TestDb::sqlite().unwrap();
    let app = guildhall_app::testing::app(&db);
    let (ana, contract) = completed_contract(&app);
    let signer = Signer {
        key: ed25519_dalek::SigningKey::from_bytes(&[11; 32]),
        retired: Vec::new(),
        issuer: Issuer {
            did: "did:web:guild.example.org".into(),
            name: "Example Guild".into(),
            url: "https://guild.example.org".into(),
        },
    };
    let issued = app
        .credentials()
        .request(
            &ana,
            &signer,
            &CredentialRequest {
                kind: Kind::Contract,
                about: contract,
            },
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, value: &serde_json::Value| {
        std::fs::write(
            dir.path().join(name),
            serde_json::to_string_pretty(value).unwrap(),
        )
        .unwrap();
    };
    write("credential.json", &issued.document);
    write(
        "did.json",
        &guildhall_domain::did::document(&signer.issuer.did, &signer.keys()),
    );
    write(
        "status.json",
        &app.credentials().status_list(&signer, 1).unwrap(),
    );
    let (ok, text) = third_party_verdict(dir.path());
    assert!(ok, "the third-party verifier refused it: {text}");

    let mut changed = issued.document.clone();
    changed["credentialSubject"]["achievement"]["name"] = "Delivered: everything".into();
    write("credential.json", &changed);
    let (ok, text) = third_party_verdict(dir.path());
    assert!(
        !ok && text.contains("Invalid signature"),
        "a changed claim passed: {text}"
    );

    write("credential.json", &issued.document);
    app.credentials()
        .revoke(
            &ana,
            &issued.id,
            &RevokeInput {
                reason: "Asked by the holder".into(),
            },
        )
        .unwrap();
    write(
        "status.json",
        &app.credentials().status_list(&signer, 1).unwrap(),
    );
    let (ok, text) = third_party_verdict(dir.path());
    assert!(
        !ok && text.contains("revocation bit set"),
        "a revoked credential passed: {text}"
    );
}
