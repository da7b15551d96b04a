//! Issuing: the member asks for a credential about something the records show they did; the
//! instance checks it, gathers the log entries that prove it, and signs.

use super::{Credential, Signer, list_of};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::evidence::Stored;
use crate::evidence::bundles::entries_of;
use guildhall_domain::community::{Admission, MentorshipStatus};
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::credentials::badge::{self, Claim, Kind, StatusEntry};
use guildhall_domain::credentials::{format_time, proof};
use guildhall_domain::events::{CredentialIssued, Event};
use guildhall_domain::evidence::{Checkpoint, merkle};
use guildhall_domain::job::JobSkill;
use guildhall_domain::{ContractId, UserId};
use guildhall_store::DbConnection;
use guildhall_store::repo::credentials::{self as repo, CredentialRow};
use guildhall_store::repo::{communities, contracts, jobs, mentoring, skills};
use serde::Deserialize;
use serde_json::{Value, json};

/// What a member asks to be issued.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialRequest {
    /// `contract`, `membership`, `mentoring` or `skill`.
    pub kind: Kind,
    /// What it is about: a contract's id, a community's slug, a mentorship's id or a skill's id.
    pub about: String,
}

/// What a credential rests on, before it is signed.
pub(super) struct Basis {
    /// The stored subject: a contract, community, mentorship or skill id.
    pub subject_ref: String,
    /// Ids whose log entries are the evidence.
    pub refs: Vec<String>,
    pub achievement_id: String,
    pub name: String,
    pub description: String,
    pub criteria: String,
    pub skills: Vec<String>,
    pub alignment: Vec<(String, String)>,
}

impl crate::facades::Credentials<'_> {
    /// Issues the caller a credential of `request.kind` about `request.about`, if the records
    /// back it. `Conflict` if they hold one already that is not revoked.
    pub fn request(
        &self,
        who: &Account,
        signer: &Signer,
        request: &CredentialRequest,
    ) -> Result<Credential, AppError> {
        let checkpoint = self.evidence().sign_checkpoint(&signer.key)?;
        let now = self.now();
        self.write(|c| {
            let basis = basis(c, who.id, &signer.issuer.url, request)?;
            if repo::current(c, who.id, request.kind, &basis.subject_ref)?.is_some() {
                return Err(AppError::conflict(None, "you already hold this credential"));
            }
            one_issuer(c)?;
            let index = repo::next_status_index(c)?;
            let id = uuid::Uuid::now_v7().to_string();
            let claim = Claim {
                id: format!("urn:uuid:{id}"),
                kind: request.kind,
                subject: format!("{}/u/{}", signer.issuer.url, who.handle),
                subject_name: who.handle.clone(),
                achievement_id: basis.achievement_id.clone(),
                name: basis.name.clone(),
                description: basis.description.clone(),
                criteria: basis.criteria.clone(),
                skills: basis.skills.clone(),
                alignment: basis.alignment.clone(),
                evidence: evidence(c, who.id, &basis.refs, &checkpoint)?,
                valid_from: format_time(now),
                status: StatusEntry {
                    list: signer.status_list_url(list_of(index)),
                    index,
                },
            };
            let document = proof::sign(
                &badge::credential(&signer.issuer, &claim),
                &signer.key,
                &signer.method(),
                &format_time(now),
            );
            let row = CredentialRow {
                id: id.clone(),
                holder_id: who.id,
                kind: request.kind,
                subject_ref: basis.subject_ref.clone(),
                status_index: index,
                document,
                issued_at: now,
                revoked: None,
                share_token: None,
            };
            repo::insert(c, &row)?;
            record(
                c,
                now,
                Event::CredentialIssued(CredentialIssued {
                    holder: who.id.to_string(),
                    credential: id,
                    credential_kind: request.kind.as_str().into(),
                    about: basis.subject_ref,
                    status_index: index,
                }),
            )?;
            Ok(row.into())
        })
    }
}

/// On PostgreSQL, makes this transaction the only one giving out status list indexes until it
/// commits, so two credentials issued at once never take the same bit. SQLite has one writer.
fn one_issuer(c: &mut DbConnection) -> Result<(), AppError> {
    if let DbConnection::Postgresql(_) = c {
        diesel::connection::SimpleConnection::batch_execute(
            c,
            "SELECT pg_advisory_xact_lock(727172)",
        )?;
    }
    Ok(())
}

/// Why a request is refused: the `about` field, in words.
fn refuse(message: impl Into<String>) -> AppError {
    AppError::field("/about", message)
}

/// The basis of a credential of `request.kind` for `holder`, or why the records do not back it.
pub(super) fn basis(
    c: &mut DbConnection,
    holder: UserId,
    url: &str,
    request: &CredentialRequest,
) -> Result<Basis, AppError> {
    let about = request.about.trim();
    match request.kind {
        Kind::Contract => contract_basis(c, holder, url, about),
        Kind::Membership => membership_basis(c, holder, url, about),
        Kind::Mentoring => mentoring_basis(c, holder, url, about),
        Kind::Skill => skill_basis(c, holder, url, about),
    }
}

/// The skills a job asked for, as stored.
fn job_skills(c: &mut DbConnection, job_id: Option<&str>) -> Result<Vec<JobSkill>, AppError> {
    let Some(job) = job_id.map(|id| jobs::by_id(c, id)).transpose()?.flatten() else {
        return Ok(Vec::new());
    };
    serde_json::from_str(&job.skills)
        .map_err(|e| AppError::caused(format!("job {}: skills", job.id), e))
}

fn contract_basis(
    c: &mut DbConnection,
    holder: UserId,
    url: &str,
    about: &str,
) -> Result<Basis, AppError> {
    let contract = about
        .parse::<ContractId>()
        .ok()
        .map(|id| contracts::by_id(c, id))
        .transpose()?
        .flatten()
        .filter(|k| k.member_id == holder)
        .ok_or_else(|| refuse("you did no contract with this id"))?;
    if contract.status != ContractStatus::Completed {
        return Err(refuse("the contract is not completed yet"));
    }
    let skills: Vec<String> = job_skills(c, contract.job_id.as_deref())?
        .into_iter()
        .map(|s| s.label)
        .collect();
    Ok(Basis {
        subject_ref: contract.id.to_string(),
        refs: vec![contract.id.to_string()],
        achievement_id: format!("{url}/achievements/contract/{}", contract.id),
        name: format!("Delivered: {}", contract.title),
        description: format!(
            "Completed the contract \"{}\": every milestone delivered, approved and paid.",
            contract.title
        ),
        criteria: "A contract completed through the instance's escrow, each milestone \
                   delivered by the member and approved by the client."
            .into(),
        skills,
        alignment: Vec::new(),
    })
}

fn membership_basis(
    c: &mut DbConnection,
    holder: UserId,
    url: &str,
    slug: &str,
) -> Result<Basis, AppError> {
    let community = communities::by_slug(c, slug)?
        .ok_or_else(|| refuse("there is no community with this address"))?;
    if communities::role_of(c, &community.id, holder)?.is_none() {
        return Err(refuse("you are not a member of this community"));
    }
    let how = match community.admission {
        Admission::Open => {
            return Err(refuse(
                "anyone may join this community: its membership is not a credential",
            ));
        }
        Admission::Application => "by application, vetted by its curators",
        Admission::Invitation => "by invitation of its curators",
    };
    Ok(Basis {
        subject_ref: community.id.clone(),
        refs: vec![community.id.clone()],
        achievement_id: format!("{url}/c/{}", community.slug),
        name: format!("Member of {}", community.name),
        description: format!("Admitted to {}, a curated community.", community.name),
        criteria: format!("Admission to {} {how}.", community.name),
        skills: Vec::new(),
        alignment: Vec::new(),
    })
}

fn mentoring_basis(
    c: &mut DbConnection,
    holder: UserId,
    url: &str,
    id: &str,
) -> Result<Basis, AppError> {
    let mentorship = mentoring::mentorship(c, id)?
        .filter(|m| m.mentor_id == holder)
        .ok_or_else(|| refuse("you mentor no mentorship with this id"))?;
    if !matches!(
        mentorship.status,
        MentorshipStatus::Active | MentorshipStatus::Ended
    ) {
        return Err(refuse("this mentorship has not started"));
    }
    let confirmed: Vec<_> = mentoring::sessions_of(c, id)?
        .into_iter()
        .filter(|s| s.confirmed_at.is_some())
        .collect();
    if confirmed.is_empty() {
        return Err(refuse(
            "no session of this mentorship is confirmed by both of you yet",
        ));
    }
    let minutes: i32 = confirmed.iter().map(|s| s.minutes).sum();
    let skill_ids: Vec<String> = serde_json::from_str(&mentorship.skills).unwrap_or_default();
    let skills = skill_labels(c, &skill_ids)?;
    let mut refs = vec![mentorship.id.clone()];
    refs.extend(confirmed.iter().map(|s| s.id.clone()));
    Ok(Basis {
        subject_ref: mentorship.id.clone(),
        refs,
        achievement_id: format!("{url}/achievements/mentoring/{}", mentorship.id),
        name: if skills.is_empty() {
            "Mentor".to_string()
        } else {
            format!("Mentor in {}", skills.join(", "))
        },
        description: format!(
            "Mentored a fellow member: {} sessions, {} hours in all.",
            confirmed.len(),
            (minutes + 30) / 60
        ),
        criteria: "Mentoring sessions recorded by one partner and confirmed by the other.".into(),
        skills,
        alignment: Vec::new(),
    })
}

fn skill_basis(
    c: &mut DbConnection,
    holder: UserId,
    url: &str,
    skill_id: &str,
) -> Result<Basis, AppError> {
    let skill = skills::by_id(c, skill_id)?
        .ok_or_else(|| refuse("there is no skill with this id in the taxonomy"))?;
    let mut backing = Vec::new();
    for k in contracts::of_user(c, holder)? {
        if k.member_id != holder || k.status != ContractStatus::Completed {
            continue;
        }
        let asked = job_skills(c, k.job_id.as_deref())?;
        if asked
            .iter()
            .any(|s| s.skill_id.as_deref() == Some(skill_id))
        {
            backing.push(k.id.to_string());
        }
    }
    let assessed = assessments_of(c, holder, skill_id)?;
    if backing.is_empty() && assessed == 0 {
        return Err(refuse(format!(
            "no completed contract of yours asked for {}, and no curator assessed it",
            skill.preferred_label
        )));
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut grounds = Vec::new();
    if !backing.is_empty() {
        grounds.push(format!(
            "paid work ({})",
            plural(backing.len(), "completed contract")
        ));
    }
    if assessed > 0 {
        grounds.push(format!(
            "a curator's word ({})",
            plural(assessed, "assessment")
        ));
    }
    let mut refs = backing;
    // The assessments' log entries name the skill.
    refs.push(skill.id.clone());
    Ok(Basis {
        subject_ref: skill.id.clone(),
        achievement_id: format!("{url}/achievements/skill/{}", skill.id),
        name: skill.preferred_label.clone(),
        description: format!(
            "{} in practice, backed by {}.",
            skill.preferred_label,
            grounds.join(" and ")
        ),
        criteria: format!(
            "Contracts completed and paid through the instance whose job asked for {}, or a \
             community curator's recorded assessment of the member's {}.",
            skill.preferred_label, skill.preferred_label
        ),
        skills: vec![skill.preferred_label.clone()],
        alignment: skill
            .uri
            .clone()
            .map(|uri| vec![(skill.preferred_label.clone(), uri)])
            .unwrap_or_default(),
        refs,
    })
}

/// How many curators' assessments of the holder's `skill_id` their evidence holds.
pub(super) fn assessments_of(
    c: &mut DbConnection,
    holder: UserId,
    skill_id: &str,
) -> Result<usize, AppError> {
    Ok(assessed_skills(c, holder)?
        .iter()
        .filter(|s| *s == skill_id)
        .count())
}

/// The skills curators assessed for the holder, once per assessment, from their evidence: one
/// query, since the wallet asks it again for every skill it offers.
pub(super) fn assessed_skills(
    c: &mut DbConnection,
    holder: UserId,
) -> Result<Vec<String>, AppError> {
    Ok(
        guildhall_store::repo::evidence::payloads_of_kind(c, holder, "skill.assessed")?
            .iter()
            .filter_map(|text| serde_json::from_str::<Value>(text).ok())
            .filter_map(|p| Some(p["subjects"][2].as_str()?.to_string()))
            .collect(),
    )
}

/// The preferred labels of skills, by id; unknown ids are left out.
fn skill_labels(c: &mut DbConnection, ids: &[String]) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(s) = skills::by_id(c, id)? {
            out.push(s.preferred_label);
        }
    }
    Ok(out)
}

/// The holder's log entries about any of `refs`, at `checkpoint`, each with its inclusion
/// proof, as Open Badges `Evidence`. A payload goes along only when every other party it
/// names agreed to be named in the credentials of the people they worked with (a setting
/// each member chooses, off until they turn it on).
fn evidence(
    c: &mut DbConnection,
    holder: UserId,
    refs: &[String],
    checkpoint: &Checkpoint,
) -> Result<Vec<Value>, AppError> {
    let size = checkpoint.body.size;
    let holder_id = holder.to_string();
    let mut out = Vec::new();
    for entry in entries_of(c, holder)? {
        let Some(payload) = entry.payload else {
            continue; // erased: nothing says what it was about
        };
        let about = payload["subjects"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| refs.iter().any(|r| s == r.as_str())));
        if !about || entry.header.index >= size {
            continue;
        }
        let path =
            merkle::inclusion_proof(&mut Stored(c), entry.header.index, size)?.unwrap_or_default();
        let others: Vec<UserId> = payload["members"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|m| *m != holder_id)
            .filter_map(|m| m.parse().ok())
            .collect();
        let named_by_consent =
            others.is_empty() || repo::named_in_credentials(c, &others)?.len() == others.len();
        let mut item = json!({
            "type": ["Evidence"],
            "name": format!("Log entry {}", entry.header.index),
            "genre": entry.header.kind,
            "narrative": format!(
                "Entry {} of the instance's evidence log, with its inclusion proof at a signed checkpoint.",
                entry.header.index
            ),
            "logEntry": entry.header,
            "inclusionProof": path.iter().map(hex::encode).collect::<Vec<_>>(),
            "checkpoint": checkpoint,
        });
        if named_by_consent {
            item["payload"] = payload;
        }
        out.push(item);
    }
    Ok(out)
}
