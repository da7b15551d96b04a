//! Mentoring sessions: either partner records one, and it becomes evidence of mentoring only
//! when the other confirms it, at most one a day for a pair. One partner alone can therefore
//! add nothing to the mentor's trust.

use super::mentoring::{Mentorship, SessionInput, mentorship_of, mentorship_row};
use super::{Scope, check_skill_words, json_list, resolve_skills};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::community::Action;
use guildhall_domain::community::MentorshipStatus;
use guildhall_domain::events::{Event, MentoringSession, SessionRecorded};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::mentoring::{self as repo, MentorshipRow, SessionRow};

/// The active mentorship `id` of `who`, in the community at `slug`.
fn own_active(
    c: &mut DbConnection,
    who: &Account,
    slug: &str,
    id: &str,
) -> Result<(Scope, MentorshipRow), AppError> {
    let scope = Scope::load(c, slug, Some(who))?;
    scope.require(Action::ViewMembers)?;
    let row = mentorship_row(c, &scope, id)?;
    if row.mentor_id != who.id && row.learner_id != who.id {
        return Err(AppError::Forbidden(
            "only the mentor and the learner record and confirm sessions".into(),
        ));
    }
    if row.status != MentorshipStatus::Active {
        return Err(AppError::conflict(None, "this mentorship is not active"));
    }
    Ok((scope, row))
}

impl crate::facades::Communities<'_> {
    /// Records a session of an active pair (either of the two); the other confirms it.
    pub fn record_session(
        &self,
        who: &Account,
        slug: &str,
        id: &str,
        input: SessionInput,
    ) -> Result<Mentorship, AppError> {
        let mut e = FieldErrors::new();
        let held_on = validation::date(&mut e, "/held_on", &input.held_on);
        if !(5..=600).contains(&input.minutes) {
            e.add("/minutes", "must be between 5 and 600");
        }
        check_skill_words(&mut e, "/skills", &input.skills, 20);
        let notes = validation::text(&mut e, "/notes", &input.notes, 0, 4000, true);
        let now = self.now();
        let today = guildhall_domain::calendar::local_input(now, "UTC");
        if held_on.as_str() > &today[..today.len().min(10)] {
            e.add("/held_on", "must not be in the future");
        }
        self.write(|c| {
            let (scope, row) = own_active(c, who, slug, id)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            if repo::sessions_of(c, &row.id)?
                .iter()
                .any(|s| s.held_on == held_on)
            {
                return Err(AppError::conflict(
                    Some("/held_on"),
                    "a session on this day is already recorded",
                ));
            }
            let skills = if input.skills.is_empty() {
                serde_json::from_str(&row.skills).unwrap_or_default()
            } else {
                resolve_skills(c, &input.skills, who.id, now)?
            };
            let session = SessionRow {
                id: uuid::Uuid::now_v7().to_string(),
                mentorship_id: row.id.clone(),
                held_on: held_on.clone(),
                minutes: input.minutes,
                skills: json_list(&skills),
                notes: notes.clone(),
                recorded_by: who.id,
                created_at: now,
                confirmed_at: None,
            };
            repo::insert_session(c, &session)?;
            record(
                c,
                now,
                Event::SessionRecorded(SessionRecorded {
                    by: who.id.to_string(),
                    community: scope.id().to_string(),
                    mentorship: row.id.clone(),
                    session: session.id.clone(),
                    held_on: held_on.to_string(),
                }),
            )?;
            mentorship_of(c, row)
        })
    }

    /// The partner who did not record a session confirms it, which makes it evidence of
    /// mentoring: who taught whom which skills, and for how long.
    pub fn confirm_session(
        &self,
        who: &Account,
        slug: &str,
        id: &str,
        session_id: &str,
    ) -> Result<Mentorship, AppError> {
        let now = self.now();
        self.write(|c| {
            let (scope, row) = own_active(c, who, slug, id)?;
            let session = repo::session(c, session_id)?
                .filter(|s| s.mentorship_id == row.id)
                .ok_or(AppError::NotFound)?;
            if session.recorded_by == who.id {
                return Err(AppError::Forbidden(
                    "the other partner confirms the session you recorded".into(),
                ));
            }
            if session.confirmed_at.is_some() {
                return Err(AppError::conflict(
                    None,
                    "this session is already confirmed",
                ));
            }
            if repo::confirmed_on(c, row.mentor_id, row.learner_id, &session.held_on)? {
                return Err(AppError::conflict(
                    None,
                    "you already confirmed a session with this partner on that day",
                ));
            }
            repo::confirm_session(c, &session.id, now)?;
            record(
                c,
                now,
                Event::MentoringSession(MentoringSession {
                    by: who.id.to_string(),
                    community: scope.id().to_string(),
                    mentorship: row.id.clone(),
                    mentor: row.mentor_id.to_string(),
                    learner: row.learner_id.to_string(),
                    held_on: session.held_on.clone(),
                    minutes: session.minutes,
                    skills: serde_json::from_str(&session.skills).unwrap_or_default(),
                    format: row.format.into(),
                    recorded_by: Some(session.recorded_by.to_string()),
                    confirmed_by: Some(who.id.to_string()),
                }),
            )?;
            mentorship_of(c, row)
        })
    }
}
