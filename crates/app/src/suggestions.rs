//! Co-created skills: a member's network suggests skills, the member decides. The suggester
//! learns only whether the skill was added, never why not. Endorsements are in `endorsements`.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::profiles::{ItemInput, OwnItem, from_row, item_row, load_items};
use crate::skills::resolve_or_tag;
use guildhall_domain::UserId;
use guildhall_domain::connection::ConnectionStatus;
use guildhall_domain::events::{
    Event, SkillSuggested, SuggestionAccepted, SuggestionDeclined, SuggestionsSettingChanged,
};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_domain::skills::SuggestionStatus;
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::suggestions::{self as repo, SuggestionRow};
use guildhall_store::repo::{connections, conversations, items, users};
use serde::Serialize;

/// Suggestions one member may make in a day.
pub const DAILY_SUGGESTIONS: i64 = 20;

/// Who may suggest skills to a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionsFrom {
    /// Any signed-in member.
    Members,
    /// Accepted connections only.
    Connections,
    /// Nobody.
    Off,
}

impl SuggestionsFrom {
    fn as_str(self) -> &'static str {
        match self {
            SuggestionsFrom::Members => "members",
            SuggestionsFrom::Connections => "connections",
            SuggestionsFrom::Off => "off",
        }
    }

    fn parse(s: &str) -> SuggestionsFrom {
        match s {
            "connections" => SuggestionsFrom::Connections,
            "off" => SuggestionsFrom::Off,
            _ => SuggestionsFrom::Members,
        }
    }
}

/// A suggestion as the member it was made to sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct IncomingSuggestion {
    /// The suggestion's id (UUIDv7), as in `/me/skill-suggestions/{id}/accept`.
    pub id: String,
    /// Who suggested it.
    pub from: String,
    /// The skill.
    pub skill_id: String,
    /// The skill's label.
    pub label: String,
    /// Where they saw it.
    pub note: String,
    /// pending, accepted or declined.
    pub status: String,
    /// When, Unix ms.
    pub created_at: i64,
}

/// A suggestion as the suggester sees it: only whether the skill was added.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SentSuggestion {
    /// The suggestion's id (UUIDv7), the same one the member it was made to sees.
    pub id: String,
    /// To whom.
    pub to: String,
    /// The skill's label.
    pub label: String,
    /// `added` or `not_added`.
    pub outcome: String,
}

fn is_connected(c: &mut DbConnection, a: UserId, b: UserId) -> Result<bool, AppError> {
    Ok(connections::between(c, a, b)?.is_some_and(|r| r.status == ConnectionStatus::Accepted))
}

fn skill_label(c: &mut DbConnection, skill_id: &str) -> Result<String, AppError> {
    Ok(guildhall_store::repo::skills::by_id(c, skill_id)?
        .map(|s| s.preferred_label)
        .unwrap_or_default())
}

impl crate::facades::Skills<'_> {
    /// Who may suggest skills to the caller.
    pub fn suggestions_from(&self, account: &Account) -> Result<SuggestionsFrom, AppError> {
        self.read(|c| {
            Ok(repo::suggestions_from(c, account.id)?
                .map_or(SuggestionsFrom::Members, |s| SuggestionsFrom::parse(&s)))
        })
    }

    /// Chooses who may suggest skills to the caller.
    pub fn set_suggestions_from(
        &self,
        account: &Account,
        value: SuggestionsFrom,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            repo::set_suggestions_from(c, account.id, value.as_str())?;
            record(
                c,
                now,
                Event::SuggestionsSettingChanged(SuggestionsSettingChanged {
                    account: account.id.to_string(),
                    from: value.as_str().into(),
                }),
            )
        })
    }

    /// Suggests a skill to the member `handle`, with a note saying where the suggester saw it.
    pub fn suggest_skill(
        &self,
        suggester: &Account,
        handle: &str,
        words: &str,
        note: &str,
    ) -> Result<SentSuggestion, AppError> {
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", note, 1, 280, false);
        let words = validation::text(&mut e, "/label", words, 1, 100, false);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let member = users::by_handle(c, handle)?.ok_or(AppError::NotFound)?;
            if member.id == suggester.id {
                return Err(AppError::conflict(
                    Some("/handle"),
                    "add skills to your own profile directly",
                ));
            }
            let allowed = match repo::suggestions_from(c, member.id)?
                .map_or(SuggestionsFrom::Members, |s| SuggestionsFrom::parse(&s))
            {
                SuggestionsFrom::Members => true,
                SuggestionsFrom::Connections => is_connected(c, suggester.id, member.id)?,
                SuggestionsFrom::Off => false,
            };
            if !allowed || conversations::blocked_between(c, suggester.id, member.id)? {
                return Err(AppError::conflict(
                    None,
                    "this member does not take skill suggestions from you",
                ));
            }
            if repo::sent_since(c, suggester.id, now - 24 * 3600 * 1000)? >= DAILY_SUGGESTIONS {
                return Err(AppError::RateLimited {
                    retry_after_secs: 3600,
                });
            }
            let (skill_id, label) = resolve_or_tag(c, &words, suggester.id, now, true)?;
            if repo::pending_exists(c, member.id, suggester.id, &skill_id)? {
                return Err(AppError::conflict(
                    Some("/label"),
                    "you have already suggested this skill",
                ));
            }
            let row = SuggestionRow {
                id: uuid::Uuid::now_v7().to_string(),
                member_id: member.id,
                suggester_id: suggester.id,
                skill_id: skill_id.clone(),
                note: note.clone(),
                status: SuggestionStatus::Pending,
                item_id: None,
                created_at: now,
                answered_at: None,
            };
            repo::insert(c, &row)?;
            record(
                c,
                now,
                Event::SkillSuggested(SkillSuggested {
                    suggester: suggester.id.to_string(),
                    suggestion: row.id.clone(),
                    member: member.id.to_string(),
                    skill: skill_id.clone(),
                }),
            )?;
            Ok(SentSuggestion {
                id: row.id,
                to: member.handle,
                label,
                outcome: "not_added".into(),
            })
        })
    }

    /// Suggestions made to the caller, newest first.
    pub fn incoming_suggestions(
        &self,
        account: &Account,
        pending_only: bool,
    ) -> Result<Vec<IncomingSuggestion>, AppError> {
        self.read(|c| {
            let rows = repo::incoming(
                c,
                account.id,
                pending_only.then_some(SuggestionStatus::Pending),
                100,
            )?;
            rows.into_iter()
                .map(|r| {
                    let from = users::by_id(c, r.suggester_id)?
                        .map(|u| u.handle)
                        .unwrap_or_default();
                    Ok(IncomingSuggestion {
                        label: skill_label(c, &r.skill_id)?,
                        id: r.id,
                        from,
                        skill_id: r.skill_id,
                        note: r.note,
                        status: r.status.as_str().into(),
                        created_at: r.created_at,
                    })
                })
                .collect()
        })
    }

    /// Suggestions the caller made: only whether each was added.
    pub fn sent_suggestions(&self, account: &Account) -> Result<Vec<SentSuggestion>, AppError> {
        self.read(|c| {
            repo::sent(c, account.id, 100)?
                .into_iter()
                .map(|r| {
                    let to = users::by_id(c, r.member_id)?
                        .map(|u| u.handle)
                        .unwrap_or_default();
                    let outcome = if r.status == SuggestionStatus::Accepted {
                        "added"
                    } else {
                        "not_added"
                    };
                    Ok(SentSuggestion {
                        label: skill_label(c, &r.skill_id)?,
                        id: r.id,
                        to,
                        outcome: outcome.into(),
                    })
                })
                .collect()
        })
    }

    /// Accepts a suggestion: the skill becomes a claim shown to `audiences`, recording who
    /// suggested it. If the member already claims the skill, that claim records the suggester.
    pub fn accept_suggestion(
        &self,
        account: &Account,
        id: &str,
        audiences: Vec<String>,
        level: u8,
    ) -> Result<OwnItem, AppError> {
        let now = self.now();
        self.write(|c| {
            let s = repo::to_member(c, account.id, id)?.ok_or(AppError::NotFound)?;
            if s.status != SuggestionStatus::Pending {
                return Err(AppError::conflict(None, "this suggestion was already answered"));
            }
            let by = users::by_id(c, s.suggester_id)?.map(|u| u.handle);
            let label = skill_label(c, &s.skill_id)?;
            let existing = load_items(c, account.id)?.into_iter().find(|i| matches!(&i.data, ItemData::Skill { skill_id: Some(k), .. } if *k == s.skill_id));
            let item = match existing {
                Some(item) => {
                    let mut row = items::of_owner_by_id(c, account.id, &item.id.to_string())?.ok_or(AppError::NotFound)?;
                    let ItemData::Skill { skill_id, label, level, years, note, .. } = item.data else { unreachable!("matched a skill") };
                    let data = ItemData::Skill { skill_id, label, level, years, note, source: ClaimSource::AcceptedSuggestion, suggested_by: by.clone() };
                    row.data = serde_json::to_string(&data).expect("item data serialises");
                    row.updated_at = now;
                    items::update(c, &row)?;
                    row
                }
                None => {
                    let input = ItemInput { audiences: audiences.clone(), data: ItemData::Skill { skill_id: Some(s.skill_id.clone()), label, level, years: None, note: String::new(), source: ClaimSource::AcceptedSuggestion, suggested_by: by.clone() } };
                    let (aud, data) = crate::profiles::validate(input)?;
                    if aud.contains(&guildhall_domain::audience::Audience::Public) {
                        guildhall_store::repo::skills::share(c, &s.skill_id)?;
                    }
                    let row = item_row(account.id, items::next_position(c, account.id)?, &aud, &data, now);
                    items::insert(c, &row)?;
                    row
                }
            };
            repo::answer(c, &s.id, SuggestionStatus::Accepted, Some(&item.id), now)?;
            record(c, now, Event::SuggestionAccepted(SuggestionAccepted { member: account.id.to_string(), suggestion: s.id.clone(), item: item.id.clone(), suggester: s.suggester_id.to_string(), skill: s.skill_id.clone(), suggested_by: by }))?;
            Ok(OwnItem::from(&from_row(item)?))
        })
    }

    /// Declines a suggestion. The suggester sees "not added", as for one left unanswered.
    pub fn decline_suggestion(&self, account: &Account, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let s = repo::to_member(c, account.id, id)?.ok_or(AppError::NotFound)?;
            if s.status != SuggestionStatus::Pending {
                return Err(AppError::conflict(
                    None,
                    "this suggestion was already answered",
                ));
            }
            repo::answer(c, &s.id, SuggestionStatus::Declined, None, now)?;
            record(
                c,
                now,
                Event::SuggestionDeclined(SuggestionDeclined {
                    member: account.id.to_string(),
                    suggestion: s.id.clone(),
                }),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{app, member};
    use guildhall_store::testdb::TestDb;

    #[test]
    fn network_suggests_member_decides() {
        for db in TestDb::all() {
            let app = app(&db);
            let (ada, bob, eve) = (
                member(&app, "ada"),
                member(&app, "bob"),
                member(&app, "eve"),
            );
            let req = app.profiles().request_connection(&bob, "ada").unwrap();
            app.profiles().accept_connection(&ada, &req.id).unwrap();
            app.skills()
                .set_suggestions_from(&ada, SuggestionsFrom::Connections)
                .unwrap();

            let sent = app
                .skills()
                .suggest_skill(&bob, "ada", "Rust", "she rewrote our parser in it")
                .unwrap();
            assert_eq!(sent.outcome, "not_added");
            assert!(
                matches!(
                    app.skills().suggest_skill(&bob, "ada", "rust", "again"),
                    Err(AppError::Conflict { .. })
                ),
                "one pending per skill"
            );
            assert!(
                matches!(
                    app.skills().suggest_skill(&eve, "ada", "Go", "x"),
                    Err(AppError::Conflict { .. })
                ),
                "strangers may not suggest"
            );
            assert!(
                matches!(
                    app.skills().suggest_skill(&bob, "ada", "Go", ""),
                    Err(AppError::Validation(_))
                ),
                "a note is required"
            );

            let inbox = app.skills().incoming_suggestions(&ada, true).unwrap();
            assert_eq!(
                (inbox[0].from.as_str(), inbox[0].label.as_str()),
                ("bob", "Rust")
            );
            let claim = app
                .skills()
                .accept_suggestion(&ada, &inbox[0].id, vec!["public".into()], 4)
                .unwrap();
            let ItemData::Skill {
                source,
                suggested_by,
                level,
                ..
            } = &claim.data
            else {
                panic!()
            };
            assert_eq!(
                (*source, suggested_by.as_deref(), *level),
                (ClaimSource::AcceptedSuggestion, Some("bob"), 4)
            );
            assert!(matches!(
                app.skills()
                    .accept_suggestion(&ada, &inbox[0].id, vec!["public".into()], 4),
                Err(AppError::Conflict { .. })
            ));
            let public = app.profiles().view_profile("ada", None).unwrap();
            assert!(public.items.iter().any(
                |i| matches!(&i.data, ItemData::Skill { suggested_by: Some(b), .. } if b == "bob")
            ));

            let second = app
                .skills()
                .suggest_skill(&bob, "ada", "Public speaking", "her conference talk")
                .unwrap();
            app.skills().decline_suggestion(&ada, &second.id).unwrap();
            let outcomes: Vec<(String, String)> = app
                .skills()
                .sent_suggestions(&bob)
                .unwrap()
                .into_iter()
                .map(|s| (s.label, s.outcome))
                .collect();
            assert_eq!(
                outcomes,
                [
                    ("Public speaking".to_string(), "not_added".to_string()),
                    ("Rust".to_string(), "added".to_string())
                ]
            );
            assert!(
                matches!(
                    app.skills().decline_suggestion(&eve, &second.id),
                    Err(AppError::NotFound)
                ),
                "only the member answers"
            );

            app.skills()
                .set_suggestions_from(&ada, SuggestionsFrom::Off)
                .unwrap();
            assert!(matches!(
                app.skills().suggest_skill(&bob, "ada", "Go", "x"),
                Err(AppError::Conflict { .. })
            ));
        }
    }

    #[test]
    fn suggestions_are_rate_limited_per_suggester() {
        let db = TestDb::sqlite().unwrap();
        let app = app(&db);
        let (_ada, bob) = (member(&app, "ada"), member(&app, "bob"));
        for i in 0..DAILY_SUGGESTIONS {
            app.skills()
                .suggest_skill(&bob, "ada", &format!("skill {i}"), "seen at work")
                .unwrap();
        }
        assert!(matches!(
            app.skills()
                .suggest_skill(&bob, "ada", "one more", "seen at work"),
            Err(AppError::RateLimited { .. })
        ));
    }
}
