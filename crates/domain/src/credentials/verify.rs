//! Verifying a credential: who issued it and with which key, whether the signature holds,
//! whether it is valid now, whether its issuer revoked it, and whether the evidence it carries
//! is in the issuer's log. Each check reports on its own; the first failure is the problem.

use super::status_list::Bitstring;
use super::{parse_time, proof};
use crate::evidence::bundle::{Bundle, BundleEntry};
use crate::evidence::{Checkpoint, EntryHeader, VERSION, key_id};
use ed25519_dalek::VerifyingKey;
use serde::Serialize;
use serde_json::Value;

/// Where the verifier learns an issuer's keys and a status list.
pub trait Resolver {
    /// The keys a DID lists (its key history), or why they are unknown.
    fn keys(&self, did: &str) -> Result<Vec<VerifyingKey>, String>;
    /// The status list credential at an address, or `None` when the verifier works offline.
    fn status_list(&self, url: &str) -> Option<Result<Value, String>>;
}

/// How one check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It holds.
    Passed,
    /// It does not.
    Failed,
    /// It could not be made (offline, or nothing to check).
    Skipped,
}

/// One check of a verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Check {
    /// `issuer`, `signature`, `dates`, `status` or `evidence`.
    pub check: &'static str,
    /// How it came out.
    pub outcome: Outcome,
    /// What was found, in words.
    pub detail: String,
}

/// What verifying a credential found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Whether no check failed (skipped checks are named in `checks`).
    pub verified: bool,
    /// The first check that failed, in words.
    pub problem: Option<String>,
    /// The issuer's id.
    pub issuer: Option<String>,
    /// The credential's name.
    pub name: Option<String>,
    /// Every check, in the order made.
    pub checks: Vec<Check>,
}

impl Report {
    fn push(&mut self, check: &'static str, result: Result<String, String>) -> bool {
        let (outcome, detail) = match result {
            Ok(detail) => (Outcome::Passed, detail),
            Err(why) => {
                if self.problem.is_none() {
                    self.problem = Some(why.clone());
                }
                (Outcome::Failed, why)
            }
        };
        self.checks.push(Check {
            check,
            outcome,
            detail,
        });
        outcome == Outcome::Passed
    }

    fn skip(&mut self, check: &'static str, why: &str) {
        self.checks.push(Check {
            check,
            outcome: Outcome::Skipped,
            detail: why.into(),
        });
    }
}

/// The issuer's id: a string or an object's `id`.
fn issuer_of(vc: &Value) -> Option<String> {
    let issuer = vc.get("issuer")?;
    issuer
        .as_str()
        .or_else(|| issuer.get("id")?.as_str())
        .map(str::to_string)
}

/// Verifies `vc` at `now`, with keys and status lists from `resolver`.
pub fn verify(vc: &Value, now: jiff::Timestamp, resolver: &dyn Resolver) -> Report {
    let mut report = Report {
        verified: false,
        problem: None,
        issuer: issuer_of(vc),
        name: vc.get("name").and_then(Value::as_str).map(str::to_string),
        checks: Vec::new(),
    };
    let keys = match check_issuer(vc, resolver) {
        Ok(keys) => {
            report.push(
                "issuer",
                Ok(format!(
                    "issued by {}",
                    report.issuer.clone().unwrap_or_default()
                )),
            );
            keys
        }
        Err(why) => {
            report.push("issuer", Err(why));
            return report;
        }
    };
    let signed = proof::verify(vc, |m| key_named(&keys, m)).map_err(|e| e.to_string());
    if !report.push("signature", signed.map(|m| format!("signed with {m}"))) {
        return report;
    }
    report.push("dates", check_dates(vc, now));
    match check_status(vc, &keys, resolver) {
        Some(result) => {
            report.push("status", result);
        }
        None => report.skip("status", "not checked: the status list was not available"),
    }
    match check_evidence(vc, &keys) {
        Some(result) => {
            report.push("evidence", result);
        }
        None => report.skip("evidence", "the credential carries no log entries"),
    }
    report.verified = report.problem.is_none();
    report
}

/// The key a verification method id names, among the issuer's.
fn key_named(keys: &[VerifyingKey], method: &str) -> Option<VerifyingKey> {
    let fragment = method.rsplit_once('#')?.1;
    keys.iter()
        .find(|k| crate::did::multikey(k) == fragment)
        .copied()
}

/// The issuer's keys, when the proof's method is one of the issuer's own.
fn check_issuer(vc: &Value, resolver: &dyn Resolver) -> Result<Vec<VerifyingKey>, String> {
    let issuer = issuer_of(vc).ok_or("the credential names no issuer")?;
    let method = vc
        .pointer("/proof/verificationMethod")
        .and_then(Value::as_str)
        .ok_or("the credential has no proof")?;
    if method.split_once('#').map(|(did, _)| did) != Some(issuer.as_str()) {
        return Err(format!(
            "the proof's key {method} does not belong to the issuer {issuer}"
        ));
    }
    let keys = resolver.keys(&issuer)?;
    if key_named(&keys, method).is_none() {
        return Err(format!(
            "the issuer {issuer} does not list the key {method}"
        ));
    }
    Ok(keys)
}

fn check_dates(vc: &Value, now: jiff::Timestamp) -> Result<String, String> {
    let date = |name: &str| -> Result<Option<jiff::Timestamp>, String> {
        match vc.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .and_then(parse_time)
                .map(Some)
                .ok_or(format!("its {name} is not a date and time")),
        }
    };
    let from = date("validFrom")?;
    let until = date("validUntil")?;
    if from.is_some_and(|f| now < f) {
        return Err("it is not valid yet".into());
    }
    if until.is_some_and(|u| now >= u) {
        return Err("it has expired".into());
    }
    Ok(match until {
        Some(u) => format!("valid until {u}"),
        None => "valid, with no end date".into(),
    })
}

/// The revocation bit, when a list can be read.
fn check_status(
    vc: &Value,
    keys: &[VerifyingKey],
    resolver: &dyn Resolver,
) -> Option<Result<String, String>> {
    let entry = vc.get("credentialStatus")?;
    let url = entry.get("statusListCredential").and_then(Value::as_str)?;
    let index: Option<u64> = entry
        .get("statusListIndex")
        .and_then(Value::as_str)
        .and_then(|i| i.parse().ok());
    let list = match resolver.status_list(url)? {
        Ok(list) => list,
        Err(why) => return Some(Err(why)),
    };
    Some((|| {
        let index = index.ok_or("its status index is not a number")?;
        if issuer_of(&list) != issuer_of(vc) {
            return Err("its status list was issued by someone else".to_string());
        }
        proof::verify(&list, |m| key_named(keys, m))
            .map_err(|e| format!("its status list's proof does not hold: {e}"))?;
        let bits = list
            .pointer("/credentialSubject/encodedList")
            .and_then(Value::as_str)
            .ok_or("its status list holds no list")
            .and_then(|e| Bitstring::decode(e).map_err(|_| "its status list cannot be read"))?;
        match bits.get(index) {
            Some(false) => Ok("not revoked".to_string()),
            Some(true) => Err("it has been revoked".to_string()),
            None => Err("its status index is beyond its status list".to_string()),
        }
    })())
}

/// The log entries the evidence carries, each checked against its signed checkpoint.
fn check_evidence(vc: &Value, keys: &[VerifyingKey]) -> Option<Result<String, String>> {
    let items: Vec<&Value> = vc
        .get("evidence")?
        .as_array()?
        .iter()
        .filter(|e| e.get("logEntry").is_some())
        .collect();
    if items.is_empty() {
        return None;
    }
    let mut checked = 0;
    for item in &items {
        let parsed = (|| {
            let header: EntryHeader = serde_json::from_value(item.get("logEntry")?.clone()).ok()?;
            let checkpoint: Checkpoint =
                serde_json::from_value(item.get("checkpoint")?.clone()).ok()?;
            let proof: Vec<String> =
                serde_json::from_value(item.get("inclusionProof")?.clone()).ok()?;
            Some((header, checkpoint, proof))
        })();
        let Some((header, checkpoint, proof)) = parsed else {
            return Some(Err(
                "a piece of its evidence is not a log entry with a proof".into(),
            ));
        };
        let index = header.index;
        let Some(key) = keys.iter().find(|k| key_id(k) == checkpoint.body.key_id) else {
            return Some(Err(format!(
                "the checkpoint of log entry {index} was signed with a key the issuer does not list"
            )));
        };
        let bundle = Bundle {
            v: VERSION,
            checkpoint,
            entries: vec![BundleEntry {
                header,
                payload: item.get("payload").cloned(),
                proof,
            }],
        };
        if let Some((_, why)) = bundle.verify(key).problems.first() {
            return Some(Err(format!("log entry {index}: {why}")));
        }
        checked += 1;
    }
    Some(Ok(format!(
        "{checked} log entries are in the issuer's signed log"
    )))
}
