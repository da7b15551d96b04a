//! Mentoring: mentors offer help in skills; learners ask with a goal, either for sessions or to
//! learn alongside the mentor on real work; the mentor or a curator accepts; the pair records
//! sessions (`sessions`), which become evidence of mentoring once both confirm them.

use super::{Scope, SkillRef, check_skill_words, json_list, resolve_skills, skill_refs};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::community::Action;
use guildhall_domain::community::MentorshipStatus;
use guildhall_domain::events::{
    Event, MentoringAnswered, MentoringOffered, MentoringRequested, MentoringWithdrawn,
};
use guildhall_domain::{FieldErrors, UserId, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::mentoring::{self as repo, MentorshipRow, OfferRow};
use guildhall_store::repo::users;
use serde::{Deserialize, Serialize};

/// What a mentor offers.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MentoringOfferInput)]
pub struct OfferInput {
    /// Skills, in the mentor's words.
    pub skills: Vec<String>,
    /// What the mentor offers and how.
    #[serde(default)]
    pub note: String,
    /// Whether the mentor will take a learner along on real, paid work.
    #[serde(default)]
    pub on_real_work: bool,
}

pub use guildhall_domain::community::MentoringFormat as Format;

/// What a learner asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// The offer answered.
    pub offer_id: String,
    /// What the learner wants to reach.
    pub goal: String,
    /// Skills wanted, in the learner's words.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Sessions or real work.
    pub format: Format,
    /// The work, for real work: a description or a link.
    #[serde(default)]
    pub work: String,
}

/// A session as recorded.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// Length in minutes, 5 to 600.
    pub minutes: i32,
    /// Skills worked on.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// An offer as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Offer {
    /// The offer's id (UUIDv7); send it as `offer_id` to ask this mentor for mentoring.
    pub id: String,
    /// Mentor's handle.
    pub mentor: String,
    /// Skills the mentor offers help in, resolved from the mentor's words, with labels.
    pub skills: Vec<SkillRef>,
    /// What the mentor offers and how, in Markdown; may be empty.
    pub note: String,
    /// Pairs on real work.
    pub on_real_work: bool,
}

/// A session as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Session {
    /// Id, to confirm it by.
    pub id: String,
    /// Handle of the partner who recorded it.
    pub recorded_by: String,
    /// The other partner confirmed it: only a confirmed session is evidence of mentoring.
    pub confirmed: bool,
    /// Date.
    pub held_on: String,
    /// How long the session lasted, in minutes (5 to 600).
    pub minutes: i32,
    /// Skills worked on; the pair's skills when the recorder named none.
    pub skills: Vec<SkillRef>,
    /// What the partner who recorded it noted; may be empty.
    pub notes: String,
}

/// A mentorship as shown to its pair and to curators.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Mentorship {
    /// The pair's id (UUIDv7), as in `/mentoring/pairs/{id}`.
    pub id: String,
    /// Mentor's handle.
    pub mentor: String,
    /// Learner's handle.
    pub learner: String,
    /// What the learner wants to reach, in the learner's words.
    pub goal: String,
    /// Skills the learner wants; the offer's skills when the learner named none.
    pub skills: Vec<SkillRef>,
    /// Whether the pair meets for sessions or the learner joins the mentor on real work.
    pub format: Format,
    /// The work, for real work.
    pub work: String,
    /// requested, active, declined or ended.
    pub status: String,
    /// Sessions, by date.
    pub sessions: Vec<Session>,
}

fn handle(c: &mut DbConnection, id: UserId) -> Result<String, AppError> {
    Ok(users::by_id(c, id)?
        .map(|u| u.handle)
        .unwrap_or_else(|| "(gone)".into()))
}

fn offer_of(c: &mut DbConnection, row: OfferRow) -> Result<Offer, AppError> {
    Ok(Offer {
        mentor: handle(c, row.mentor_id)?,
        skills: skill_refs(c, &row.skills)?,
        id: row.id,
        note: row.note,
        on_real_work: row.on_real_work,
    })
}

pub(super) fn mentorship_of(
    c: &mut DbConnection,
    row: MentorshipRow,
) -> Result<Mentorship, AppError> {
    let sessions = repo::sessions_of(c, &row.id)?
        .into_iter()
        .map(|s| {
            Ok(Session {
                skills: skill_refs(c, &s.skills)?,
                recorded_by: handle(c, s.recorded_by)?,
                confirmed: s.confirmed_at.is_some(),
                id: s.id,
                held_on: s.held_on,
                minutes: s.minutes,
                notes: s.notes,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Mentorship {
        mentor: handle(c, row.mentor_id)?,
        learner: handle(c, row.learner_id)?,
        skills: skill_refs(c, &row.skills)?,
        format: row.format,
        id: row.id,
        goal: row.goal,
        work: row.work,
        status: row.status.as_str().into(),
        sessions,
    })
}

pub(super) fn mentorship_row(
    c: &mut DbConnection,
    scope: &Scope,
    id: &str,
) -> Result<MentorshipRow, AppError> {
    repo::mentorship(c, id)?
        .filter(|m| m.community_id == scope.id())
        .ok_or(AppError::NotFound)
}

impl crate::facades::Communities<'_> {
    /// Offers mentoring in skills (mentors, curators, owners).
    pub fn offer_mentoring(
        &self,
        who: &Account,
        slug: &str,
        input: OfferInput,
    ) -> Result<Offer, AppError> {
        let mut e = FieldErrors::new();
        check_skill_words(&mut e, "/skills", &input.skills, 20);
        if input.skills.iter().all(|s| s.trim().is_empty()) {
            e.add("/skills", "name at least one skill");
        }
        let note = validation::text(&mut e, "/note", &input.note, 0, 2000, true);
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::OfferMentoring)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            let skills = resolve_skills(c, &input.skills, who.id, now)?;
            let row = OfferRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                mentor_id: who.id,
                skills: json_list(&skills),
                note: note.clone(),
                on_real_work: input.on_real_work,
                active: true,
                created_at: now,
            };
            repo::insert_offer(c, &row)?;
            record(
                c,
                now,
                Event::MentoringOffered(MentoringOffered {
                    mentor: who.id.to_string(),
                    community: scope.id().to_string(),
                    offer: row.id.clone(),
                    skills: skills.clone(),
                    on_real_work: row.on_real_work,
                }),
            )?;
            offer_of(c, row)
        })
    }

    /// Withdraws an offer (its mentor, or staff).
    pub fn withdraw_offer(
        &self,
        who: &Account,
        slug: &str,
        offer_id: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ViewMembers)?;
            let offer = repo::offer(c, offer_id)?
                .filter(|o| o.community_id == scope.id() && o.active)
                .ok_or(AppError::NotFound)?;
            if offer.mentor_id != who.id && !scope.may(Action::ManageRoles) {
                return Err(AppError::Forbidden("this is not your offer".into()));
            }
            repo::close_offer(c, &offer.id)?;
            record(
                c,
                now,
                Event::MentoringWithdrawn(MentoringWithdrawn {
                    mentor: who.id.to_string(),
                    community: scope.id().to_string(),
                    offer: offer.id.clone(),
                }),
            )
        })
    }

    /// Open mentoring offers, for members.
    pub fn mentoring_offers(
        &self,
        who: Option<&Account>,
        slug: &str,
    ) -> Result<Vec<Offer>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            scope.require(Action::ViewMembers)?;
            repo::offers_of(c, scope.id())?
                .into_iter()
                .map(|row| offer_of(c, row))
                .collect()
        })
    }

    /// Asks a mentor for mentoring.
    pub fn request_mentoring(
        &self,
        who: &Account,
        slug: &str,
        input: RequestInput,
    ) -> Result<Mentorship, AppError> {
        let mut e = FieldErrors::new();
        let goal = validation::text(&mut e, "/goal", &input.goal, 5, 2000, true);
        check_skill_words(&mut e, "/skills", &input.skills, 20);
        let work = validation::text(&mut e, "/work", &input.work, 0, 2000, true);
        if input.format == Format::RealWork && work.is_empty() {
            e.add("/work", "describe the work or link to it");
        }
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::RequestMentoring)?;
            let offer = repo::offer(c, &input.offer_id)?
                .filter(|o| o.community_id == scope.id() && o.active)
                .ok_or(AppError::NotFound)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            if offer.mentor_id == who.id {
                return Err(AppError::conflict(None, "you cannot mentor yourself"));
            }
            if input.format == Format::RealWork && !offer.on_real_work {
                return Err(AppError::field(
                    "/format",
                    "this mentor offers sessions, not real work",
                ));
            }
            let skills = if input.skills.is_empty() {
                serde_json::from_str(&offer.skills).unwrap_or_default()
            } else {
                resolve_skills(c, &input.skills, who.id, now)?
            };
            let row = MentorshipRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                offer_id: offer.id.clone(),
                mentor_id: offer.mentor_id,
                learner_id: who.id,
                goal: goal.clone(),
                skills: json_list(&skills),
                format: input.format,
                work: work.clone(),
                status: MentorshipStatus::Requested,
                decided_by: None,
                created_at: now,
                decided_at: None,
            };
            repo::insert_mentorship(c, &row)?;
            record(
                c,
                now,
                Event::MentoringRequested(MentoringRequested {
                    learner: who.id.to_string(),
                    community: scope.id().to_string(),
                    mentorship: row.id.clone(),
                    mentor: row.mentor_id.to_string(),
                    format: row.format.into(),
                }),
            )?;
            mentorship_of(c, row)
        })
    }

    /// Accepts or declines a request: its mentor, or a curator.
    pub fn decide_mentorship(
        &self,
        who: &Account,
        slug: &str,
        id: &str,
        accept: bool,
    ) -> Result<Mentorship, AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::AcceptMentoring)?;
            let row = mentorship_row(c, &scope, id)?;
            if row.mentor_id != who.id && !scope.may(Action::ManageRoles) {
                return Err(AppError::Forbidden(
                    "only the mentor or a curator decides this request".into(),
                ));
            }
            let to = if accept {
                MentorshipStatus::Active
            } else {
                MentorshipStatus::Declined
            };
            if !repo::transition(c, &row.id, MentorshipStatus::Requested, to, who.id, now)? {
                return Err(AppError::conflict(None, "this request is already decided"));
            }
            record(c, now, {
                let answered = MentoringAnswered {
                    by: who.id.to_string(),
                    community: scope.id().to_string(),
                    mentorship: row.id.clone(),
                    mentor: row.mentor_id.to_string(),
                    learner: row.learner_id.to_string(),
                    format: row.format.into(),
                };
                if accept {
                    Event::MentoringAccepted(answered)
                } else {
                    Event::MentoringDeclined(answered)
                }
            })?;
            let row = mentorship_row(c, &scope, id)?;
            mentorship_of(c, row)
        })
    }

    /// Mentorships: all of them for curators, the caller's own for everyone else.
    pub fn mentorships(&self, who: &Account, slug: &str) -> Result<Vec<Mentorship>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ViewMembers)?;
            let all = scope.may(Action::ManageRoles);
            repo::mentorships_of(c, scope.id())?
                .into_iter()
                .filter(|m| all || m.mentor_id == who.id || m.learner_id == who.id)
                .map(|row| mentorship_of(c, row))
                .collect()
        })
    }
}
