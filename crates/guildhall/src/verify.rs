//! `guildhall verify` and `guildhall verify-bundle`: the evidence log against the instance key,
//! and a member's bundle offline.

use crate::config::Settings;
use crate::instance;
use anyhow::Context;

/// `guildhall verify`: the evidence log against the instance key.
pub(crate) fn verify(settings: &Settings) -> anyhow::Result<()> {
    let pool = instance::open_existing_database(settings)?;
    let keys = instance::key_history(&settings.data_dir)?;
    let app = instance::app(settings, pool)?;
    let report = app.evidence().verify_log(&keys)?;
    println!(
        "evidence log: {} entries, {} payloads kept, {} signed checkpoints",
        report.size, report.payloads, report.checkpoints
    );
    if report.unsigned > 0 {
        println!(
            "{} entries after the newest checkpoint are not signed yet",
            report.unsigned
        );
    }
    if let Some(why) = &report.not_caught_up {
        println!("the change feed's newest evidence could not be appended: {why}");
    }
    if let Some((index, why)) = &report.first_bad_leaf {
        println!("first bad leaf: {index}: {why}");
    }
    for (size, why) in &report.bad_checkpoints {
        println!("bad checkpoint of size {size}: {why}");
    }
    if report.ok() {
        println!("ok: every hash and checkpoint verifies");
        Ok(())
    } else {
        std::process::exit(1)
    }
}

/// `guildhall verify-bundle`: a member's evidence bundle against the instance's public keys
/// (its current key, and any retired ones the checkpoint may name).
pub(crate) fn verify_bundle(file: &std::path::Path, keys: &[String]) -> anyhow::Result<()> {
    let keys = keys
        .iter()
        .map(|key| {
            let bytes: [u8; 32] = hex::decode(key.trim())
                .ok()
                .and_then(|b| b.try_into().ok())
                .context("--key must be the instance's public key: 64 hex digits")?;
            ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .context("--key is not an Ed25519 public key")
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let bundle: guildhall_domain::evidence::bundle::Bundle = serde_json::from_str(&text)
        .with_context(|| format!("{} is not an evidence bundle", file.display()))?;
    let report = bundle.verify_with(&keys);
    println!(
        "checkpoint of {} entries signed {} by key {}",
        bundle.checkpoint.body.size,
        when(bundle.checkpoint.body.at),
        bundle.checkpoint.body.key_id
    );
    println!(
        "{} entries verified, {} verified with their payload erased",
        report.verified, report.erased
    );
    for (index, why) in &report.problems {
        match index {
            Some(i) => println!("entry {i}: {why}"),
            None => println!("{why}"),
        }
    }
    if report.ok() {
        println!("ok: every entry is in the log the instance signed");
        Ok(())
    } else {
        std::process::exit(1)
    }
}

/// A Unix time in milliseconds as a UTC date and time, such as `2026-12-03 14:05 UTC`.
pub(crate) fn when(ms: i64) -> String {
    guildhall_domain::calendar::format_local(ms, "UTC")
}
