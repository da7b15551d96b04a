//! The event vocabulary against what Guildhall has written. `fixtures/events.jsonl` holds
//! events the change feed stored before payloads were typed (up to three shapes per kind,
//! taken from a run of the test suite); `fixtures/source_events.jsonl` the shapes older
//! versions wrote and the kinds that run did not write, read off the source that writes them; `fixtures/evidence_logs.jsonl` whole evidence logs
//! with their payloads, leaf hashes and subtree hashes. Every one must decode into its typed
//! event and encode back to the same bytes, so every entry ever logged still verifies.

use guildhall_domain::events::{Event, Parts};
use guildhall_domain::evidence::merkle::{self, Hash};
use guildhall_domain::evidence::{EntryHeader, canonical, payload_hash};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("fixture lines are JSON"))
        .collect()
}

fn stored(e: &Value) -> (String, Parts) {
    let parts = Parts {
        actor: e["actor"].as_str().map(str::to_string),
        subjects: serde_json::from_value(e["subjects"].clone()).unwrap(),
        data: e["data"].clone(),
        parties: Vec::new(),
    };
    (e["kind"].as_str().unwrap().to_string(), parts)
}

/// Decodes each stored event and checks it encodes to the same canonical bytes.
fn round_trip(fixture: &[Value]) -> BTreeMap<String, Event> {
    let mut first = BTreeMap::new();
    for e in fixture {
        let (kind, parts) = stored(e);
        let event = Event::from_parts(&kind, &parts)
            .unwrap_or_else(|err| panic!("{kind} does not decode: {err}"));
        assert_eq!(event.kind(), kind);
        let again = event.parts();
        assert_eq!(again.actor, parts.actor, "{kind}: actor");
        assert_eq!(again.subjects, parts.subjects, "{kind}: subjects");
        if event.is_evidence() {
            assert!(
                !again.parties.is_empty(),
                "{kind} names the accounts it is about"
            );
        }
        assert_eq!(
            String::from_utf8(canonical(&again.data)).unwrap(),
            String::from_utf8(canonical(&parts.data)).unwrap(),
            "{kind}: data"
        );
        first.entry(kind).or_insert(event);
    }
    first
}

/// One event of each kind: the first the suite wrote, else the first read off the source.
fn every_kind() -> BTreeMap<String, Event> {
    let mut kinds = round_trip(&lines(include_str!("fixtures/events.jsonl")));
    for (kind, event) in round_trip(&lines(include_str!("fixtures/source_events.jsonl"))) {
        kinds.entry(kind).or_insert(event);
    }
    kinds
}

#[test]
fn every_stored_event_decodes_and_encodes_to_the_same_bytes() {
    let written = every_kind();
    let missing: Vec<&&str> = Event::KINDS
        .iter()
        .filter(|k| !written.contains_key(**k))
        .collect();
    assert!(missing.is_empty(), "no stored sample of {missing:?}");
}

#[test]
fn a_payload_that_does_not_fit_its_kind_is_an_error() {
    let (_, mut parts) = stored(&lines(include_str!("fixtures/events.jsonl"))[0]);
    assert!(Event::from_parts("no.such_kind", &parts).is_err());
    parts.data = serde_json::json!({"handle": "ada", "operator": false, "extra": 1});
    let err = Event::from_parts("account.created", &parts).unwrap_err();
    assert!(err.to_string().contains("account.created"), "{err}");
    parts.data = serde_json::json!({"handle": "ada", "operator": "yes"});
    assert!(Event::from_parts("account.created", &parts).is_err());
}

/// One snapshot per kind: the canonical evidence payload the event makes (with a fixed event
/// id) and the leaf hash of its header at index 0. A change to either breaks
/// every log that holds that kind.
#[test]
fn each_kind_has_pinned_bytes_and_leaf_hash() {
    for (kind, event) in every_kind() {
        let payload = event.evidence_payload("event-id", &event.parts());
        let bytes = String::from_utf8(canonical(&payload)).unwrap();
        let header = EntryHeader::new(0, &kind, 1_800_000_000_000, &payload);
        let snapshot = format!(
            "evidence: {}\n{bytes}\nleaf hash: {}",
            event.is_evidence(),
            hex::encode(header.leaf_hash())
        );
        insta::assert_snapshot!(kind.replace('.', "__"), snapshot);
    }
}

/// Replays logs written before payloads were typed: every payload decodes and encodes to the
/// bytes its header committed to, every leaf hash recomputes, and appending the leaves with
/// the domain's append yields exactly the subtree hashes that were stored.
#[test]
fn logs_written_before_typed_events_replay_and_verify() {
    let mut logs: BTreeMap<u64, Vec<Value>> = BTreeMap::new();
    for e in lines(include_str!("fixtures/evidence_logs.jsonl")) {
        logs.entry(e["log"].as_u64().unwrap()).or_default().push(e);
    }
    let mut kinds = std::collections::BTreeSet::new();
    for entries in logs.values() {
        let mut nodes: HashMap<(u32, u64), Hash> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let header: EntryHeader = serde_json::from_value(e["header"].clone()).unwrap();
            assert_eq!(header.index, i as u64);
            assert_eq!(hex::encode(header.leaf_hash()), e["leaf_hash"]);
            let text = e["payload"].as_str().unwrap();
            let payload: Value = serde_json::from_str(text).unwrap();
            assert_eq!(payload_hash(&payload), header.payload_sha256);
            let event = Event::from_evidence(&header.kind, &payload).unwrap();
            assert!(event.is_evidence(), "{} is logged", header.kind);
            let members: Vec<String> = serde_json::from_value(payload["members"].clone()).unwrap();
            // The typed event names its accounts itself: no lookup needed to list them.
            let parts = event.parts();
            assert_eq!(parts.parties, members, "members of entry {i}");
            let again = event.evidence_payload(payload["event"].as_str().unwrap(), &parts);
            assert_eq!(String::from_utf8(canonical(&again)).unwrap(), text);
            kinds.insert(header.kind.clone());

            let lefts: Vec<Hash> = merkle::append_needs(header.index)
                .into_iter()
                .map(|(level, at)| nodes[&(level, at)])
                .collect();
            let made = merkle::append(header.index, header.leaf_hash(), &lefts).unwrap();
            let written: Vec<(u32, u64, String)> =
                serde_json::from_value(e["nodes"].clone()).unwrap();
            let made_hex: Vec<(u32, u64, String)> = made
                .iter()
                .map(|(l, at, h)| (*l, *at, hex::encode(h)))
                .collect();
            assert_eq!(made_hex, written, "subtree hashes of entry {i}");
            nodes.extend(made.into_iter().map(|(l, at, h)| ((l, at), h)));
        }
    }
    let evidence: Vec<&str> = Event::KINDS
        .iter()
        .copied()
        .filter(|k| kinds.contains(*k))
        .collect();
    assert_eq!(
        evidence.len(),
        13,
        "the logs hold every evidence kind: {kinds:?}"
    );
}

/// Erasure scrubs a feed row of the words in it and of the erased handle, and nothing else:
/// the ids, the parties and the kind stay, so others' records and the evidence log still
/// point at it, and the row still decodes as its kind.
#[test]
fn scrubbing_takes_words_and_handles_out_and_keeps_every_id() {
    let mut changed = Vec::new();
    for (kind, event) in every_kind() {
        let mut scrubbed = event.clone();
        scrubbed.scrub("erased-000000000000");
        let (before, after) = (event.parts(), scrubbed.parts());
        assert_eq!(after.actor, before.actor, "{kind}");
        assert_eq!(after.subjects, before.subjects, "{kind}");
        assert_eq!(after.parties, before.parties, "{kind}");
        assert_eq!(
            Event::from_parts(&kind, &after).unwrap(),
            scrubbed,
            "{kind} still decodes"
        );
        if scrubbed != event {
            changed.push(kind);
        }
    }
    for kind in [
        "account.created",
        "token.created",
        "work.contract_cancelled",
    ] {
        assert!(changed.iter().any(|k| k == kind), "{kind} in {changed:?}");
    }
    assert!(
        !changed.iter().any(|k| k.starts_with("ledger.")),
        "{changed:?}"
    );
}
