//! A badge signed, then verified; each tampering fails with its own reason.

use super::badge::{self, Claim, Issuer, Kind, StatusEntry};
use super::status_list::Bitstring;
use super::{Outcome, Report, Resolver, format_time, proof, verify};
use crate::evidence::merkle::{MemoryTree, inclusion_proof, root};
use crate::evidence::{Checkpoint, EntryHeader};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::{Value, json};

const DID: &str = "did:web:guild.example.org";
const LIST: &str = "https://guild.example.org/credentials/status/1";

fn issuer() -> Issuer {
    Issuer {
        did: DID.into(),
        name: "Example Guild".into(),
        url: "https://guild.example.org".into(),
    }
}

fn key() -> SigningKey {
    SigningKey::from_bytes(&[3; 32])
}

/// An instance whose DID lists `keys` and serves `list`.
struct Instance {
    keys: Vec<VerifyingKey>,
    list: Option<Value>,
}

impl Resolver for Instance {
    fn keys(&self, did: &str) -> Result<Vec<VerifyingKey>, String> {
        if did == DID {
            Ok(self.keys.clone())
        } else {
            Err(format!("{did} cannot be resolved"))
        }
    }
    fn status_list(&self, url: &str) -> Option<Result<Value, String>> {
        (url == LIST).then(|| self.list.clone().ok_or("unreachable".into()))
    }
}

fn method(key: &SigningKey) -> String {
    crate::did::key_id(DID, &key.verifying_key())
}

fn signed_list(key: &SigningKey, revoked: &[u64]) -> Value {
    let mut bits = Bitstring::default();
    for i in revoked {
        bits.set(*i);
    }
    let list =
        badge::status_list_credential(&issuer(), LIST, &bits.encode(), "2026-01-01T00:00:00Z");
    proof::sign(&list, key, &method(key), "2026-01-01T00:00:00Z")
}

/// A log of three entries, the second the credential's evidence, checkpointed by `key`.
fn evidence(key: &SigningKey) -> Value {
    let payload = json!({"kind": "work.contract_completed", "contract": "c1"});
    let headers: Vec<EntryHeader> = (0..3)
        .map(|i| {
            EntryHeader::new(
                i,
                "work.contract_completed",
                1_700_000_000_000 + i as i64,
                &payload,
            )
        })
        .collect();
    let mut tree = MemoryTree {
        leaves: headers.iter().map(EntryHeader::leaf_hash).collect(),
    };
    let root = root(&mut tree, 3).unwrap();
    let checkpoint = Checkpoint::sign(
        key,
        "https://guild.example.org",
        3,
        &root,
        1_700_000_001_000,
    );
    let path = inclusion_proof(&mut tree, 1, 3).unwrap().unwrap();
    json!({
        "type": ["Evidence"],
        "name": "Contract completed",
        "genre": "work.contract_completed",
        "logEntry": headers[1],
        "payload": payload,
        "inclusionProof": path.iter().map(hex::encode).collect::<Vec<_>>(),
        "checkpoint": checkpoint,
    })
}

fn claim(valid_from: &str) -> Claim {
    Claim {
        id: "urn:uuid:0192f0c1-0000-7000-8000-000000000001".into(),
        kind: Kind::Contract,
        subject: "https://guild.example.org/u/ada".into(),
        subject_name: "Ada".into(),
        achievement_id: "https://guild.example.org/achievements/contract".into(),
        name: "Delivered: Data pipeline".into(),
        description: "Completed and paid a contract on Example Guild.".into(),
        criteria: "Every milestone delivered, approved and paid.".into(),
        skills: vec!["SQL".into()],
        alignment: vec![(
            "SQL".into(),
            "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742".into(),
        )],
        evidence: vec![evidence(&key())],
        valid_from: valid_from.into(),
        status: StatusEntry {
            list: LIST.into(),
            index: 7,
        },
    }
}

fn issue(key: &SigningKey) -> Value {
    let vc = badge::credential(&issuer(), &claim("2026-02-01T00:00:00Z"));
    proof::sign(&vc, key, &method(key), "2026-02-01T00:00:00Z")
}

fn now() -> jiff::Timestamp {
    "2026-06-01T00:00:00Z".parse().unwrap()
}

fn check(vc: &Value, revoked: &[u64]) -> Report {
    let instance = Instance {
        keys: vec![key().verifying_key()],
        list: Some(signed_list(&key(), revoked)),
    };
    verify(vc, now(), &instance)
}

#[test]
fn a_signed_badge_verifies_in_every_check() {
    let vc = issue(&key());
    assert_eq!(
        vc["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(
        vc["credentialSubject"]["achievement"]["achievementType"],
        "Achievement"
    );
    assert_eq!(vc["credentialStatus"]["statusListIndex"], "7");
    let report = check(&vc, &[]);
    assert!(report.verified, "{report:?}");
    assert!(
        report.checks.iter().all(|c| c.outcome == Outcome::Passed),
        "{report:?}"
    );
    assert_eq!(report.checks.len(), 5);
}

#[test]
fn each_tampering_fails_with_its_reason() {
    let vc = issue(&key());
    let problem = |doc: &Value, revoked: &[u64]| check(doc, revoked).problem.unwrap_or_default();

    let mut changed = vc.clone();
    changed["credentialSubject"]["achievement"]["name"] = "Delivered: everything".into();
    assert!(problem(&changed, &[]).contains("signature does not match"));

    let mut swapped = vc.clone();
    swapped["proof"]["proofValue"] = signed_list(&key(), &[])["proof"]["proofValue"].clone();
    assert!(problem(&swapped, &[]).contains("signature does not match"));

    let mut other_issuer = vc.clone();
    other_issuer["issuer"]["id"] = "did:web:elsewhere.example".into();
    assert!(problem(&other_issuer, &[]).contains("does not belong to the issuer"));

    let stranger = SigningKey::from_bytes(&[4; 32]);
    let forged = issue(&stranger);
    assert!(problem(&forged, &[]).contains("does not list the key"));

    let mut expiring = badge::credential(&issuer(), &claim("2026-02-01T00:00:00Z"));
    expiring["validUntil"] = "2026-03-01T00:00:00Z".into();
    let expired = proof::sign(&expiring, &key(), &method(&key()), "2026-02-01T00:00:00Z");
    assert_eq!(problem(&expired, &[]), "it has expired");

    let early = badge::credential(&issuer(), &claim("2027-01-01T00:00:00Z"));
    let early = proof::sign(&early, &key(), &method(&key()), "2026-02-01T00:00:00Z");
    assert_eq!(problem(&early, &[]), "it is not valid yet");

    assert_eq!(problem(&vc, &[7]), "it has been revoked");
    assert!(check(&vc, &[6, 8]).verified);

    // Evidence altered before signing: the signature holds, the log proof does not.
    let mut lying = badge::credential(&issuer(), &claim("2026-02-01T00:00:00Z"));
    lying["evidence"][0]["payload"]["contract"] = "c2".into();
    let lying = proof::sign(&lying, &key(), &method(&key()), "2026-02-01T00:00:00Z");
    assert_eq!(
        problem(&lying, &[]),
        "log entry 1: its payload does not match its header"
    );
}

#[test]
fn a_status_list_signed_by_someone_else_is_refused() {
    let vc = issue(&key());
    let instance = Instance {
        keys: vec![key().verifying_key()],
        list: Some(signed_list(&SigningKey::from_bytes(&[5; 32]), &[])),
    };
    let report = verify(&vc, now(), &instance);
    assert!(!report.verified);
    assert!(
        report
            .problem
            .unwrap()
            .starts_with("its status list's proof does not hold")
    );
}

#[test]
fn offline_the_status_is_skipped_not_passed() {
    let vc = issue(&key());
    let instance = Instance {
        keys: vec![key().verifying_key()],
        list: None,
    };
    let report = verify(&vc, now(), &instance);
    assert!(
        !report.verified,
        "an unreachable list is a failure: {report:?}"
    );
    struct Offline;
    impl Resolver for Offline {
        fn keys(&self, _: &str) -> Result<Vec<VerifyingKey>, String> {
            Ok(vec![key().verifying_key()])
        }
        fn status_list(&self, _: &str) -> Option<Result<Value, String>> {
            None
        }
    }
    let report = verify(&vc, now(), &Offline);
    assert!(report.verified);
    let status = report.checks.iter().find(|c| c.check == "status").unwrap();
    assert_eq!(status.outcome, Outcome::Skipped);
}

#[test]
fn after_a_key_rotation_old_credentials_still_verify() {
    let old = issue(&key());
    let new_key = SigningKey::from_bytes(&[6; 32]);
    let instance = Instance {
        keys: vec![new_key.verifying_key(), key().verifying_key()],
        list: Some(signed_list(&new_key, &[])),
    };
    assert!(verify(&old, now(), &instance).verified);
    let retired = Instance {
        keys: vec![new_key.verifying_key()],
        list: Some(signed_list(&new_key, &[])),
    };
    assert!(!verify(&old, now(), &retired).verified);
}

#[test]
fn times_are_rfc3339_seconds_in_utc() {
    assert_eq!(format_time(1_700_000_000_999), "2023-11-14T22:13:20Z");
}
