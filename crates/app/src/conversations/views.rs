//! Conversations and messages as one reader sees them.

use super::access::{Place, may_write};
use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::UserId;
use guildhall_store::DbConnection;
use guildhall_store::repo::conversations::{self as repo, ConversationRow, MessageRow};
use guildhall_store::repo::{communities, contracts, jobs, users};
use serde::Serialize;
use std::collections::HashMap;

/// A conversation in a list, or at the head of its page.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ConversationView {
    /// The conversation's id (UUIDv7), as in `/messages/{id}`.
    pub id: String,
    /// `direct`, `group`, `job`, `proposal`, `contract` or `community`.
    pub kind: String,
    /// Its name as the reader sees it: the other member, a group's title, or what it is about.
    pub title: String,
    /// The page of the job, proposal, contract or community it is attached to.
    pub link: Option<String>,
    /// Handles of its members (a community's conversation: those who took part).
    pub members: Vec<String>,
    /// Messages the reader has not read.
    pub unread: i64,
    /// Whether the reader muted it.
    pub muted: bool,
    /// Its newest message's time (its start before any), Unix ms.
    pub last_message_at: i64,
    /// Why the reader may not write in it now; absent when they may.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
}

/// A message as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MessageView {
    /// The message's id (UUIDv7).
    pub id: String,
    /// Its author's handle.
    pub author: String,
    /// Sanitised HTML; empty once deleted.
    pub html: String,
    /// The Markdown as written, for its author to edit; empty for others and once deleted.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// When sent, Unix ms.
    pub created_at: i64,
    /// When last edited, Unix ms.
    pub edited_at: Option<i64>,
    /// Whether its author deleted it.
    pub deleted: bool,
    /// Whether a curator or operator removed it after a report.
    pub removed: bool,
    /// Whether the reader wrote it.
    pub own: bool,
    /// Files it carries; none once deleted or removed.
    pub files: Vec<crate::files::StoredFile>,
}

/// A conversation with its messages.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Thread {
    /// The conversation.
    pub conversation: ConversationView,
    /// Its newest messages (up to 200), oldest first; only those after `after` when given.
    /// Messages of members the reader blocked, or who blocked the reader, are left out.
    pub messages: Vec<MessageView>,
    /// The reader's read mark: the newest message they had read when this was read.
    pub read_up_to: String,
}

/// Handles read so far.
#[derive(Default)]
pub(super) struct Names(HashMap<UserId, String>);

impl Names {
    pub(super) fn handle(&mut self, c: &mut DbConnection, id: UserId) -> Result<String, AppError> {
        if let Some(h) = self.0.get(&id) {
            return Ok(h.clone());
        }
        let h = users::by_id(c, id)?
            .map(|u| u.handle)
            .unwrap_or_else(|| "(gone)".into());
        self.0.insert(id, h.clone());
        Ok(h)
    }
}

/// A conversation's name and link for `who`.
fn title(
    c: &mut DbConnection,
    names: &mut Names,
    who: &Account,
    row: &ConversationRow,
    members: &[UserId],
) -> Result<(String, Option<String>), AppError> {
    let id = row.subject_id.clone().unwrap_or_default();
    let others = || members.iter().filter(|m| **m != who.id).copied();
    Ok(match &row.subject_kind[..] {
        "contract" => {
            let t = match id.parse() {
                Ok(cid) => contracts::by_id(c, cid)?.map(|r| r.title),
                Err(_) => None,
            };
            (
                format!("Contract “{}”", t.unwrap_or_default()),
                Some(format!("/work/contracts/{id}")),
            )
        }
        "proposal" => {
            let job = match jobs::proposal(c, &id)? {
                Some(p) => jobs::by_id(c, &p.job_id)?,
                None => None,
            };
            let link = job.as_ref().map(|j| format!("/jobs/{}#p-{id}", j.id));
            (
                format!(
                    "Proposal for “{}”",
                    job.map(|j| j.title).unwrap_or_default()
                ),
                link,
            )
        }
        "job" => {
            let t = jobs::by_id(c, &id)?.map(|j| j.title).unwrap_or_default();
            let asker = names.handle(c, row.created_by)?;
            (
                format!("@{asker} about the job “{t}”"),
                Some(format!("/jobs/{id}")),
            )
        }
        "community" => {
            let found = communities::by_id(c, &id)?;
            let link = found.as_ref().map(|r| format!("/c/{}", r.slug));
            (found.map(|r| r.name).unwrap_or_default(), link)
        }
        "group" if !row.title.is_empty() => (row.title.clone(), None),
        _ => {
            let mut handles = Vec::new();
            for m in others() {
                handles.push(format!("@{}", names.handle(c, m)?));
            }
            (handles.join(", "), None)
        }
    })
}

/// The conversation `row` as `who` sees it in a list.
pub(super) fn summary(
    c: &mut DbConnection,
    who: &Account,
    row: &ConversationRow,
) -> Result<ConversationView, AppError> {
    let counts = repo::unread_counts(c, who.id)?;
    let place = Place {
        conversation: row.clone(),
        member: repo::member(c, &row.id, who.id)?,
    };
    view(c, &mut Names::default(), who, &place, &counts)
}

fn view(
    c: &mut DbConnection,
    names: &mut Names,
    who: &Account,
    place: &Place,
    counts: &[(String, bool, i64)],
) -> Result<ConversationView, AppError> {
    let row = &place.conversation;
    let member_ids: Vec<UserId> = repo::members(c, &row.id)?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let (title, link) = title(c, names, who, row, &member_ids)?;
    let mut members = Vec::new();
    for m in &member_ids {
        members.push(names.handle(c, *m)?);
    }
    Ok(ConversationView {
        id: row.id.clone(),
        kind: row.subject_kind.clone(),
        title,
        link,
        members,
        unread: counts
            .iter()
            .find(|(id, _, _)| *id == row.id)
            .map_or(0, |(_, _, n)| *n),
        muted: place.member.as_ref().is_some_and(|m| m.muted),
        last_message_at: row.last_message_at,
        closed: may_write(c, place, who)?,
    })
}

/// The caller's conversations, the most recently active first.
pub(super) fn list(c: &mut DbConnection, who: &Account) -> Result<Vec<ConversationView>, AppError> {
    let counts = repo::unread_counts(c, who.id)?;
    let mut names = Names::default();
    repo::of_user(c, who.id, 200)?
        .into_iter()
        .map(|(conversation, member)| {
            let place = Place {
                conversation,
                member: Some(member),
            };
            view(c, &mut names, who, &place, &counts)
        })
        .collect()
}

/// A conversation with its messages after `after`.
pub(super) fn thread(
    c: &mut DbConnection,
    who: &Account,
    place: &Place,
    after: &str,
) -> Result<Thread, AppError> {
    let counts = repo::unread_counts(c, who.id)?;
    let mut names = Names::default();
    let conversation = view(c, &mut names, who, place, &counts)?;
    let hidden = repo::hidden_from(c, who.id)?;
    let messages = repo::messages(
        c,
        &place.conversation.id,
        after,
        &hidden,
        super::PAGE_MESSAGES,
    )?
    .into_iter()
    .map(|row| message(c, who, row, &mut names))
    .collect::<Result<_, _>>()?;
    Ok(Thread {
        conversation,
        messages,
        read_up_to: place
            .member
            .as_ref()
            .map(|m| m.last_read_id.clone())
            .unwrap_or_default(),
    })
}

/// One message as `who` sees it.
pub(super) fn message(
    c: &mut DbConnection,
    who: &Account,
    row: MessageRow,
    names: &mut Names,
) -> Result<MessageView, AppError> {
    let own = row.author_id == who.id;
    let gone = row.deleted_at.is_some() || row.removed_by.is_some();
    let files = if gone {
        Vec::new()
    } else {
        guildhall_store::repo::message_files::of_messages(c, std::slice::from_ref(&row.id))?
            .into_iter()
            .map(super::files::view)
            .collect()
    };
    Ok(MessageView {
        files,
        author: names.handle(c, row.author_id)?,
        body: if own { row.body } else { String::new() },
        html: row.body_html,
        created_at: row.created_at,
        edited_at: row.edited_at,
        deleted: row.deleted_at.is_some(),
        removed: row.removed_by.is_some(),
        own,
        id: row.id,
    })
}
