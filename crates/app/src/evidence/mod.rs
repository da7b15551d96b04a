//! The evidence log: events reputation draws on are appended from the change feed, in feed
//! order and in batches, as leaves of a Merkle tree (`guildhall_domain::evidence`). A use case
//! only records its event; the log catches up in a background job every second and before
//! anything reads it, so a reader always sees every evidence event committed before it asked.
//! The instance signs checkpoints of the tree; anyone can ask for inclusion and consistency
//! proofs, and `verify_log` recomputes everything from the stored leaves.

use crate::AppError;
use ed25519_dalek::SigningKey;
use guildhall_domain::events::{Event, Parts};
use guildhall_domain::evidence::merkle::{self, Hash, Subtrees};
use guildhall_domain::evidence::{Checkpoint, CheckpointBody, EntryHeader, canonical, decode_hash};
use guildhall_store::DbConnection;
use guildhall_store::repo::events as feed;
use guildhall_store::repo::evidence::{self as repo, CheckpointRow, EntryRow};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// The most entries one request returns.
pub const MAX_RANGE: u64 = 1000;

pub mod bundles;

/// Subtree hashes from the store.
pub(crate) struct Stored<'a>(pub(crate) &'a mut DbConnection);

impl Subtrees for Stored<'_> {
    type Error = AppError;

    fn complete(&mut self, level: u32, index: u64) -> Result<Hash, AppError> {
        let hex_hash = repo::node(self.0, level as i32, index as i64)?.ok_or_else(|| {
            AppError::internal(format!("evidence log: no subtree hash at {level}/{index}"))
        })?;
        decode_hash(&hex_hash)
            .ok_or_else(|| AppError::internal(format!("evidence log: bad hash at {level}/{index}")))
    }
}

/// Appends to the log the evidence events the change feed holds beyond it, in feed order, at
/// most `limit` of them; returns how many. Runs in the caller's write transaction, which it
/// makes the log's only appender until it commits, so two catch-ups never append the same
/// event. The feed becomes visible in `seq` order (`events::serialise_appends`), so reading
/// it by `seq` skips nothing, and writers recording events do not wait for a catch-up.
pub(crate) fn append_pending(c: &mut DbConnection, limit: i64) -> Result<usize, AppError> {
    one_appender(c)?;
    let after = match repo::last_event_id(c)? {
        Some(id) => feed::seq_of(c, &id)?.ok_or_else(|| {
            AppError::internal(format!(
                "evidence log: the event {id} of its last entry is not in the change feed"
            ))
        })?,
        None => 0,
    };
    let rows = feed::of_kinds_after(c, &Event::evidence_kinds(), after, limit)?;
    let mut run = Run {
        next: repo::size(c)? as u64,
        written: HashMap::new(),
        rows: repo::Appended::default(),
    };
    for row in &rows {
        let event = crate::events::typed(row)?;
        run.append(c, &row.id, &event, &event.parts(), row.occurred_at)?;
    }
    repo::append(c, &run.rows)?;
    Ok(rows.len())
}

/// On PostgreSQL, makes this transaction the log's only appender until it commits; each
/// statement after it sees what an appender before it committed (read committed). SQLite
/// has one writer anyway.
fn one_appender(c: &mut DbConnection) -> Result<(), AppError> {
    if let DbConnection::Postgresql(_) = c {
        diesel::connection::SimpleConnection::batch_execute(
            c,
            "SELECT pg_advisory_xact_lock(727171)",
        )?;
    }
    Ok(())
}

/// Appends every evidence event the log lacks, in batches ([`crate::events::follower_batch`]),
/// inside the caller's transaction: for writers that must see the whole log (signing, erasure).
pub(crate) fn append_all_pending(c: &mut DbConnection) -> Result<(), AppError> {
    let batch = i64::from(crate::events::follower_batch(c.is_sqlite()));
    while append_pending(c, batch)? as i64 == batch {}
    Ok(())
}

/// A run of entries being appended in one transaction, written together at its end.
struct Run {
    /// The position the next entry takes.
    next: u64,
    /// Subtree hashes this run completed, which later entries of it need before they are
    /// stored.
    written: HashMap<(u32, u64), Hash>,
    /// What the run writes.
    rows: repo::Appended,
}

impl Run {
    /// Appends one evidence event: its entry, its payload, and the subtree hashes it completes.
    fn append(
        &mut self,
        c: &mut DbConnection,
        event_id: &str,
        event: &Event,
        parts: &Parts,
        at: i64,
    ) -> Result<(), AppError> {
        let index = self.next;
        let payload = event.evidence_payload(event_id, parts);
        let bytes = guildhall_domain::canonical_json::of_value(&payload);
        let header = EntryHeader::of_canonical(index, event.kind(), at, &bytes);
        let leaf = header.leaf_hash();
        let text = String::from_utf8(bytes)
            .map_err(|e| AppError::caused("encoding an evidence payload", e))?;
        // The left halves the leaf completes: one on average, most of them written by this run.
        let lefts = merkle::append_needs(index)
            .into_iter()
            .map(|(level, at)| match self.written.get(&(level, at)) {
                Some(hash) => Ok(*hash),
                None => Stored(c).complete(level, at),
            })
            .collect::<Result<Vec<Hash>, AppError>>()?;
        let nodes = merkle::append(index, leaf, &lefts)
            .ok_or_else(|| AppError::internal("evidence log: wrong number of subtree hashes"))?;
        let rows = &mut self.rows;
        rows.entries.push(EntryRow {
            idx: index as i64,
            kind: event.kind().to_string(),
            at,
            payload_sha256: header.payload_sha256.clone(),
            leaf_hash: hex::encode(leaf),
            event_id: event_id.to_string(),
        });
        rows.payloads.push((index as i64, text));
        rows.subjects.extend(
            parts
                .parties
                .iter()
                .map(|user| (user.clone(), index as i64)),
        );
        for (level, at, hash) in nodes {
            self.written.insert((level, at), hash);
            rows.nodes
                .push((level as i32, at as i64, hex::encode(hash)));
        }
        self.next += 1;
        Ok(())
    }
}

/// An entry as the log shows it to anyone: its header and leaf hash.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Entry {
    /// What the leaf commits to.
    pub header: EntryHeader,
    /// SHA-256(0x00 ‖ canonical JSON of the header), hex.
    pub leaf_hash: String,
}

/// An inclusion proof.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct InclusionProof {
    /// The leaf's position.
    pub index: u64,
    /// The tree size the proof is for.
    pub size: u64,
    /// The leaf hash, hex.
    pub leaf_hash: String,
    /// The audit path, leaf side first, hex.
    pub path: Vec<String>,
    /// The root of the tree of `size` leaves, hex.
    pub root: String,
}

/// A consistency proof.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ConsistencyProof {
    /// The older size.
    pub from: u64,
    /// The newer size.
    pub to: u64,
    /// The proof's hashes, hex.
    pub proof: Vec<String>,
    /// The two roots, hex.
    pub from_root: String,
    /// The newer root.
    pub to_root: String,
}

/// What `verify_log` found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LogReport {
    /// Entries checked.
    pub size: u64,
    /// The first entry whose stored position, leaf hash or subtree hash is wrong, and why.
    pub first_bad_leaf: Option<(u64, String)>,
    /// Checkpoints whose signature or root does not match the recomputed tree, and why.
    pub bad_checkpoints: Vec<(u64, String)>,
    /// Checkpoints checked.
    pub checkpoints: usize,
    /// Entries beyond the newest checkpoint: nothing signed vouches for them yet.
    pub unsigned: u64,
    /// Payloads checked against their headers.
    pub payloads: usize,
    /// Why the change feed's newest evidence events could not be appended before checking,
    /// if they could not (the log's last entry names an event the feed lacks, say).
    pub not_caught_up: Option<String>,
}

impl LogReport {
    /// Whether everything checked out.
    pub fn ok(&self) -> bool {
        self.first_bad_leaf.is_none()
            && self.bad_checkpoints.is_empty()
            && self.not_caught_up.is_none()
    }
}

/// The hash a stored payload text has, if it is JSON.
fn payload_hash_of(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    Some(guildhall_domain::evidence::payload_hash(&value))
}

pub(crate) fn hexes(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(hex::encode).collect()
}

pub(crate) fn header_of(row: &EntryRow) -> EntryHeader {
    EntryHeader {
        v: guildhall_domain::evidence::VERSION,
        index: row.idx as u64,
        kind: row.kind.clone(),
        at: row.at,
        payload_sha256: row.payload_sha256.clone(),
    }
}

fn checkpoint_of(row: &CheckpointRow) -> Result<Checkpoint, AppError> {
    let body: CheckpointBody = serde_json::from_str(&row.body)
        .map_err(|e| AppError::caused(format!("reading checkpoint {}", row.size), e))?;
    Ok(Checkpoint {
        body,
        signature: row.signature.clone(),
    })
}

impl crate::facades::Evidence<'_> {
    /// Appends to the log every evidence event the change feed holds beyond it, one batch per
    /// transaction, unless the feed has not moved since the log was last seen complete;
    /// returns how many entries were appended. The background job calls it every second, and
    /// every reader of the log first.
    pub fn catch_up(&self) -> Result<usize, AppError> {
        let batch = crate::events::follower_batch(self.on_sqlite());
        crate::events::follow(self, &self.evidence_through, usize::from(batch), |c| {
            append_pending(c, i64::from(batch))
        })
    }

    /// Signs a checkpoint of the log as it is now, unless the newest already covers it.
    pub fn sign_checkpoint(&self, key: &SigningKey) -> Result<Checkpoint, AppError> {
        let now = self.now();
        let origin = self.settings().origin.clone();
        self.write(|c| {
            append_all_pending(c)?;
            let size = repo::size(c)? as u64;
            if let Some(latest) = repo::latest_checkpoint(c)?
                && latest.size as u64 == size
            {
                return checkpoint_of(&latest);
            }
            let root = merkle::root(&mut Stored(c), size)?;
            let cp = Checkpoint::sign(key, &origin, size, &root, now);
            let body = String::from_utf8(canonical(&cp.body))
                .map_err(|e| AppError::caused("encoding a checkpoint", e))?;
            repo::put_checkpoint(
                c,
                &CheckpointRow {
                    size: size as i64,
                    root: cp.body.root.clone(),
                    at: now,
                    key_id: cp.body.key_id.clone(),
                    body,
                    signature: cp.signature.clone(),
                },
            )?;
            Ok(cp)
        })
    }

    /// The newest signed checkpoint, if any.
    pub fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, AppError> {
        self.read(|c| {
            repo::latest_checkpoint(c)?
                .as_ref()
                .map(checkpoint_of)
                .transpose()
        })
    }

    /// Entries `from..to` (at most `MAX_RANGE`), headers and leaf hashes only.
    pub fn evidence_entries(&self, from: u64, to: u64) -> Result<Vec<Entry>, AppError> {
        if to < from || to - from > MAX_RANGE {
            return Err(AppError::field(
                "/to",
                format!("ask for 0 to {MAX_RANGE} entries, from ≤ to"),
            ));
        }
        self.catch_up()?;
        self.read(|c| {
            Ok(repo::entries(c, from as i64, to as i64)?
                .iter()
                .map(|row| Entry {
                    header: header_of(row),
                    leaf_hash: row.leaf_hash.clone(),
                })
                .collect())
        })
    }

    /// The inclusion proof of entry `index` in the tree of `size` entries.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<InclusionProof, AppError> {
        self.catch_up()?;
        self.read(|c| {
            let logged = repo::size(c)? as u64;
            if size > logged || index >= size {
                return Err(AppError::field(
                    "/index",
                    format!("the log has {logged} entries: ask for index < size ≤ {logged}"),
                ));
            }
            let mut s = Stored(c);
            let path = merkle::inclusion_proof(&mut s, index, size)?.unwrap_or_default();
            let root = merkle::root(&mut s, size)?;
            let leaf = s.complete(0, index)?;
            Ok(InclusionProof {
                index,
                size,
                leaf_hash: hex::encode(leaf),
                path: hexes(&path),
                root: hex::encode(root),
            })
        })
    }

    /// The consistency proof between the trees of `from` and `to` entries.
    pub fn consistency_proof(&self, from: u64, to: u64) -> Result<ConsistencyProof, AppError> {
        self.catch_up()?;
        self.read(|c| {
            let logged = repo::size(c)? as u64;
            if from == 0 || from > to || to > logged {
                return Err(AppError::field(
                    "/from",
                    format!("the log has {logged} entries: ask for 0 < from ≤ to ≤ {logged}"),
                ));
            }
            let mut s = Stored(c);
            let proof = merkle::consistency_proof(&mut s, from, to)?.unwrap_or_default();
            Ok(ConsistencyProof {
                from,
                to,
                proof: hexes(&proof),
                from_root: hex::encode(merkle::root(&mut s, from)?),
                to_root: hex::encode(merkle::root(&mut s, to)?),
            })
        })
    }

    /// Recomputes the whole log from its stored headers: every leaf hash, every stored subtree
    /// hash, every kept payload against its header, and every checkpoint's signature and root.
    /// Names the first bad leaf. `keys` is the instance's key history: each checkpoint must be
    /// signed by the one its key id names.
    pub fn verify_log(&self, keys: &[ed25519_dalek::VerifyingKey]) -> Result<LogReport, AppError> {
        // What cannot be appended is reported, and what is stored is still checked.
        let not_caught_up = self.catch_up().err().map(|e| e.to_string());
        self.read(|c| {
            let size = repo::size(c)? as u64;
            let mut report = LogReport {
                size,
                not_caught_up: not_caught_up.clone(),
                ..LogReport::default()
            };
            let mut tree = merkle::MemoryTree::default();
            let mut from = 0u64;
            while from < size {
                let to = (from + MAX_RANGE).min(size);
                let rows = repo::entries(c, from as i64, to as i64)?;
                let payloads = repo::payloads(c, from as i64, to as i64)?;
                for (i, row) in rows.iter().enumerate() {
                    let expected = from + i as u64;
                    let header = header_of(row);
                    let problem = if row.idx as u64 != expected {
                        Some(format!("entry {expected} is missing or out of place"))
                    } else if hex::encode(header.leaf_hash()) != row.leaf_hash {
                        Some("its stored leaf hash does not match its header".to_string())
                    } else if payloads.iter().any(|(idx, p)| {
                        *idx == row.idx
                            && payload_hash_of(p).as_deref() != Some(&row.payload_sha256)
                    }) {
                        Some("its payload does not match its header".to_string())
                    } else {
                        None
                    };
                    if let (Some(why), None) = (problem, &report.first_bad_leaf) {
                        report.first_bad_leaf = Some((expected, why));
                    }
                    tree.leaves.push(header.leaf_hash());
                }
                report.payloads += payloads.len();
                if rows.len() as u64 != to - from && report.first_bad_leaf.is_none() {
                    let at = from + rows.len() as u64;
                    report.first_bad_leaf = Some((at, format!("entry {at} is missing")));
                }
                from = to;
            }
            // Every stored subtree hash must agree with the recomputed tree.
            let mut layer = tree.leaves.clone();
            let mut level = 0;
            while !layer.is_empty() && report.first_bad_leaf.is_none() {
                let stored = repo::nodes_of_level(c, level)?;
                for (i, hash) in layer.iter().enumerate() {
                    let found = stored.get(i).filter(|(idx, _)| *idx == i as i64);
                    if found.map(|(_, h)| h.as_str()) != Some(hex::encode(hash).as_str()) {
                        let first = (i as u64) << level;
                        report.first_bad_leaf = Some((
                            first,
                            format!("the stored hash of its subtree at level {level} is wrong"),
                        ));
                        break;
                    }
                }
                layer = layer
                    .chunks_exact(2)
                    .map(|p| merkle::node_hash(&p[0], &p[1]))
                    .collect();
                level += 1;
            }
            let signed = repo::latest_checkpoint(c)?.map_or(0, |cp| cp.size as u64);
            report.unsigned = size.saturating_sub(signed);
            for row in repo::checkpoints(c)? {
                report.checkpoints += 1;
                let cp = checkpoint_of(&row)?;
                let problem = if !cp.verify_with(keys) {
                    Some("its signature does not verify with the instance key")
                } else if cp.body.size != row.size as u64 || cp.body.root != row.root {
                    Some("its stored size or root differs from what was signed")
                } else if cp.body.size > tree.leaves.len() as u64 {
                    Some("it covers more entries than the log holds")
                } else if cp.root() != merkle::root(&mut tree, cp.body.size).ok() {
                    Some("its root differs from the recomputed tree")
                } else {
                    None
                };
                if let Some(why) = problem {
                    report
                        .bad_checkpoints
                        .push((row.size as u64, why.to_string()));
                }
            }
            Ok(report)
        })
    }
}
