//! Notifications: who is told of each recorded event, the inbox with its unread count, and
//! each member's choice of how to hear of each topic.
//!
//! Telling follows the change feed, as the evidence log does, rather than happening inside the
//! use case that records the event: a use case writes its own change and its events, and the
//! people they concern are told in batches, in transactions of their own that also move the
//! follower's position (`feed_followers`), so each event is told once however often and on
//! however many nodes the follower runs. The background job follows every second, and every
//! reader of notifications (the inbox, the unread count, mail and digests) follows first, so
//! nobody sees their inbox behind what they did.

pub mod digest;
pub mod digest_mail;
pub(crate) mod mail;
mod text;

use crate::accounts::Account;
use crate::{AppError, Page, PageRequest};
use guildhall_domain::community::Role;
use guildhall_domain::events::Event;
use guildhall_domain::notify::{self, Delivery, Recipient, Topic};
use guildhall_domain::{ContractId, UserId};
use guildhall_store::DbConnection;
use guildhall_store::repo::notifications::{self as repo, NotificationRow};
use guildhall_store::repo::{communities, contracts, conversations, discussions, gatherings};
use guildhall_store::repo::{events, followers};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A notification as its reader sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    /// The notification's id (UUIDv7), as in `/notifications/{id}`.
    pub id: String,
    /// What it is about, such as `deliveries` (see the preferences for the list).
    pub topic: String,
    /// What happened, in a sentence.
    pub text: String,
    /// The page where it is answered or seen, a path on this site.
    pub link: String,
    /// When it happened, Unix ms.
    pub created_at: i64,
    /// Whether its reader opened it or marked it read.
    pub read: bool,
}

/// How a member hears of one topic.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PreferenceView {
    /// The topic's name, such as `offers`.
    pub topic: String,
    /// The topic in words.
    pub label: String,
    /// `in_app`, `email`, `digest` or `off`.
    pub delivery: String,
    /// Whether the member left it at its default.
    pub default: bool,
}

/// A change of how a member hears of one topic.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceInput {
    /// The topic's name, such as `offers`.
    pub topic: String,
    /// `in_app`, `email`, `digest` or `off`.
    pub delivery: String,
}

/// Which notifications to mark read.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// These notifications; every unread one when absent.
    #[serde(default)]
    pub ids: Option<Vec<String>>,
}

/// The follower's name in `feed_followers`.
const FOLLOWER: &str = "notifications";
/// Tells the people the next events of the feed concern, at most `batch` of them, in the
/// caller's transaction, and moves the follower past them; returns how many events it went
/// through. The account that acted is never told of its own act.
fn tell_pending(c: &mut DbConnection, batch: u16) -> Result<usize, AppError> {
    let from = followers::position_locked(c, FOLLOWER)?;
    let events = events::after(c, from, batch)?;
    let Some(last) = events.last() else {
        return Ok(0);
    };
    let typed: Vec<Event> = events
        .iter()
        .map(crate::events::typed)
        .collect::<Result<_, _>>()?;
    let parties = contract_parties(c, &typed)?;
    let mut wanted = Vec::new();
    for (row, event) in events.iter().zip(&typed) {
        let mut told: Vec<UserId> = Vec::new();
        for notice in notify::notices(event) {
            for user in resolve(c, &notice.to, &parties)? {
                if Some(user.to_string()) == row.actor_id || told.contains(&user) {
                    continue;
                }
                told.push(user);
                wanted.push(ToTell {
                    now: row.occurred_at,
                    event_id: &row.id,
                    user,
                    topic: notice.topic,
                });
            }
        }
    }
    let rows = notices_for(c, &wanted)?;
    repo::insert(c, &rows)?;
    followers::set_position(c, FOLLOWER, last.seq)?;
    Ok(events.len())
}

/// Tells the people every event of the feed not told yet concerns, in the caller's
/// transaction.
pub(crate) fn tell_all_pending(c: &mut DbConnection) -> Result<(), AppError> {
    let batch = crate::events::follower_batch(c.is_sqlite());
    while tell_pending(c, batch)? == usize::from(batch) {}
    Ok(())
}

/// Asks, in the caller's transaction, for the members a job fits to be found when `event`
/// (whose feed id is `event_id`) opens it to proposals; the matching index works them out
/// off the transaction.
pub(crate) fn ask_for_fits(
    c: &mut DbConnection,
    now: i64,
    event: &Event,
    event_id: &str,
) -> Result<(), AppError> {
    if let Some(job) = opened_job(event) {
        let task = serde_json::json!({ "job": job, "event": event_id });
        crate::queue::enqueue(c, now, crate::matching::FITS_TASK, &task)?;
    }
    Ok(())
}

/// Who is to be told of an event, under which topic.
pub(crate) struct ToTell<'a> {
    /// When the event happened.
    pub now: i64,
    /// The event's id in the feed.
    pub event_id: &'a str,
    /// Who.
    pub user: UserId,
    /// What it is about.
    pub topic: Topic,
}

/// The job an event opens to proposals, if it does.
fn opened_job(event: &Event) -> Option<&str> {
    match event {
        Event::JobPosted(e) if e.status == "open" => Some(&e.job),
        Event::JobStatusChanged(e) if e.to == "open" => Some(&e.job),
        _ => None,
    }
}

/// The notifications telling each of `notices`, as its user chose to hear of its topic (none
/// when they turned it off); mail is queued for those who chose email. Every user's choices
/// are read at once.
pub(crate) fn notices_for(
    c: &mut DbConnection,
    notices: &[ToTell],
) -> Result<Vec<NotificationRow>, AppError> {
    if notices.is_empty() {
        return Ok(Vec::new());
    }
    let mut users: Vec<UserId> = notices.iter().map(|n| n.user).collect();
    users.sort();
    users.dedup();
    let chosen: HashMap<(UserId, Topic), Delivery> = repo::choices_of(c, &users)?
        .into_iter()
        .map(|(user, topic, delivery)| ((user, topic), delivery))
        .collect();
    let mut rows = Vec::with_capacity(notices.len());
    let mut mails = Vec::new();
    for n in notices {
        let delivery = chosen
            .get(&(n.user, n.topic))
            .copied()
            .unwrap_or(n.topic.default_delivery());
        if delivery == Delivery::Off {
            continue;
        }
        let id = uuid::Uuid::now_v7().to_string();
        if delivery == Delivery::Email {
            mails.push(crate::queue::task(
                n.now,
                crate::queue::MAIL,
                &mail::payload(&id),
            ));
        }
        rows.push(NotificationRow {
            id,
            user_id: n.user,
            topic: n.topic,
            event_id: n.event_id.to_string(),
            created_at: n.now,
            read_at: None,
        });
    }
    crate::queue::enqueue_all(c, &mails)?;
    Ok(rows)
}

/// Marks read what told `user` of messages in a conversation they have now read.
pub(crate) fn read_conversation(
    c: &mut DbConnection,
    user: UserId,
    conversation: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut ids = Vec::new();
    for (row, event) in repo::unread_of_topics(c, user, &[Topic::Messages, Topic::Mentions])? {
        if let Ok(Event::MessageSent(sent)) = crate::events::typed(&event)
            && sent.conversation == conversation
        {
            ids.push(row.id);
        }
    }
    if !ids.is_empty() {
        repo::mark_read(c, user, Some(&ids), now)?;
    }
    Ok(())
}

/// The parties of every contract whose parties are to be told of one of `events`, by the
/// contract's id: read at once for a batch of the feed.
fn contract_parties(
    c: &mut DbConnection,
    events: &[Event],
) -> Result<HashMap<ContractId, Vec<UserId>>, AppError> {
    let mut ids: Vec<ContractId> = events
        .iter()
        .flat_map(notify::notices)
        .filter_map(|notice| match notice.to {
            Recipient::ContractParties(id) => id.parse().ok(),
            _ => None,
        })
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    ids.sort();
    ids.dedup();
    Ok(contracts::by_ids(c, &ids)?
        .into_iter()
        .map(|row| {
            let parties = [row.client_id, row.member_id]
                .into_iter()
                .chain(row.learner_id)
                .collect();
            (row.id, parties)
        })
        .collect())
}

/// The accounts a recipient stands for, the parties of contracts as `parties` holds them. Ids
/// that name no account (`system`) or no contract are nobody.
fn resolve(
    c: &mut DbConnection,
    to: &Recipient,
    parties: &HashMap<ContractId, Vec<UserId>>,
) -> Result<Vec<UserId>, AppError> {
    Ok(match to {
        Recipient::Account(id) => id.parse().into_iter().collect(),
        Recipient::Curators(community) => communities::members(c, community)?
            .into_iter()
            .filter(|(_, role)| matches!(role, Role::Owner | Role::Curator))
            .map(|(id, _)| id)
            .collect(),
        Recipient::Attendees(gathering) => gatherings::rsvps_of(c, gathering)?
            .into_iter()
            .map(|r| r.user_id)
            .collect(),
        Recipient::Participants(thread) => discussions::participants(c, thread)?,
        Recipient::Conversation {
            conversation,
            message,
        } => match conversations::message(c, message)? {
            Some(row) => conversations::to_tell(c, conversation, message, row.author_id)?,
            None => Vec::new(),
        },
        Recipient::ContractParties(contract) => contract
            .parse::<ContractId>()
            .ok()
            .and_then(|id| parties.get(&id).cloned())
            .unwrap_or_default(),
    })
}

impl crate::facades::Notifications<'_> {
    /// Tells the people the change feed's events concern, up to its newest, in transactions of
    /// at most [`crate::events::follower_batch`] events, unless this process saw everyone told
    /// up to there already; returns how many events it went through. The background job calls
    /// it every second, and every reader of notifications first.
    pub fn catch_up(&self) -> Result<usize, AppError> {
        let batch = crate::events::follower_batch(self.on_sqlite());
        crate::events::follow(self, &self.notices_through, usize::from(batch), |c| {
            tell_pending(c, batch)
        })
    }

    /// The caller's notifications, newest first.
    pub fn inbox(
        &self,
        who: &Account,
        page: &PageRequest,
    ) -> Result<Page<NotificationView>, AppError> {
        let limit = page.limit()?;
        let before = page.key()?;
        self.catch_up()?;
        self.read(|c| {
            let rows = repo::inbox(c, who.id, before.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |(n, _)| n.id.clone());
            let mut names = text::Names::default();
            let mut items = Vec::with_capacity(page.items.len());
            for (row, event) in &page.items {
                items.push(text::view(c, &mut names, who, row, event)?);
            }
            Ok(Page {
                items,
                next_cursor: page.next_cursor,
            })
        })
    }

    /// How many of the caller's notifications are unread.
    pub fn unread_count(&self, who: &Account) -> Result<i64, AppError> {
        self.catch_up()?;
        self.read(|c| Ok(repo::unread_count(c, who.id)?))
    }

    /// Marks the caller's notifications read; returns how many were unread.
    pub fn mark_read(&self, who: &Account, which: &MarkRead) -> Result<usize, AppError> {
        if which.ids.as_ref().is_some_and(|ids| ids.len() > 100) {
            return Err(AppError::field(
                "/ids",
                "may name at most 100 notifications",
            ));
        }
        self.catch_up()?;
        let now = self.now();
        self.write(|c| Ok(repo::mark_read(c, who.id, which.ids.as_deref(), now)?))
    }

    /// Opens one of the caller's notifications: marks it read and returns it, for its link.
    pub fn open(&self, who: &Account, id: &str) -> Result<NotificationView, AppError> {
        self.catch_up()?;
        let now = self.now();
        self.write(|c| {
            let mut row = repo::of_user(c, who.id, id)?.ok_or(AppError::NotFound)?;
            if row.read_at.is_none() {
                repo::mark_read(c, who.id, Some(&[id.to_string()]), now)?;
                row.read_at = Some(now);
            }
            let event = guildhall_store::repo::events::by_id(c, &row.event_id)?
                .ok_or_else(|| AppError::internal("a notification's event is missing"))?;
            text::view(c, &mut text::Names::default(), who, &row, &event)
        })
    }

    /// What an unsubscribe link of notification `id` stops: the topic in words, and whether
    /// its emails still come. `None` for a link that names no notification.
    pub fn unsubscribe_link(&self, id: &str) -> Result<Option<(String, bool)>, AppError> {
        self.read(|c| {
            Ok(mail::unsubscribe_topic(c, id)?
                .map(|(_, topic, emailing)| (topic.label().to_string(), emailing)))
        })
    }

    /// Stops the emails of notification `id`'s topic for its reader, who keeps it in the app
    /// (the one-click unsubscribe of RFC 8058: the link is the authority, no sign-in needed).
    /// Returns the topic in words.
    pub fn unsubscribe(&self, id: &str) -> Result<String, AppError> {
        self.write(|c| {
            let (user, topic, emailing) =
                mail::unsubscribe_topic(c, id)?.ok_or(AppError::NotFound)?;
            if emailing {
                repo::set_preference(c, user, topic, Some(Delivery::InApp))?;
            }
            Ok(topic.label().to_string())
        })
    }

    /// How the caller hears of each topic.
    pub fn preferences(&self, who: &Account) -> Result<Vec<PreferenceView>, AppError> {
        let chosen = self.read(|c| Ok(repo::preferences_of(c, who.id)?))?;
        Ok(Topic::ALL
            .iter()
            .map(|&topic| {
                let own = chosen.iter().find(|(t, _)| *t == topic).map(|(_, d)| *d);
                PreferenceView {
                    topic: topic.as_str().into(),
                    label: topic.label().into(),
                    delivery: own.unwrap_or(topic.default_delivery()).as_str().into(),
                    default: own.is_none(),
                }
            })
            .collect())
    }

    /// Sets how the caller hears of some topics, all or none; returns every topic's choice.
    pub fn set_preferences(
        &self,
        who: &Account,
        changes: &[PreferenceInput],
    ) -> Result<Vec<PreferenceView>, AppError> {
        if changes.len() > Topic::ALL.len() {
            return Err(AppError::field(
                "/preferences",
                format!("may change at most {} topics", Topic::ALL.len()),
            ));
        }
        let mut parsed = Vec::with_capacity(changes.len());
        for (i, change) in changes.iter().enumerate() {
            let topic = Topic::parse(&change.topic).ok_or_else(|| {
                AppError::field(&format!("/preferences/{i}/topic"), "is not a topic")
            })?;
            let delivery = Delivery::parse(&change.delivery).ok_or_else(|| {
                AppError::field(
                    &format!("/preferences/{i}/delivery"),
                    "must be in_app, email, digest or off",
                )
            })?;
            parsed.push((topic, delivery));
        }
        self.write(|c| {
            for &(topic, delivery) in &parsed {
                let own = (delivery != topic.default_delivery()).then_some(delivery);
                repo::set_preference(c, who.id, topic, own)?;
            }
            Ok(())
        })?;
        self.preferences(who)
    }
}
