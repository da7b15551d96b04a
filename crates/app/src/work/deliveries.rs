//! Deliveries carry the work: a message, links, and files. A member uploads files to the
//! contract (checked by content, stored under their SHA-256 in the file store), then delivers
//! a milestone naming them. Only the contract's two parties, and operators once the contract
//! has been disputed, may download them.

use super::sent_id;
use crate::AppError;
use crate::accounts::Account;
use crate::files::{self, StoredFile, key_of};
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::{ContractId, FieldErrors, validation};
use guildhall_store::repo::contracts::{self as contracts, ContractRow, MilestoneRow};
use guildhall_store::repo::deliveries::{self as repo, DeliveryRow, FileRow};
use guildhall_store::repo::disputes;
use guildhall_store::{Carried, DbConnection};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Files one delivery may carry.
pub const MAX_FILES: usize = 5;
/// Links one delivery may carry.
pub const MAX_LINKS: usize = 10;
/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// A delivery as shown on the contract.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    /// What the member wrote.
    pub message: String,
    /// Addresses they gave.
    pub links: Vec<String>,
    /// Files they attached.
    pub files: Vec<StoredFile>,
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

/// Writes a delivery of milestone `m` (the `carried` writes going with it) and attaches its
/// files; the files' hashes in the order they were sent, for the evidence entry, and the
/// delivery as the contract's view shows it.
pub(super) fn record_delivery(
    c: &mut DbConnection,
    now: i64,
    contract: &ContractRow,
    m: &MilestoneRow,
    member: &Account,
    input: &DeliveryInput,
    carried: &[Carried<'_>],
) -> Result<(Vec<String>, Delivery), AppError> {
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
    repo::insert(c, &row, carried)?;
    let mut files = Vec::with_capacity(input.files.len());
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
        files.push(file);
    }
    let hashes = files.iter().map(|f| f.sha256.clone()).collect();
    // As `deliveries_by_milestone` would read them back: oldest upload first.
    files.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let delivery = Delivery {
        message: row.message,
        links: input.links.clone(),
        files: files.into_iter().map(file_view).collect(),
        delivered_at: now,
    };
    Ok((hashes, delivery))
}

/// Each milestone's deliveries, oldest first.
pub(super) fn deliveries_by_milestone(
    c: &mut DbConnection,
    contract: ContractId,
) -> Result<HashMap<String, Vec<Delivery>>, AppError> {
    let mut out: HashMap<String, Vec<Delivery>> = HashMap::new();
    for (d, files) in repo::of_contract(c, contract)? {
        let links: Vec<String> = serde_json::from_str(&d.links)
            .map_err(|e| AppError::caused("reading a delivery's links", e))?;
        out.entry(d.milestone_id.to_string())
            .or_default()
            .push(Delivery {
                files: files.into_iter().map(file_view).collect(),
                message: d.message,
                links,
                delivered_at: d.created_at,
            });
    }
    Ok(out)
}

fn file_view(f: FileRow) -> StoredFile {
    StoredFile {
        id: f.id,
        name: f.name,
        content_type: f.content_type,
        size: f.size,
        sha256: f.sha256,
    }
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
    ) -> Result<StoredFile, AppError> {
        let id: ContractId = sent_id(contract_id)?;
        let contract = self.read(|c| {
            contracts::by_id(c, id)?
                .filter(|k| k.is_party(member.id))
                .ok_or(AppError::NotFound)
        })?;
        if contract.client_id == member.id {
            return Err(AppError::Forbidden(
                "only the member (or their learner) delivers files".into(),
            ));
        }
        if contract.status != ContractStatus::Active {
            return Err(AppError::conflict(
                None,
                format!("the contract is {}, not active", contract.status.as_str()),
            ));
        }
        let checked = files::check(name, &bytes)?;
        self.settings().files.put(&key_of(&checked.sha256), bytes)?;
        let row = FileRow {
            id: uuid::Uuid::now_v7().to_string(),
            contract_id: contract.id,
            uploaded_by: member.id,
            delivery_id: None,
            name: checked.name,
            content_type: checked.content_type.to_string(),
            size: checked.size,
            sha256: checked.sha256,
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
    ) -> Result<(StoredFile, Vec<u8>), AppError> {
        let id: ContractId = sent_id(contract_id)?;
        let file = self.read(|c| {
            let contract = contracts::by_id(c, id)?.ok_or(AppError::NotFound)?;
            let party = contract.is_party(who.id);
            let operator = who.is_operator && !disputes::of_contract(c, id)?.is_empty();
            if !party && !operator {
                return Err(AppError::NotFound);
            }
            repo::file(c, id, file_id)?
                // An upload not yet delivered is its uploader's alone.
                .filter(|f| f.delivery_id.is_some() || f.uploaded_by == who.id)
                .ok_or(AppError::NotFound)
        })?;
        let bytes = self.settings().files.get_checked(&file.sha256)?;
        Ok((file_view(file), bytes))
    }
}
