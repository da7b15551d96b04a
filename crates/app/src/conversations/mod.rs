//! Conversations: one-to-one and group conversations between members, and those attached to a
//! job, a proposal, a contract or a community. Messages are Markdown shown as sanitised HTML,
//! with mentions, read marks, edits and deletions shown as such. Who may start a conversation
//! with a member follows their setting; blocks and reports are in `safety`.

mod access;
pub mod files;
mod safety;
mod views;

pub use access::{MessagesFrom, Subject};
pub use safety::{BlockView, MessageReport};
pub use views::{ConversationView, MessageView, Thread};

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use access::{Place, may_start, may_write, parties, place};
use guildhall_domain::events::{Event, MessageChanged, MessageSent};
use guildhall_domain::{FieldErrors, UserId, markdown, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::conversations::{self as repo, ConversationRow, MemberRow, MessageRow};
use guildhall_store::repo::{communities, users};
use serde::Deserialize;

/// Most members a group conversation is started with, besides its starter.
pub const MAX_RECIPIENTS: usize = 20;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 20_000;
/// Most messages one read returns: the newest.
pub const PAGE_MESSAGES: i64 = 200;

/// A new conversation with one member (kept as the one conversation of the pair: a second
/// start adds to it) or with several (a group).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConversation {
    /// Handles of the members to write to, 1 to 20, without `@`.
    pub to: Vec<String>,
    /// A group's title, up to 100 characters; ignored for one member.
    #[serde(default)]
    pub title: String,
    /// The first message, Markdown.
    pub body: String,
}

fn check_body(e: &mut FieldErrors, body: &str) -> String {
    validation::text(e, "/body", body, 1, MAX_MESSAGE_CHARS, true)
}

/// The members `to` names, checked: they exist, are not the starter, and take conversations
/// from the starter.
fn recipients(c: &mut DbConnection, who: &Account, to: &[String]) -> Result<Vec<UserId>, AppError> {
    if to.is_empty() || to.len() > MAX_RECIPIENTS {
        return Err(AppError::field(
            "/to",
            format!("write to between 1 and {MAX_RECIPIENTS} members"),
        ));
    }
    let mut ids = Vec::new();
    for raw in to {
        let handle = raw.trim().trim_start_matches('@').to_lowercase();
        let user = match users::by_handle(c, &handle)? {
            Some(u) if u.id != who.id => u,
            Some(_) => return Err(AppError::field("/to", "you cannot write to yourself")),
            None => {
                return Err(AppError::field(
                    "/to",
                    format!("no member is called @{handle}"),
                ));
            }
        };
        may_start(c, who.id, user.id, &user.handle)?;
        if !ids.contains(&user.id) {
            ids.push(user.id);
        }
    }
    Ok(ids)
}

fn member_row(conversation: &str, user: UserId, now: i64) -> MemberRow {
    MemberRow {
        conversation_id: conversation.to_string(),
        user_id: user,
        joined_at: now,
        last_read_id: String::new(),
        muted: false,
    }
}

/// What a conversation about to be created is.
struct Shape {
    kind: &'static str,
    subject_id: Option<String>,
    key: Option<String>,
    title: String,
}

/// Creates a conversation with its members, or finds the one kept under its key.
fn find_or_create(
    c: &mut DbConnection,
    who: &Account,
    shape: Shape,
    members: &[UserId],
    now: i64,
) -> Result<ConversationRow, AppError> {
    let Shape {
        kind,
        subject_id,
        key,
        title,
    } = shape;
    if let Some(k) = &key
        && let Some(found) = repo::by_key(c, k)?
    {
        for m in members {
            repo::add_member(c, &member_row(&found.id, *m, now))?;
        }
        return Ok(found);
    }
    let row = ConversationRow {
        id: uuid::Uuid::now_v7().to_string(),
        subject_kind: kind.into(),
        subject_id,
        unique_key: key,
        title,
        created_by: who.id,
        created_at: now,
        last_message_at: now,
    };
    repo::insert(c, &row)?;
    for m in members {
        repo::add_member(c, &member_row(&row.id, *m, now))?;
    }
    record(
        c,
        now,
        Event::ConversationStarted(guildhall_domain::events::ConversationStarted {
            starter: who.id.to_string(),
            conversation: row.id.clone(),
            subject: kind.into(),
            members: members
                .iter()
                .filter(|m| **m != who.id)
                .map(UserId::to_string)
                .collect(),
        }),
    )?;
    Ok(row)
}

/// Writes a message and tells those who should hear of it; the author has read up to it.
fn post(
    c: &mut DbConnection,
    who: &Account,
    conversation: &ConversationRow,
    body: String,
    now: i64,
) -> Result<MessageRow, AppError> {
    let rendered = markdown::render(&body);
    repo::add_member(c, &member_row(&conversation.id, who.id, now))?;
    let row = MessageRow {
        id: uuid::Uuid::now_v7().to_string(),
        conversation_id: conversation.id.clone(),
        author_id: who.id,
        body,
        body_html: rendered.html,
        created_at: now,
        edited_at: None,
        deleted_at: None,
        removed_by: None,
    };
    repo::insert_message(c, &row)?;
    repo::touch(c, &conversation.id, now)?;
    repo::mark_read(c, &conversation.id, who.id, &row.id)?;
    let mut mentions = Vec::new();
    for handle in rendered.mentions.iter().take(50) {
        if let Some(user) = users::by_handle(c, handle)?
            && user.id != who.id
            && takes_part(c, conversation, user.id)?
        {
            mentions.push(user.id.to_string());
        }
    }
    record(
        c,
        now,
        Event::MessageSent(MessageSent {
            author: who.id.to_string(),
            conversation: conversation.id.clone(),
            message: row.id.clone(),
            mentions,
        }),
    )?;
    Ok(row)
}

/// Whether `user` may read the conversation (so a mention of them tells them).
fn takes_part(
    c: &mut DbConnection,
    conversation: &ConversationRow,
    user: UserId,
) -> Result<bool, AppError> {
    Ok(
        match (&conversation.subject_kind[..], &conversation.subject_id) {
            ("community", Some(id)) => communities::role_of(c, id, user)?.is_some(),
            _ => repo::member(c, &conversation.id, user)?.is_some(),
        },
    )
}

/// The caller's own message `message_id` in the conversation, not deleted.
fn own_message(
    c: &mut DbConnection,
    place: &Place,
    who: &Account,
    message_id: &str,
) -> Result<MessageRow, AppError> {
    let row = repo::message(c, message_id)?
        .filter(|m| m.conversation_id == place.conversation.id)
        .ok_or(AppError::NotFound)?;
    if row.author_id != who.id {
        return Err(AppError::Forbidden(
            "only its author may change a message".into(),
        ));
    }
    if row.deleted_at.is_some() {
        return Err(AppError::conflict(None, "this message was deleted"));
    }
    Ok(row)
}

impl crate::facades::Conversations<'_> {
    /// Starts a conversation with one member (or adds to the one the pair has) or a group,
    /// with its first message.
    pub fn start(
        &self,
        who: &Account,
        input: NewConversation,
    ) -> Result<ConversationView, AppError> {
        let mut e = FieldErrors::new();
        let title = validation::text(&mut e, "/title", &input.title, 0, 100, false);
        let body = check_body(&mut e, &input.body);
        let now = self.now();
        self.write(|c| {
            let to = recipients(c, who, &input.to)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            let mut members = vec![who.id];
            members.extend(&to);
            let conversation = if let [other] = to[..] {
                let (a, b) = if who.id.to_string() < other.to_string() {
                    (who.id, other)
                } else {
                    (other, who.id)
                };
                let key = format!("direct:{a}:{b}");
                find_or_create(
                    c,
                    who,
                    Shape {
                        kind: "direct",
                        subject_id: None,
                        key: Some(key),
                        title: String::new(),
                    },
                    &members,
                    now,
                )?
            } else {
                find_or_create(
                    c,
                    who,
                    Shape {
                        kind: "group",
                        subject_id: None,
                        key: None,
                        title: title.clone(),
                    },
                    &members,
                    now,
                )?
            };
            let place = place(c, &conversation.id, who)?;
            if let Some(why) = may_write(c, &place, who)? {
                return Err(AppError::field("/to", why));
            }
            post(c, who, &conversation, body.clone(), now)?;
            views::summary(c, who, &place.conversation)
        })
    }

    /// Opens the conversation of a job (to ask its client), a proposal, a contract or a
    /// community, creating it the first time.
    pub fn open(
        &self,
        who: &Account,
        subject: Subject,
        id: &str,
    ) -> Result<ConversationView, AppError> {
        let now = self.now();
        self.write(|c| {
            let (members, key) = parties(c, who, subject, id)?;
            let row = find_or_create(
                c,
                who,
                Shape {
                    kind: subject.as_str(),
                    subject_id: Some(id.to_string()),
                    key: Some(key),
                    title: String::new(),
                },
                &members,
                now,
            )?;
            views::summary(c, who, &row)
        })
    }

    /// The caller's conversations, the most recently active first.
    pub fn list(&self, who: &Account) -> Result<Vec<ConversationView>, AppError> {
        self.read(|c| views::list(c, who))
    }

    /// A conversation with its newest messages, or those after the message `after`.
    pub fn show(&self, who: &Account, id: &str, after: &str) -> Result<Thread, AppError> {
        if after.len() > 64 {
            return Err(AppError::field("/after", "not a message id"));
        }
        self.read(|c| {
            let place = place(c, id, who)?;
            views::thread(c, who, &place, after)
        })
    }

    /// Sends a message.
    pub fn send(&self, who: &Account, id: &str, body: &str) -> Result<MessageView, AppError> {
        self.send_with_files(who, id, body, &[])
    }

    /// Sends a message carrying files uploaded to the conversation before
    /// ([`Self::upload_message_file`]).
    pub fn send_with_files(
        &self,
        who: &Account,
        id: &str,
        body: &str,
        files: &[String],
    ) -> Result<MessageView, AppError> {
        let mut e = FieldErrors::new();
        let body = check_body(&mut e, body);
        let now = self.now();
        self.write(|c| {
            let place = place(c, id, who)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            if let Some(why) = may_write(c, &place, who)? {
                return Err(AppError::conflict(None, why));
            }
            let row = post(c, who, &place.conversation, body.clone(), now)?;
            files::attach(c, who, &place.conversation.id, &row.id, files)?;
            views::message(c, who, row, &mut views::Names::default())
        })
    }

    /// Edits the caller's message; it shows as edited.
    pub fn edit(
        &self,
        who: &Account,
        id: &str,
        message_id: &str,
        body: &str,
    ) -> Result<MessageView, AppError> {
        let mut e = FieldErrors::new();
        let body = check_body(&mut e, body);
        let now = self.now();
        self.write(|c| {
            let place = place(c, id, who)?;
            let mut row = own_message(c, &place, who, message_id)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            row.body_html = markdown::render(&body).html;
            row.body = body.clone();
            row.edited_at = Some(now);
            repo::update_message(c, &row)?;
            record(
                c,
                now,
                Event::MessageEdited(MessageChanged {
                    author: who.id.to_string(),
                    conversation: place.conversation.id.clone(),
                    message: row.id.clone(),
                }),
            )?;
            views::message(c, who, row, &mut views::Names::default())
        })
    }

    /// Deletes the caller's message: its text goes, a mark that it was deleted stays.
    pub fn delete(&self, who: &Account, id: &str, message_id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let place = place(c, id, who)?;
            let mut row = own_message(c, &place, who, message_id)?;
            row.body.clear();
            row.body_html.clear();
            row.deleted_at = Some(now);
            repo::update_message(c, &row)?;
            record(
                c,
                now,
                Event::MessageDeleted(MessageChanged {
                    author: who.id.to_string(),
                    conversation: place.conversation.id.clone(),
                    message: row.id.clone(),
                }),
            )
        })
    }

    /// Marks every message of the conversation read for the caller.
    pub fn mark_read(&self, who: &Account, id: &str) -> Result<(), AppError> {
        // Whoever is to be told of these messages is told first, so what is marked read here
        // is every notification of them.
        self.notifications().catch_up()?;
        let now = self.now();
        self.write(|c| {
            let place = place(c, id, who)?;
            let Some(newest) = repo::newest(c, &place.conversation.id)? else {
                return Ok(());
            };
            if place.member.is_none() {
                repo::add_member(c, &member_row(&place.conversation.id, who.id, now))?;
            }
            repo::mark_read(c, &place.conversation.id, who.id, &newest.id)?;
            crate::notifications::read_conversation(c, who.id, &place.conversation.id, now)
        })
    }

    /// Mutes or unmutes the conversation: a muted one tells the caller nothing new.
    pub fn mute(&self, who: &Account, id: &str, muted: bool) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let place = place(c, id, who)?;
            repo::add_member(c, &member_row(&place.conversation.id, who.id, now))?;
            repo::set_muted(c, &place.conversation.id, who.id, muted)?;
            Ok(())
        })
    }

    /// How many of the caller's conversations that are not muted have unread messages.
    pub fn unread(&self, who: &Account) -> Result<i64, AppError> {
        self.read(|c| {
            Ok(repo::unread_counts(c, who.id)?
                .into_iter()
                .filter(|(_, muted, _)| !muted)
                .count() as i64)
        })
    }
}
