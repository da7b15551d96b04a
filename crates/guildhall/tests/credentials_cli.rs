//! `guildhall verify-credential` offline, and `guildhall rotate-key`: after a rotation the log,
//! a bundle and a credential signed with the old key all still verify, given the key history.

use ed25519_dalek::pkcs8::DecodePrivateKey;
use guildhall_app::App;
use guildhall_app::credentials::{CredentialRequest, Signer};
use guildhall_domain::credentials::badge::{Issuer, Kind};
use std::path::Path;
use std::process::Command;

fn guildhall(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_guildhall"))
        .env_remove("GUILDHALL_DATABASE_URL")
        .env_remove("GUILDHALL_DATA_DIR")
        .args(args)
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

fn instance_key(data: &Path) -> ed25519_dalek::SigningKey {
    let pem = std::fs::read_to_string(data.join("instance.ed25519")).unwrap();
    ed25519_dalek::SigningKey::from_pkcs8_pem(&pem).unwrap()
}

/// `ana` completes a contract for `client`; returns ana and the contract id.
fn paid_work(app: &App) -> (guildhall_app::accounts::Account, String) {
    use guildhall_app::testing::{completed_contract, member, operator};
    let (client, ana, op) = (
        member(app, "client"),
        member(app, "ana"),
        operator(app, "operator"),
    );
    let id = completed_contract(app, &op, &client, &ana, "Audit");
    (ana, id)
}

#[test]
fn after_a_key_rotation_the_log_bundles_and_credentials_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    assert!(guildhall(&["migrate", "--data-dir", data_arg]).0);
    let old = instance_key(&data);
    let pool = guildhall_store::connect(data.join("guildhall.db").to_str().unwrap(), 1).unwrap();
    let app = App::new(
        pool,
        std::sync::Arc::new(guildhall_app::SystemClock),
        guildhall_app::AppSettings {
            password_cost: guildhall_app::PasswordCost::Fast,
            ..Default::default()
        },
    );
    let (ana, contract) = paid_work(&app);
    let did = "did:web:guild.example.org";
    let signer = Signer {
        key: old.clone(),
        retired: Vec::new(),
        issuer: Issuer {
            did: did.into(),
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
    let bundle = app.evidence().evidence_bundle(&ana, &old).unwrap();
    let write = |name: &str, value: &serde_json::Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, value.to_string()).unwrap();
        path.to_str().unwrap().to_string()
    };
    let credential = write("credential.json", &issued.document);
    let bundle = write("bundle.json", &serde_json::to_value(&bundle).unwrap());
    let list = write(
        "status.json",
        &app.credentials().status_list(&signer, 1).unwrap(),
    );
    let doc = write(
        "did.json",
        &guildhall_domain::did::document(did, &[old.verifying_key()]),
    );

    // Offline with the DID document: every check but the status list, which is not at hand.
    let (ok, text) = guildhall(&["verify-credential", &credential, "--did-document", &doc]);
    assert!(ok, "{text}");
    assert!(
        text.contains("status    skipped") && text.contains("evidence  passed"),
        "{text}"
    );
    let (ok, text) = guildhall(&[
        "verify-credential",
        &credential,
        "--did-document",
        &doc,
        "--status-list",
        &list,
    ]);
    assert!(
        ok && text.contains("status    passed: not revoked"),
        "{text}"
    );
    let (ok, text) = guildhall(&["verify-credential", &credential]);
    assert!(
        !ok && text.contains("give --did-document, --key or --online"),
        "{text}"
    );
    let tampered = write(
        "tampered.json",
        &serde_json::from_str(
            &issued
                .document
                .to_string()
                .replace("Delivered: Audit", "Delivered: Everything"),
        )
        .unwrap(),
    );
    let (ok, text) = guildhall(&["verify-credential", &tampered, "--did-document", &doc]);
    assert!(
        !ok && text.contains("not verified: the signature does not match"),
        "{text}"
    );

    // Rotation: a new key signs from now on; the old one is listed as retired.
    let (ok, text) = guildhall(&["rotate-key", "--data-dir", data_arg]);
    assert!(ok && text.contains("retired key z6Mk"), "{text}");
    let new = instance_key(&data);
    assert_ne!(new.verifying_key(), old.verifying_key());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("instance.ed25519"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (ok, text) = guildhall(&["verify", "--data-dir", data_arg]);
    assert!(
        ok && text.contains("2 signed checkpoints"),
        "the old checkpoints still verify: {text}"
    );

    let hex_of = |k: &ed25519_dalek::SigningKey| hex::encode(k.verifying_key().as_bytes());
    let (ok, text) = guildhall(&["verify-bundle", &bundle, "--key", &hex_of(&new)]);
    assert!(!ok && text.contains("not among the keys given"), "{text}");
    let (ok, text) = guildhall(&[
        "verify-bundle",
        &bundle,
        "--key",
        &hex_of(&new),
        "--key",
        &hex_of(&old),
    ]);
    assert!(ok, "{text}");

    let multikey =
        |k: &ed25519_dalek::SigningKey| guildhall_domain::did::multikey(&k.verifying_key());
    let (ok, text) = guildhall(&["verify-credential", &credential, "--key", &multikey(&new)]);
    assert!(!ok && text.contains("does not list the key"), "{text}");
    let (ok, text) = guildhall(&[
        "verify-credential",
        &credential,
        "--key",
        &multikey(&new),
        "--key",
        &multikey(&old),
    ]);
    assert!(ok, "{text}");
}
