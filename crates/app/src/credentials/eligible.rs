//! What a member may ask to be issued: each completed contract, each curated community they
//! belong to, each mentorship they gave with a confirmed session, each skill of their paid
//! work; and whether they hold it already.

use super::issue::{CredentialRequest, basis};
use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::community::Admission;
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::credentials::badge::Kind;
use guildhall_domain::job::JobSkill;
use guildhall_store::repo::credentials as repo;
use guildhall_store::repo::{communities, contracts, jobs, mentoring};
use serde::Serialize;

/// A credential the caller may request.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Requestable {
    /// What it would state.
    pub kind: Kind,
    /// What to send as `about` to request it.
    pub about: String,
    /// The achievement's name.
    pub name: String,
    /// What it rests on, in words.
    pub description: String,
    /// The id of the credential the caller holds for it already, if one is not revoked.
    pub held: Option<String>,
}

impl crate::facades::Credentials<'_> {
    /// What the caller may request, by kind: contracts, memberships, mentoring, skills.
    pub fn requestable(&self, who: &Account) -> Result<Vec<Requestable>, AppError> {
        let url = String::new();
        // Assessments are read from the evidence log: it must hold every one recorded so far.
        self.evidence().catch_up()?;
        self.read(|c| {
            let mut asks: Vec<CredentialRequest> = Vec::new();
            let mut skills: Vec<String> = Vec::new();
            for k in contracts::of_user(c, who.id)? {
                if k.member_id != who.id || k.status != ContractStatus::Completed {
                    continue;
                }
                asks.push(CredentialRequest {
                    kind: Kind::Contract,
                    about: k.id.to_string(),
                });
                if let Some(job) = k
                    .job_id
                    .as_deref()
                    .map(|j| jobs::by_id(c, j))
                    .transpose()?
                    .flatten()
                {
                    let asked: Vec<JobSkill> =
                        serde_json::from_str(&job.skills).unwrap_or_default();
                    for id in asked.into_iter().filter_map(|s| s.skill_id) {
                        if !skills.contains(&id) {
                            skills.push(id);
                        }
                    }
                }
            }
            for (community, _) in communities::of_member(c, who.id)? {
                if let Some(row) = communities::by_id(c, &community)?
                    && row.admission != Admission::Open
                {
                    asks.push(CredentialRequest {
                        kind: Kind::Membership,
                        about: row.slug,
                    });
                }
            }
            for m in mentoring::mentored_by(c, who.id)? {
                asks.push(CredentialRequest {
                    kind: Kind::Mentoring,
                    about: m.id,
                });
            }
            for id in super::issue::assessed_skills(c, who.id)? {
                if !skills.contains(&id) {
                    skills.push(id);
                }
            }
            asks.extend(skills.into_iter().map(|about| CredentialRequest {
                kind: Kind::Skill,
                about,
            }));
            let mut out = Vec::new();
            for ask in asks {
                // The same rules as issuing: what they would refuse is not offered.
                let Ok(b) = basis(c, who.id, &url, &ask) else {
                    continue;
                };
                let held = repo::current(c, who.id, ask.kind, &b.subject_ref)?.map(|r| r.id);
                out.push(Requestable {
                    kind: ask.kind,
                    about: ask.about,
                    name: b.name,
                    description: b.description,
                    held,
                });
            }
            Ok(out)
        })
    }
}
