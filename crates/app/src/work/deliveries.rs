//! Deliveries carry the work: a message, links, and files. A member uploads files to the
//! contract (checked by content, stored under their SHA-256 in the file store), then delivers
//! a milestone naming them. Only the contract's two parties, and operators once the contract
//! has been disputed, may download them.

use super::sent_id;
use crate::AppError;
use crate::accounts::Account;
use crate::files::{MAX_FILE_BYTES, key_of, sha256_hex};
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::{ContractId, FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::contracts::{self as contracts, ContractRow, MilestoneRow};
use guildhall_store::repo::deliveries::{self as repo, DeliveryRow, FileRow};
use guildhall_store::repo::disputes;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Files one delivery may carry.
pub const MAX_FILES: usize = 5;
/// Links one delivery may carry.
pub const MAX_LINKS: usize = 10;
/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// The longest file name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Types a delivered file may have, read from its first bytes: documents, images and
/// archives. Plain text (UTF-8) is recognised apart. Anything else (programs, scripts a
/// browser would run) is refused.
const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/zip",
    "application/gzip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
];

/// Plain text, as files are served.
pub const TEXT: &str = "text/plain; charset=utf-8";

/// A delivered (or uploaded) file as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveredFile {
    /// The file's id (UUIDv7), as in `/contracts/{id}/files/{file}`.
    pub id: String,
    /// Its name, as uploaded.
    pub name: String,
    /// Its type, read from its content.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex: what the delivery's evidence entry holds.
    pub sha256: String,
}

/// A delivery as shown on the contract.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    /// What the member wrote.
    pub message: String,
    /// Addresses they gave.
    pub links: Vec<String>,
    /// Files they attached.
    pub files: Vec<DeliveredFile>,
    /// When (ms).
    pub delivered_at: i64,
}

/// What a delivery carries.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryInput {
    /// A message to the client (at most 4,000 characters).
    #[serde(default)]
    pub message: String,
    /// Addresses of the work (at most 10, each http or https).
    #[serde(default)]
    pub links: Vec<String>,
    /// Ids of files uploaded to the contract (at most 5).
    #[serde(default)]
    pub files: Vec<String>,
}

impl DeliveryInput {
    /// The input with its text trimmed, or the field errors.
    pub(super) fn checked(self) -> Result<DeliveryInput, AppError> {
        let mut e = FieldErrors::new();
        let message = validation::text(
            &mut e,
            "/message",
            &self.message,
            0,
            MAX_MESSAGE_CHARS,
            true,
        );
        if self.links.len() > MAX_LINKS {
            e.add("/links", format!("at most {MAX_LINKS} links"));
        }
        let links = self
            .links
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| validation::web_url(&mut e, &format!("/links/{i}"), l))
            .collect();
        let mut seen = std::collections::HashSet::new();
        let files: Vec<String> = self
            .files
            .into_iter()
            .filter(|f| seen.insert(f.clone()))
            .collect();
        if files.len() > MAX_FILES {
            e.add("/files", format!("at most {MAX_FILES} files"));
        }
        e.into_result(DeliveryInput {
            message,
            links,
            files,
        })
        .map_err(AppError::from)
    }
}

/// Writes a delivery of milestone `m` and attaches its files; the files' hashes, for the
/// evidence entry.
pub(super) fn record_delivery(
    c: &mut DbConnection,
    now: i64,
    contract: &ContractRow,
    m: &MilestoneRow,
    member: &Account,
    input: &DeliveryInput,
) -> Result<Vec<String>, AppError> {
    let row = DeliveryRow {
        id: uuid::Uuid::now_v7().to_string(),
        contract_id: contract.id,
        milestone_id: m.id,
        member_id: member.id,
        message: input.message.clone(),
        links: serde_json::to_string(&input.links)
            .map_err(|e| AppError::caused("writing a delivery's links", e))?,
        created_at: now,
    };
    repo::insert(c, &row)?;
    let mut hashes = Vec::with_capacity(input.files.len());
    for (i, id) in input.files.iter().enumerate() {
        let unknown = || {
            AppError::field(
                &format!("/files/{i}"),
                "upload the file to this contract first",
            )
        };
        let file = repo::file(c, contract.id, id)?
            .filter(|f| f.uploaded_by == member.id)
            .ok_or_else(unknown)?;
        if !repo::attach(c, id, &row.id)? {
            return Err(AppError::field(
                &format!("/files/{i}"),
                "this file was delivered already",
            ));
        }
        hashes.push(file.sha256);
    }
    Ok(hashes)
}

/// Each milestone's deliveries, oldest first.
pub(super) fn deliveries_by_milestone(
    c: &mut DbConnection,
    contract: ContractId,
) -> Result<HashMap<String, Vec<Delivery>>, AppError> {
    let mut files: HashMap<String, Vec<DeliveredFile>> = HashMap::new();
    for f in repo::delivered_files(c, contract)? {
        let delivery = f.delivery_id.clone().unwrap_or_default();
        files.entry(delivery).or_default().push(file_view(f));
    }
    let mut out: HashMap<String, Vec<Delivery>> = HashMap::new();
    for d in repo::of_contract(c, contract)? {
        let links: Vec<String> = serde_json::from_str(&d.links)
            .map_err(|e| AppError::caused("reading a delivery's links", e))?;
        out.entry(d.milestone_id.to_string())
            .or_default()
            .push(Delivery {
                files: files.remove(&d.id).unwrap_or_default(),
                message: d.message,
                links,
                delivered_at: d.created_at,
            });
    }
    Ok(out)
}

fn file_view(f: FileRow) -> DeliveredFile {
    DeliveredFile {
        id: f.id,
        name: f.name,
        content_type: f.content_type,
        size: f.size,
        sha256: f.sha256,
    }
}

/// The type of a file, read from its content; `None` when it is not one a delivery takes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if let Some(kind) = infer::get(bytes) {
        let mime = kind.mime_type();
        return ALLOWED.iter().find(|a| **a == mime).copied();
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let controls = text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    (!controls).then_some(TEXT)
}

/// A file's name as uploaded, without any folder, checked.
fn file_name(raw: &str) -> Result<String, AppError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut e = FieldErrors::new();
    let name = validation::text(&mut e, "/name", base, 1, MAX_NAME_CHARS, false);
    if !e.is_empty() {
        return Err(e.into());
    }
    Ok(name)
}

impl crate::facades::Work<'_> {
    /// The member of an active contract uploads a file, to attach to a delivery. Checked by
    /// size and by content (not by name or the type a browser claims); stored before anything
    /// is recorded, under its SHA-256.
    pub fn upload_delivery_file(
        &self,
        member: &Account,
        contract_id: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<DeliveredFile, AppError> {
        let id: ContractId = sent_id(contract_id)?;
        let contract = self.read(|c| {
            contracts::by_id(c, id)?
                .filter(|k| k.client_id == member.id || k.member_id == member.id)
                .ok_or(AppError::NotFound)
        })?;
        if contract.member_id != member.id {
            return Err(AppError::Forbidden("only the member delivers files".into()));
        }
        if contract.status != ContractStatus::Active {
            return Err(AppError::conflict(
                None,
                format!("the contract is {}, not active", contract.status.as_str()),
            ));
        }
        let name = file_name(name)?;
        if bytes.is_empty() {
            return Err(AppError::field("/file", "the file is empty"));
        }
        if bytes.len() > MAX_FILE_BYTES {
            return Err(AppError::field(
                "/file",
                format!(
                    "the file is larger than {} MB, the most a delivery takes",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ));
        }
        let content_type = sniff(&bytes).ok_or_else(|| {
            AppError::field(
                "/file",
                "this kind of file is not taken: send documents (PDF, office files, text), images or archives (ZIP)",
            )
        })?;
        let sha256 = sha256_hex(&bytes);
        let size = bytes.len() as i64;
        self.settings().files.put(&key_of(&sha256), bytes)?;
        let row = FileRow {
            id: uuid::Uuid::now_v7().to_string(),
            contract_id: contract.id,
            uploaded_by: member.id,
            delivery_id: None,
            name,
            content_type: content_type.to_string(),
            size,
            sha256,
            created_at: self.now(),
        };
        self.write(|c| Ok(repo::insert_file(c, &row)?))?;
        Ok(file_view(row))
    }

    /// A file of a contract with its bytes: for its two parties, and for operators once the
    /// contract has been disputed; nobody else learns it exists.
    pub fn contract_file(
        &self,
        who: &Account,
        contract_id: &str,
        file_id: &str,
    ) -> Result<(DeliveredFile, Vec<u8>), AppError> {
        let id: ContractId = sent_id(contract_id)?;
        let file = self.read(|c| {
            let contract = contracts::by_id(c, id)?.ok_or(AppError::NotFound)?;
            let party = contract.client_id == who.id || contract.member_id == who.id;
            let operator = who.is_operator && !disputes::of_contract(c, id)?.is_empty();
            if !party && !operator {
                return Err(AppError::NotFound);
            }
            repo::file(c, id, file_id)?
                // An upload not yet delivered is its uploader's alone.
                .filter(|f| f.delivery_id.is_some() || f.uploaded_by == who.id)
                .ok_or(AppError::NotFound)
        })?;
        let bytes = self
            .settings()
            .files
            .get(&key_of(&file.sha256))?
            .ok_or_else(|| AppError::internal("a delivered file is missing from the file store"))?;
        if sha256_hex(&bytes) != file.sha256 {
            return Err(AppError::internal(
                "a stored file does not match the hash it was delivered with",
            ));
        }
        Ok((file_view(file), bytes))
    }
}
