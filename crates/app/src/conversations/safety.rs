//! Keeping members safe in conversations: blocks, who may start a conversation with a
//! member, and reports of messages to a community's curators or the instance's operators.

use super::access::{MessagesFrom, messages_from, place};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::community::Role;
use guildhall_domain::events::{
    Blocked, Event, MessageRemoved, MessageReported, MessagesSettingChanged,
};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::conversations::{self as repo, ReportRow};
use guildhall_store::repo::{communities, users};
use serde::Serialize;

/// A member the caller blocked.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BlockView {
    /// Their handle.
    pub handle: String,
    /// Since when, Unix ms.
    pub since: i64,
}

/// An open report of a message, for those who handle it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MessageReport {
    /// The report's id (UUIDv7).
    pub id: String,
    /// The message reported.
    pub message_id: String,
    /// Its author's handle.
    pub author: String,
    /// The message as it reads now (sanitised HTML; empty once deleted).
    pub html: String,
    /// Who reported it.
    pub reporter: String,
    /// Why.
    pub reason: String,
    /// The community whose curators handle it (its URL name); absent: the operators.
    pub community: Option<String>,
    /// When it was reported, Unix ms.
    pub created_at: i64,
}

/// The account called `handle`, never the caller.
fn other(c: &mut DbConnection, who: &Account, handle: &str) -> Result<users::UserRow, AppError> {
    let user = users::by_handle(c, &handle.to_lowercase())?.ok_or(AppError::NotFound)?;
    if user.id == who.id {
        return Err(AppError::conflict(None, "you cannot block yourself"));
    }
    Ok(user)
}

/// Whether `who` handles reports for `community` (its owners and curators) or, for none,
/// for the instance (its operators).
fn handles_reports(
    c: &mut DbConnection,
    who: &Account,
    community: Option<&str>,
) -> Result<bool, AppError> {
    Ok(match community {
        Some(id) => matches!(
            communities::role_of(c, id, who.id)?,
            Some(Role::Owner | Role::Curator)
        ),
        None => who.is_operator,
    })
}

impl crate::facades::Conversations<'_> {
    /// Blocks a member: each is hidden from the other's search, their messages stop, and
    /// neither may suggest skills to, invite or message the other.
    pub fn block(&self, who: &Account, handle: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let user = other(c, who, handle)?;
            if repo::block(c, who.id, user.id, now)? {
                record(
                    c,
                    now,
                    Event::MemberBlocked(Blocked {
                        account: who.id.to_string(),
                        other: user.id.to_string(),
                    }),
                )?;
            }
            Ok(())
        })
    }

    /// Lifts a block.
    pub fn unblock(&self, who: &Account, handle: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let user = other(c, who, handle)?;
            if repo::unblock(c, who.id, user.id)? {
                record(
                    c,
                    now,
                    Event::MemberUnblocked(Blocked {
                        account: who.id.to_string(),
                        other: user.id.to_string(),
                    }),
                )?;
            }
            Ok(())
        })
    }

    /// The members the caller blocked, the most recent first.
    pub fn blocks(&self, who: &Account) -> Result<Vec<BlockView>, AppError> {
        self.read(|c| {
            let mut out = Vec::new();
            for (id, since) in repo::blocked_by(c, who.id)? {
                if let Some(u) = users::by_id(c, id)? {
                    out.push(BlockView {
                        handle: u.handle,
                        since,
                    });
                }
            }
            Ok(out)
        })
    }

    /// Whether the caller blocked `handle`.
    pub fn is_blocked(&self, who: &Account, handle: &str) -> Result<bool, AppError> {
        self.read(|c| {
            let user = other(c, who, handle)?;
            Ok(repo::blocked_by(c, who.id)?
                .iter()
                .any(|(id, _)| *id == user.id))
        })
    }

    /// Who may start a conversation with the caller.
    pub fn messages_from(&self, who: &Account) -> Result<MessagesFrom, AppError> {
        self.read(|c| messages_from(c, who.id))
    }

    /// Sets who may start a conversation with the caller.
    pub fn set_messages_from(&self, who: &Account, value: MessagesFrom) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            repo::set_messages_from(c, who.id, value.as_str())?;
            record(
                c,
                now,
                Event::MessagesSettingChanged(MessagesSettingChanged {
                    account: who.id.to_string(),
                    from: value.as_str().into(),
                }),
            )
        })
    }

    /// Reports a message: to the community's curators in a community's conversation, to the
    /// instance's operators otherwise.
    pub fn report(
        &self,
        who: &Account,
        id: &str,
        message_id: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let reason = validation::text(&mut e, "/reason", reason, 3, 1000, true);
        let now = self.now();
        self.write(|c| {
            let place = place(c, id, who)?;
            let message = repo::message(c, message_id)?
                .filter(|m| m.conversation_id == place.conversation.id)
                .ok_or(AppError::NotFound)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            if message.author_id == who.id {
                return Err(AppError::conflict(
                    None,
                    "you cannot report your own message",
                ));
            }
            let community = (place.conversation.subject_kind == "community")
                .then(|| place.conversation.subject_id.clone())
                .flatten();
            let row = ReportRow {
                id: uuid::Uuid::now_v7().to_string(),
                message_id: message.id.clone(),
                reporter_id: who.id,
                community_id: community,
                reason: reason.clone(),
                created_at: now,
                resolved_at: None,
            };
            if !repo::report(c, &row)? {
                return Err(AppError::conflict(
                    None,
                    "you have already reported this message",
                ));
            }
            record(
                c,
                now,
                Event::MessageReported(MessageReported {
                    reporter: who.id.to_string(),
                    conversation: place.conversation.id.clone(),
                    message: message.id,
                }),
            )
        })
    }

    /// The open reports the caller handles: the operators' and those of the communities the
    /// caller curates.
    pub fn reports(&self, who: &Account) -> Result<Vec<MessageReport>, AppError> {
        self.read(|c| {
            let mut scopes: Vec<Option<(String, String)>> = Vec::new();
            if who.is_operator {
                scopes.push(None);
            }
            for (community, role) in communities::of_member(c, who.id)? {
                if matches!(role, Role::Owner | Role::Curator)
                    && let Some(row) = communities::by_id(c, &community)?
                {
                    scopes.push(Some((community, row.slug)));
                }
            }
            let mut names = super::views::Names::default();
            let mut out = Vec::new();
            for scope in scopes {
                let (id, slug) = scope.map_or((None, None), |(id, slug)| (Some(id), Some(slug)));
                for r in repo::open_reports(c, id.as_deref())? {
                    let Some(m) = repo::message(c, &r.message_id)? else {
                        continue;
                    };
                    out.push(MessageReport {
                        author: names.handle(c, m.author_id)?,
                        html: m.body_html,
                        reporter: names.handle(c, r.reporter_id)?,
                        id: r.id,
                        message_id: r.message_id,
                        reason: r.reason,
                        community: slug.clone(),
                        created_at: r.created_at,
                    });
                }
            }
            Ok(out)
        })
    }

    /// Settles a report: `remove` takes the message down (its other reports close too);
    /// otherwise the reports of that message are dismissed.
    pub fn settle_report(
        &self,
        who: &Account,
        report_id: &str,
        remove: bool,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            if report_id.len() > 64 {
                return Err(AppError::NotFound);
            }
            let report = repo::report_by_id(c, report_id)?.ok_or(AppError::NotFound)?;
            if !handles_reports(c, who, report.community_id.as_deref())? {
                return Err(AppError::NotFound);
            }
            if report.resolved_at.is_some() {
                return Err(AppError::conflict(None, "this report was settled already"));
            }
            let mut message = repo::message(c, &report.message_id)?.ok_or(AppError::NotFound)?;
            repo::resolve_reports(c, &message.id, now)?;
            if remove && message.removed_by.is_none() {
                message.body.clear();
                message.body_html.clear();
                message.deleted_at = Some(now);
                message.removed_by = Some(who.id.to_string());
                repo::update_message(c, &message)?;
                record(
                    c,
                    now,
                    Event::MessageRemoved(MessageRemoved {
                        moderator: who.id.to_string(),
                        conversation: message.conversation_id.clone(),
                        message: message.id.clone(),
                        author: message.author_id.to_string(),
                    }),
                )?;
            }
            Ok(())
        })
    }
}
