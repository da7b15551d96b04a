//! Admission: applications answered with a persona, reviewed by curators against the community's
//! skill balance, and invitation links with an expiry and a use count.

use super::{Question, Scope, SkillRef};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::secrets::{hash_token, random_token};
use guildhall_domain::community::{Action, Role, Standing};
use guildhall_domain::events::{
    ApplicationDecided, Applied, Event, InvitationCreated, InvitationRevoked, Joined,
};
use guildhall_domain::profile::ItemData;
use guildhall_domain::view::ProfileView;
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::admission::{self as repo, ApplicationRow, InvitationRow};
use guildhall_store::repo::{communities, search, users};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// What an applicant sends.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    /// One answer per question, in order.
    #[serde(default)]
    pub answers: Vec<String>,
    /// The persona to show the curators; none shows the profile as members see it.
    #[serde(default)]
    pub persona_id: Option<String>,
}

pub use guildhall_domain::community::ApplicationStatus;

/// An application as its applicant sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Application {
    /// The application's id (UUIDv7), as in `/applications/{id}/decision`.
    pub id: String,
    /// Where it stands: pending until a curator decides or the applicant withdraws it.
    pub status: ApplicationStatus,
    /// The curators' reason, when declined.
    pub reason: String,
    /// Questions with the answers given.
    pub answers: Vec<Answer>,
    /// The persona shown.
    pub persona_id: Option<String>,
    /// Submission time (ms).
    pub created_at: i64,
}

/// A question and its answer.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Answer {
    /// The question.
    pub prompt: String,
    /// The answer.
    pub answer: String,
}

/// One skill of an applicant against the community's balance.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SkillBalance {
    /// The skill.
    pub skill: SkillRef,
    /// Members who show this skill to the community.
    pub supply: i64,
    /// Open jobs in the community asking for it.
    pub open_demand: i64,
    /// Whether it is one of the community's focus skills.
    pub focus: bool,
    /// Open hours per free hour of the skill in the community over the next four weeks, from
    /// the newest daily snapshot; absent when too few members or jobs make it, or before the
    /// first snapshot.
    pub liquidity: Option<f64>,
}

/// An application as a curator reviews it. Not serialised as is: `shown` holds profile items
/// with their audiences, which the web layer turns into what a viewer may read.
#[derive(Clone, Debug)]
pub struct ApplicationReview {
    /// The application.
    pub application: Application,
    /// Applicant's handle.
    pub handle: String,
    /// What the applicant shows: the chosen persona, or the profile as members see it.
    pub shown: ProfileView,
    /// The applicant's skills against the community's supply and demand, scarcest first.
    pub skills: Vec<SkillBalance>,
}

/// A curator's decision.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum Decision {
    /// Admit.
    Approve,
    /// Decline, saying why (the applicant sees the reason).
    Decline {
        /// Why.
        reason: String,
    },
    /// Keep for later.
    Waitlist,
}

/// What creating an invitation asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    /// Days the link works, 1 to 90.
    pub days_valid: i64,
    /// How many people may use it, 1 to 1000.
    pub max_uses: i32,
    /// For whom or why (curators see it).
    #[serde(default)]
    pub note: String,
}

/// An invitation as curators see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    /// The invitation's id (UUIDv7), as in `/invitations/{id}` to revoke it.
    pub id: String,
    /// For whom or why, as the curator who made it wrote; may be empty.
    pub note: String,
    /// Expiry (ms).
    pub expires_at: i64,
    /// Most uses.
    pub max_uses: i32,
    /// Uses so far.
    pub uses: i32,
    /// Whether it still admits people.
    pub live: bool,
    /// The secret for the link; only in the answer that creates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

fn application_of(row: &ApplicationRow, questions: &[Question]) -> Application {
    let answers: Vec<String> = serde_json::from_str(&row.answers).unwrap_or_default();
    Application {
        id: row.id.clone(),
        status: row.status,
        reason: row.reason.clone(),
        answers: questions
            .iter()
            .enumerate()
            .map(|(i, q)| Answer {
                prompt: q.prompt.clone(),
                answer: answers.get(i).cloned().unwrap_or_default(),
            })
            .collect(),
        persona_id: row.persona_id.clone(),
        created_at: row.created_at,
    }
}

fn invitation_of(row: InvitationRow, now: i64, token: Option<String>) -> Invitation {
    Invitation {
        live: row.revoked_at.is_none() && row.expires_at > now && row.uses < row.max_uses,
        id: row.id,
        note: row.note,
        expires_at: row.expires_at,
        max_uses: row.max_uses,
        uses: row.uses,
        token,
    }
}

fn questions_of(scope: &Scope) -> Vec<Question> {
    serde_json::from_str(&scope.row.questions).unwrap_or_default()
}

/// Members who show each skill to the community: skill id → count.
fn supply(
    c: &mut DbConnection,
    community_id: &str,
    skill_ids: &[String],
) -> Result<BTreeMap<String, i64>, AppError> {
    let members: BTreeSet<String> = communities::members(c, community_id)?
        .into_iter()
        .map(|(u, _)| u.to_string())
        .collect();
    let audience = format!("community:{community_id}");
    let mut holders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for doc in search::with_skills(c, skill_ids)? {
        let seen_by_members = doc
            .audiences
            .split(' ')
            .any(|a| a == "public" || a == "members" || a == audience);
        if seen_by_members
            && members.contains(&doc.owner_id)
            && let Some(skill) = doc.skill_id
        {
            holders.entry(skill).or_default().insert(doc.owner_id);
        }
    }
    Ok(holders
        .into_iter()
        .map(|(k, v)| (k, v.len() as i64))
        .collect())
}

/// Open jobs in the community asking for each skill: skill id → count.
fn demand(c: &mut DbConnection, community_id: &str) -> Result<BTreeMap<String, i64>, AppError> {
    let mut out: BTreeMap<String, i64> = BTreeMap::new();
    for (_, skills) in guildhall_store::repo::jobs::open_in_community(c, community_id)? {
        let wanted: Vec<crate::work::jobs::JobSkill> =
            serde_json::from_str(&skills).unwrap_or_default();
        let ids: BTreeSet<String> = wanted.into_iter().filter_map(|s| s.skill_id).collect();
        for id in ids {
            *out.entry(id).or_default() += 1;
        }
    }
    Ok(out)
}

fn review(
    c: &mut DbConnection,
    scope: &Scope,
    row: &ApplicationRow,
    questions: &[Question],
) -> Result<ApplicationReview, AppError> {
    let applicant = users::by_id(c, row.user_id)?.ok_or(AppError::NotFound)?;
    let shown = super::as_community_sees(
        c,
        scope.id(),
        applicant.id,
        &applicant.handle,
        row.persona_id.as_deref(),
    )?;
    let skills: Vec<SkillRef> = shown
        .items
        .iter()
        .filter_map(|i| match &i.data {
            ItemData::Skill {
                skill_id: Some(id),
                label,
                ..
            } => Some(SkillRef {
                id: id.clone(),
                label: label.clone(),
            }),
            _ => None,
        })
        .collect();
    let ids: Vec<String> = skills.iter().map(|s| s.id.clone()).collect();
    let supply = supply(c, scope.id(), &ids)?;
    let demand = demand(c, scope.id())?;
    let focus: Vec<String> = serde_json::from_str(&scope.row.focus_skills).unwrap_or_default();
    let liquidity = crate::insights::liquidity::latest(c, scope.id())?;
    let mut balance: Vec<SkillBalance> = skills
        .into_iter()
        .map(|skill| SkillBalance {
            liquidity: liquidity.get(&skill.id).and_then(|l| l.ratio),
            supply: supply.get(&skill.id).copied().unwrap_or(0),
            open_demand: demand.get(&skill.id).copied().unwrap_or(0),
            focus: focus.contains(&skill.id),
            skill,
        })
        .collect();
    // Scarcest first: what the community most lacks is what a curator most wants to see.
    balance.sort_by_key(|b| (!b.focus, b.supply - b.open_demand));
    Ok(ApplicationReview {
        application: application_of(row, questions),
        handle: applicant.handle,
        shown,
        skills: balance,
    })
}

impl crate::facades::Communities<'_> {
    /// Applies to join a community that admits by application.
    pub fn apply_to_community(
        &self,
        who: &Account,
        slug: &str,
        input: ApplicationInput,
    ) -> Result<Application, AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            if scope.role().is_some() {
                return Err(AppError::conflict(None, "you are already a member"));
            }
            if !scope.may(Action::Apply) {
                return Err(AppError::Forbidden(
                    "this community does not take applications".into(),
                ));
            }
            let questions = questions_of(&scope);
            let mut e = FieldErrors::new();
            if input.answers.len() > questions.len() {
                e.add("/answers", "more answers than questions");
            }
            let answers: Vec<String> = questions
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let raw = input.answers.get(i).map(String::as_str).unwrap_or("");
                    let min = usize::from(q.required);
                    validation::text(&mut e, &format!("/answers/{i}"), raw, min, 4000, true)
                })
                .collect();
            if let Some(id) = &input.persona_id
                && !super::owns_persona(c, who.id, id)?
            {
                e.add("/persona_id", "is not one of your personas");
            }
            if !e.is_empty() {
                return Err(e.into());
            }
            if repo::open_of(c, scope.id(), who.id)?.is_some() {
                return Err(AppError::conflict(
                    None,
                    "you already have an application waiting",
                ));
            }
            let row = ApplicationRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                user_id: who.id,
                persona_id: input.persona_id.clone(),
                answers: super::json_list(&answers),
                status: ApplicationStatus::Pending,
                reason: String::new(),
                decided_by: None,
                created_at: now,
                decided_at: None,
            };
            repo::insert(c, &row)?;
            record(
                c,
                now,
                Event::Applied(Applied {
                    applicant: who.id.to_string(),
                    community: scope.id().to_string(),
                    application: row.id.clone(),
                }),
            )?;
            Ok(application_of(&row, &questions))
        })
    }

    /// The caller's latest application to a community, if any is open.
    pub fn my_application(
        &self,
        who: &Account,
        slug: &str,
    ) -> Result<Option<Application>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            let row = repo::open_of(c, scope.id(), who.id)?;
            Ok(row.map(|r| application_of(&r, &questions_of(&scope))))
        })
    }

    /// Takes back the caller's open application.
    pub fn withdraw_application(&self, who: &Account, slug: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            let row = repo::open_of(c, scope.id(), who.id)?.ok_or(AppError::NotFound)?;
            repo::decide(c, &row.id, ApplicationStatus::Withdrawn, "", who.id, now)?;
            record(
                c,
                now,
                Event::ApplicationWithdrawn(Applied {
                    applicant: who.id.to_string(),
                    community: scope.id().to_string(),
                    application: row.id.clone(),
                }),
            )
        })
    }

    /// Applications waiting (pending first, then waitlisted), each with what a curator needs.
    pub fn review_applications(
        &self,
        curator: &Account,
        slug: &str,
    ) -> Result<Vec<ApplicationReview>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(curator))?;
            scope.require(Action::ReviewApplications)?;
            let questions = questions_of(&scope);
            let mut rows = repo::queue(c, scope.id(), ApplicationStatus::Pending, 200)?;
            rows.extend(repo::queue(
                c,
                scope.id(),
                ApplicationStatus::Waitlisted,
                200,
            )?);
            rows.iter()
                .map(|row| review(c, &scope, row, &questions))
                .collect()
        })
    }

    /// Approves, declines or waitlists an application.
    pub fn decide_application(
        &self,
        curator: &Account,
        slug: &str,
        application_id: &str,
        decision: Decision,
    ) -> Result<Application, AppError> {
        let reason = match &decision {
            Decision::Decline { reason } => {
                let mut e = FieldErrors::new();
                let r = validation::text(&mut e, "/reason", reason, 1, 1000, true);
                if !e.is_empty() {
                    return Err(e.into());
                }
                r
            }
            _ => String::new(),
        };
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(curator))?;
            scope.require(Action::ReviewApplications)?;
            let row = repo::by_id(c, application_id)?
                .filter(|r| r.community_id == scope.id())
                .ok_or(AppError::NotFound)?;
            let status = row.status;
            if !matches!(
                status,
                ApplicationStatus::Pending | ApplicationStatus::Waitlisted
            ) {
                return Err(AppError::conflict(
                    None,
                    "this application is already decided",
                ));
            }
            let (new_status, event): (_, fn(ApplicationDecided) -> Event) = match decision {
                Decision::Approve => (ApplicationStatus::Approved, Event::ApplicationApproved),
                Decision::Decline { .. } => {
                    (ApplicationStatus::Declined, Event::ApplicationDeclined)
                }
                Decision::Waitlist => (ApplicationStatus::Waitlisted, Event::ApplicationWaitlisted),
            };
            if new_status == ApplicationStatus::Waitlisted && status == new_status {
                return Err(AppError::conflict(
                    None,
                    "this application is already waitlisted",
                ));
            }
            if new_status == ApplicationStatus::Approved {
                if !scope.has_room(c)? {
                    return Err(AppError::conflict(
                        None,
                        "the community is full: raise the cap or waitlist the application",
                    ));
                }
                communities::add_member(c, scope.id(), row.user_id, Role::Member, now)?;
                if let Some(p) = &row.persona_id {
                    communities::set_persona(c, scope.id(), row.user_id, Some(p))?;
                }
            }
            if !repo::decide(c, &row.id, new_status, &reason, curator.id, now)? {
                return Err(AppError::conflict(
                    None,
                    "this application is already decided",
                ));
            }
            record(
                c,
                now,
                event(ApplicationDecided {
                    curator: curator.id.to_string(),
                    community: scope.id().to_string(),
                    applicant: row.user_id.to_string(),
                    application: row.id.clone(),
                    reason: reason.to_string(),
                }),
            )?;
            let row = repo::by_id(c, &row.id)?.ok_or(AppError::NotFound)?;
            Ok(application_of(&row, &questions_of(&scope)))
        })
    }

    /// Creates an invitation link. The secret is in the answer once and stored only as a hash.
    pub fn create_invitation(
        &self,
        curator: &Account,
        slug: &str,
        input: InvitationInput,
    ) -> Result<Invitation, AppError> {
        let mut e = FieldErrors::new();
        if !(1..=90).contains(&input.days_valid) {
            e.add("/days_valid", "must be between 1 and 90");
        }
        if !(1..=1000).contains(&input.max_uses) {
            e.add("/max_uses", "must be between 1 and 1000");
        }
        let note = validation::text(&mut e, "/note", &input.note, 0, 200, false);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(curator))?;
            scope.require(Action::Invite)?;
            let token = random_token();
            let row = InvitationRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                token_hash: hash_token(&token),
                note: note.clone(),
                created_by: curator.id,
                expires_at: now + input.days_valid * DAY_MS,
                max_uses: input.max_uses,
                uses: 0,
                revoked_at: None,
                created_at: now,
            };
            repo::insert_invitation(c, &row)?;
            record(
                c,
                now,
                Event::InvitationCreated(InvitationCreated {
                    curator: curator.id.to_string(),
                    community: scope.id().to_string(),
                    invitation: row.id.clone(),
                    max_uses: row.max_uses,
                    expires_at: row.expires_at,
                }),
            )?;
            Ok(invitation_of(row, now, Some(token)))
        })
    }

    /// A community's invitations, for curators.
    pub fn invitations(&self, curator: &Account, slug: &str) -> Result<Vec<Invitation>, AppError> {
        let now = self.now();
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(curator))?;
            scope.require(Action::Invite)?;
            Ok(repo::invitations_of(c, scope.id())?
                .into_iter()
                .map(|r| invitation_of(r, now, None))
                .collect())
        })
    }

    /// Stops an invitation link from admitting anyone.
    pub fn revoke_invitation(
        &self,
        curator: &Account,
        slug: &str,
        id: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(curator))?;
            scope.require(Action::Invite)?;
            if !repo::revoke_invitation(c, scope.id(), id, now)? {
                return Err(AppError::NotFound);
            }
            record(
                c,
                now,
                Event::InvitationRevoked(InvitationRevoked {
                    curator: curator.id.to_string(),
                    community: scope.id().to_string(),
                    invitation: id.to_string(),
                }),
            )
        })
    }

    /// The community an invitation link opens, for anyone holding a live link.
    pub fn invitation_community(&self, token: &str) -> Result<super::Community, AppError> {
        let now = self.now();
        self.read(|c| {
            let (_, row) = live_invitation(c, token, now)?;
            let scope = Scope {
                row,
                standing: Standing::Visitor,
            };
            super::view(c, scope, None)
        })
    }

    /// Joins through an invitation link, whatever the community's admission.
    pub fn accept_invitation(
        &self,
        who: &Account,
        token: &str,
    ) -> Result<super::Community, AppError> {
        let now = self.now();
        self.write(|c| {
            let (invitation, row) = live_invitation(c, token, now)?;
            if communities::role_of(c, &row.id, who.id)?.is_some() {
                return Err(AppError::conflict(None, "you are already a member"));
            }
            let scope = Scope {
                row,
                standing: Standing::Outsider,
            };
            if !scope.has_room(c)? {
                return Err(AppError::conflict(None, "this community is full"));
            }
            if !repo::use_invitation(c, &invitation.id, now)? {
                return Err(AppError::conflict(
                    None,
                    "this invitation has expired or been used up",
                ));
            }
            communities::add_member(c, scope.id(), who.id, Role::Member, now)?;
            // An application still waiting is settled by the invitation.
            if let Some(open) = repo::open_of(c, scope.id(), who.id)? {
                repo::decide(
                    c,
                    &open.id,
                    ApplicationStatus::Approved,
                    "",
                    invitation.created_by,
                    now,
                )?;
            }
            record(
                c,
                now,
                Event::Joined(Joined {
                    member: who.id.to_string(),
                    community: scope.id().to_string(),
                    invitation: Some(invitation.id.clone()),
                    via: Some("invitation".into()),
                }),
            )?;
            let scope = Scope {
                standing: Standing::Member(Role::Member),
                ..scope
            };
            super::view(c, scope, Some(who))
        })
    }
}

/// The live invitation a token opens, with its community. Dead or unknown links are not found,
/// so a link reveals nothing once it stops working.
pub(crate) fn live_invitation(
    c: &mut DbConnection,
    token: &str,
    now: i64,
) -> Result<
    (
        InvitationRow,
        guildhall_store::repo::communities::CommunityRow,
    ),
    AppError,
> {
    if token.is_empty() || token.len() > 64 {
        return Err(AppError::NotFound);
    }
    let inv = repo::invitation_by_hash(c, &hash_token(token))?.ok_or(AppError::NotFound)?;
    if inv.revoked_at.is_some() || inv.expires_at <= now || inv.uses >= inv.max_uses {
        return Err(AppError::NotFound);
    }
    let row = communities::by_id(c, &inv.community_id)?.ok_or(AppError::NotFound)?;
    Ok((inv, row))
}
