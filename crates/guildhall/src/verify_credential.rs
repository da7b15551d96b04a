//! `guildhall verify-credential`: a credential checked by anyone, offline with the issuer's
//! DID document or key (and a status list saved beside it), or online, resolving the issuer's
//! `did:web` and fetching its status list.

use anyhow::Context;
use ed25519_dalek::VerifyingKey;
use guildhall_domain::credentials::{Outcome, Resolver, verify};
use guildhall_domain::did;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What the verifier may use.
pub(crate) struct Sources {
    /// The issuer's keys, given on the command line (Multikey `z6Mk…` or 64 hex digits).
    pub keys: Vec<String>,
    /// The issuer's DID document, saved to a file.
    pub did_document: Option<PathBuf>,
    /// The status list credential, saved to a file.
    pub status_list: Option<PathBuf>,
    /// Resolve `did:web` and fetch status lists over the network.
    pub online: bool,
    /// Allow plain http when online (an instance on this machine, for tests).
    pub allow_http: bool,
}

struct Cli {
    keys: Vec<VerifyingKey>,
    did_document: Option<Value>,
    status_list: Option<Value>,
    online: bool,
    allow_http: bool,
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// An Ed25519 public key as a Multikey or in hex.
fn parse_key(text: &str) -> anyhow::Result<VerifyingKey> {
    let text = text.trim();
    if let Some(key) = did::from_multikey(text) {
        return Ok(key);
    }
    let bytes: [u8; 32] = hex::decode(text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("a --key is a Multikey (z6Mk…) or 64 hex digits")?;
    VerifyingKey::from_bytes(&bytes).context("a --key is not an Ed25519 public key")
}

/// A JSON document fetched over the network, at most 1 MiB.
fn fetch(url: &str) -> Result<Value, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let answer = client
        .get(url)
        .header("Accept", "application/json")
        .send()
        .map_err(|e| format!("{url} cannot be reached: {e}"))?;
    if !answer.status().is_success() {
        return Err(format!("{url} answered {}", answer.status()));
    }
    let body = answer
        .bytes()
        .map_err(|e| format!("{url} cannot be read: {e}"))?;
    if body.len() > 1 << 20 {
        return Err(format!("{url} answered more than 1 MiB"));
    }
    serde_json::from_slice(&body).map_err(|_| format!("{url} did not answer JSON"))
}

impl Resolver for Cli {
    fn keys(&self, issuer: &str) -> Result<Vec<VerifyingKey>, String> {
        if !self.keys.is_empty() {
            return Ok(self.keys.clone());
        }
        if let Some(doc) = &self.did_document {
            return did::assertion_keys(doc, issuer);
        }
        if !self.online {
            return Err(format!(
                "the keys of {issuer} are unknown: give --did-document, --key or --online"
            ));
        }
        let url = did::web_document_url(issuer, self.allow_http)
            .ok_or_else(|| format!("{issuer} is not a did:web this verifier can resolve"))?;
        did::assertion_keys(&fetch(&url)?, issuer)
    }

    fn status_list(&self, url: &str) -> Option<Result<Value, String>> {
        if let Some(list) = self
            .status_list
            .as_ref()
            .filter(|l| l.get("id").and_then(Value::as_str) == Some(url))
        {
            return Some(Ok(list.clone()));
        }
        if !self.online {
            return None;
        }
        if !self.allow_http && !url.starts_with("https://") {
            return Some(Err(format!(
                "its status list {url} is not an https address"
            )));
        }
        Some(fetch(url).map_err(|e| format!("its status list cannot be fetched: {e}")))
    }
}

/// Verifies the credential in `file`; exits with status 1 when a check fails.
pub(crate) fn run(file: &Path, sources: Sources) -> anyhow::Result<()> {
    let credential = read_json(file)?;
    let cli = Cli {
        keys: sources
            .keys
            .iter()
            .map(|k| parse_key(k))
            .collect::<anyhow::Result<_>>()?,
        did_document: sources.did_document.as_deref().map(read_json).transpose()?,
        status_list: sources.status_list.as_deref().map(read_json).transpose()?,
        online: sources.online,
        allow_http: sources.allow_http,
    };
    let report = verify(&credential, jiff::Timestamp::now(), &cli);
    if let Some(name) = &report.name {
        println!("{name}");
    }
    for check in &report.checks {
        let outcome = match check.outcome {
            Outcome::Passed => "passed",
            Outcome::Failed => "FAILED",
            Outcome::Skipped => "skipped",
        };
        println!("{:<9} {outcome}: {}", check.check, check.detail);
    }
    match &report.problem {
        None => {
            println!("ok: the credential verifies");
            Ok(())
        }
        Some(problem) => {
            println!("not verified: {problem}");
            std::process::exit(1)
        }
    }
}
