//! A notification in words: one sentence naming who did what, and the page where it is seen
//! or answered. Names (handles, communities, contracts, jobs) are read once per page.

use super::NotificationView;
use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::events::Event;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::notify::Topic;
use guildhall_domain::{MilestoneId, UserId};
use guildhall_store::DbConnection;
use guildhall_store::repo::events::EventRow;
use guildhall_store::repo::notifications::NotificationRow;
use guildhall_store::repo::{communities, contracts, jobs, users};
use std::collections::HashMap;

/// Names read so far for one page of notifications.
#[derive(Default)]
pub(super) struct Names {
    handles: HashMap<String, String>,
    communities: HashMap<String, (String, String)>,
    titles: HashMap<String, String>,
}

impl Names {
    /// `@handle` of an account, or "Someone" for one that is gone or is the system.
    fn who(&mut self, c: &mut DbConnection, id: &str) -> Result<String, AppError> {
        if let Some(h) = self.handles.get(id) {
            return Ok(h.clone());
        }
        let handle = match id.parse::<UserId>() {
            Ok(uid) => users::by_id(c, uid)?.map(|u| format!("@{}", u.handle)),
            Err(_) => None,
        }
        .unwrap_or_else(|| "Someone".into());
        self.handles.insert(id.into(), handle.clone());
        Ok(handle)
    }

    /// A community's (slug, name).
    fn community(&mut self, c: &mut DbConnection, id: &str) -> Result<(String, String), AppError> {
        if let Some(found) = self.communities.get(id) {
            return Ok(found.clone());
        }
        let found = communities::by_id(c, id)?
            .map(|row| (row.slug, row.name))
            .unwrap_or_else(|| (String::new(), "a community".into()));
        self.communities.insert(id.into(), found.clone());
        Ok(found)
    }

    /// A contract's title, quoted.
    fn contract(&mut self, c: &mut DbConnection, id: &str) -> Result<String, AppError> {
        if let Some(t) = self.titles.get(id) {
            return Ok(t.clone());
        }
        let title = match id.parse() {
            Ok(cid) => contracts::by_id(c, cid)?.map(|row| format!("“{}”", row.title)),
            Err(_) => None,
        }
        .unwrap_or_else(|| "a contract".into());
        self.titles.insert(id.into(), title.clone());
        Ok(title)
    }

    /// A job's title, quoted.
    fn job(&mut self, c: &mut DbConnection, id: &str) -> Result<String, AppError> {
        if let Some(t) = self.titles.get(id) {
            return Ok(t.clone());
        }
        let title = jobs::by_id(c, id)?
            .map(|row| format!("“{}”", row.title))
            .unwrap_or_else(|| "a job".into());
        self.titles.insert(id.into(), title.clone());
        Ok(title)
    }
}

/// An amount as people read it; the bare number when the stored code is not a currency.
fn money(minor: i64, code: &str) -> String {
    match Currency::parse(code) {
        Ok(currency) => Money::new(minor, currency).display(),
        Err(_) => format!("{minor} {code}"),
    }
}

/// The notification `row` about `event`, as `reader` sees it.
pub(super) fn view(
    c: &mut DbConnection,
    names: &mut Names,
    reader: &Account,
    row: &NotificationRow,
    event: &EventRow,
) -> Result<NotificationView, AppError> {
    let typed = crate::events::typed(event)?;
    let (text, link) = words(c, names, reader, row.topic, &typed)?;
    Ok(NotificationView {
        id: row.id.clone(),
        topic: row.topic.as_str().into(),
        text,
        link,
        created_at: row.created_at,
        read: row.read_at.is_some(),
    })
}

fn words(
    c: &mut DbConnection,
    n: &mut Names,
    reader: &Account,
    topic: Topic,
    event: &Event,
) -> Result<(String, String), AppError> {
    let contract_link = |id: &str| format!("/work/contracts/{id}");
    let job_link = |id: &str| format!("/jobs/{id}");
    Ok(match event {
        Event::ConnectionRequested(e) => {
            let who = n.who(c, &e.by)?;
            (format!("{who} asked to connect with you"), profile(&who))
        }
        Event::ConnectionAccepted(e) => {
            let who = n.who(c, &e.by)?;
            (
                format!("{who} accepted your request to connect"),
                profile(&who),
            )
        }
        Event::SkillSuggested(e) => (
            format!(
                "{} suggested a skill for your profile",
                n.who(c, &e.suggester)?
            ),
            "/me/suggestions".into(),
        ),
        Event::SkillEndorsed(e) => (
            format!("{} endorsed one of your skills", n.who(c, &e.endorser)?),
            format!("/u/{}", reader.handle),
        ),
        Event::Applied(e) => {
            let (slug, name) = n.community(c, &e.community)?;
            (
                format!("{} applied to join {name}", n.who(c, &e.applicant)?),
                format!("/c/{slug}/applications/{}", e.application),
            )
        }
        Event::ApplicationApproved(e)
        | Event::ApplicationDeclined(e)
        | Event::ApplicationWaitlisted(e) => {
            let (slug, name) = n.community(c, &e.community)?;
            let outcome = match event {
                Event::ApplicationApproved(_) => "was approved: welcome",
                Event::ApplicationDeclined(_) => "was declined",
                _ => "is on the waiting list",
            };
            (
                format!("Your application to {name} {outcome}"),
                format!("/c/{slug}"),
            )
        }
        Event::ThreadStarted(e) => {
            let (slug, name) = n.community(c, &e.community)?;
            (
                format!(
                    "{} mentioned you in a new discussion in {name}",
                    n.who(c, &e.author)?
                ),
                format!("/c/{slug}/t/{}", e.thread),
            )
        }
        Event::Replied(e) => {
            let (slug, name) = n.community(c, &e.community)?;
            let who = n.who(c, &e.author)?;
            let text = if topic == Topic::Mentions {
                format!("{who} mentioned you in a reply in {name}")
            } else {
                format!("{who} replied in a discussion you took part in, in {name}")
            };
            (text, format!("/c/{slug}/t/{}", e.thread))
        }
        Event::MessageSent(e) => {
            let who = n.who(c, &e.author)?;
            let text = if topic == Topic::Mentions {
                format!("{who} mentioned you in a conversation")
            } else {
                format!("{who} sent you a message")
            };
            (
                text,
                format!("/messages/{}#m-{}", e.conversation, e.message),
            )
        }
        Event::GatheringUpdated(e) => {
            let (slug, name) = n.community(c, &e.community)?;
            let what = if e.cancelled {
                "was cancelled"
            } else {
                "changed"
            };
            (
                format!("An event you are going to in {name} {what}"),
                format!("/c/{slug}#event-{}", e.gathering),
            )
        }
        Event::RsvpPromoted(e) => {
            let (slug, name) = n.community(c, &e.community)?;
            (
                format!("A place opened for you at an event in {name}: you are going"),
                format!("/c/{slug}#event-{}", e.gathering),
            )
        }
        Event::MentoringRequested(e) => {
            let (slug, _) = n.community(c, &e.community)?;
            (
                format!("{} asked you for mentoring", n.who(c, &e.learner)?),
                format!("/c/{slug}/mentoring/{}", e.mentorship),
            )
        }
        Event::MentoringAccepted(e) | Event::MentoringDeclined(e) => {
            let (slug, _) = n.community(c, &e.community)?;
            let verb = if matches!(event, Event::MentoringAccepted(_)) {
                "accepted"
            } else {
                "declined"
            };
            (
                format!("{} {verb} your request for mentoring", n.who(c, &e.mentor)?),
                format!("/c/{slug}/mentoring/{}", e.mentorship),
            )
        }
        Event::Proposed(e) => (
            format!(
                "{} sent a proposal for your job {}",
                n.who(c, &e.member)?,
                n.job(c, &e.job)?
            ),
            job_link(&e.job),
        ),
        Event::ProposalReviewed(e) => (
            format!(
                "Your proposal for {} was {}",
                n.job(c, &e.job)?,
                e.status.replace('_', " ")
            ),
            job_link(&e.job),
        ),
        Event::InvitedToPropose(e) => (
            format!(
                "{} invited you to propose for {}",
                n.who(c, &e.by)?,
                n.job(c, &e.job)?
            ),
            job_link(&e.job),
        ),
        Event::JobPosted(e) => (
            format!("New work that fits your skills: {}", n.job(c, &e.job)?),
            job_link(&e.job),
        ),
        Event::JobStatusChanged(e) => (
            format!("Open again, and it fits your skills: {}", n.job(c, &e.job)?),
            job_link(&e.job),
        ),
        Event::Shortlisted(e) => (
            format!(
                "{} put {} forward for {}",
                n.who(c, &e.curator)?,
                n.who(c, &e.member)?,
                n.job(c, &e.job)?
            ),
            job_link(&e.job),
        ),
        Event::Referred(e) => (
            format!(
                "{} referred you for {}",
                n.who(c, &e.referrer)?,
                n.job(c, &e.job)?
            ),
            job_link(&e.job),
        ),
        // A pair's learner is offered a part, not the whole.
        Event::ContractOffered(e)
            if e.learner.as_deref() == Some(reader.id.to_string().as_str()) =>
        {
            (
                format!(
                    "{} offered you a part of the contract {} beside {}, who would mentor you",
                    n.who(c, &e.client)?,
                    n.contract(c, &e.contract)?,
                    n.who(c, &e.member)?
                ),
                contract_link(&e.contract),
            )
        }
        Event::ContractOffered(e) => (
            format!(
                "{} offered you a contract, {}, for {}",
                n.who(c, &e.client)?,
                n.contract(c, &e.contract)?,
                money(e.total, &e.currency)
            ),
            contract_link(&e.contract),
        ),
        Event::ContractStarted(e)
        | Event::OfferDeclined(e)
        | Event::OfferWithdrawn(e)
        | Event::LearnerJoined(e) => {
            let title = n.contract(c, &e.contract)?;
            let text = match event {
                Event::ContractStarted(_) => {
                    format!("{} accepted the offer {title}", n.who(c, &e.member)?)
                }
                Event::OfferDeclined(_) => {
                    format!("{} declined the offer {title}", n.who(c, &e.member)?)
                }
                Event::LearnerJoined(_) => format!(
                    "{} accepted their part of the offer {title}: it can start",
                    n.who(c, &e.member)?
                ),
                _ => format!("The offer {title} was withdrawn"),
            };
            (text, contract_link(&e.contract))
        }
        Event::ContractCancelled(e) => (
            format!(
                "{} cancelled the contract {}",
                n.who(c, &e.cancelled_by)?,
                n.contract(c, &e.contract)?
            ),
            contract_link(&e.contract),
        ),
        Event::MilestoneFunded(e) => (
            format!(
                "{} funded {} of {}: you can start",
                n.who(c, &e.client)?,
                money(e.amount, &e.currency),
                n.contract(c, &e.contract)?
            ),
            contract_link(&e.contract),
        ),
        Event::MilestoneDelivered(e) => {
            let due = match e.milestone.parse::<MilestoneId>() {
                Ok(id) => contracts::milestone(c, id)?.and_then(|m| m.auto_release_at),
                Err(_) => None,
            };
            let mut text = format!(
                "{} delivered work on {} for you to review",
                n.who(c, &e.member)?,
                n.contract(c, &e.contract)?
            );
            if let Some(at) = due {
                text.push_str(&format!(
                    "; unless you answer, it is released on {}",
                    &guildhall_domain::calendar::format_local(at, "UTC")
                ));
            }
            (text, contract_link(&e.contract))
        }
        Event::MilestoneAccepted(e) => (
            format!(
                "{} accepted your delivery on {}",
                n.who(c, &e.client)?,
                n.contract(c, &e.contract)?
            ),
            contract_link(&e.contract),
        ),
        Event::ChangesRequested(e) => (
            format!(
                "{} asked for changes to your delivery on {}",
                n.who(c, &e.client)?,
                n.contract(c, &e.contract)?
            ),
            contract_link(&e.contract),
        ),
        Event::MilestoneReleased(e) => {
            let title = n.contract(c, &e.contract)?;
            let me = reader.id.to_string();
            let text = if me == e.member {
                format!(
                    "{} was released to you for {title}",
                    money(e.split.member, &e.currency)
                )
            } else if e.referrer.as_deref() == Some(me.as_str()) {
                format!(
                    "Your referral reward of {} for {title} was released",
                    money(e.split.referral, &e.currency)
                )
            } else if e.auto {
                format!("A delivery on {title} was released automatically: its review period ended")
            } else {
                format!("A milestone of {title} was paid")
            };
            (text, contract_link(&e.contract))
        }
        Event::ReviewRevealed(e) => (
            format!(
                "A review of you on {} is now visible",
                n.contract(c, &e.contract)?
            ),
            contract_link(&e.contract),
        ),
        Event::DisputeOpened(e) => (
            format!(
                "{} opened a dispute on {}",
                n.who(c, &e.disputant)?,
                n.contract(c, &e.contract)?
            ),
            contract_link(&e.contract),
        ),
        Event::DisputeResolved(e) => (
            format!(
                "An operator settled the dispute on {}",
                n.contract(c, &e.contract)?
            ),
            contract_link(&e.contract),
        ),
        Event::DepositConfirmed(e) => (
            format!("Your deposit of {} arrived", money(e.amount, &e.currency)),
            "/work/deposits".into(),
        ),
        Event::TransferRecorded(e) => (
            match e.direction.as_str() {
                "in" => format!(
                    "{} was added to your wallet by the operators",
                    money(e.amount, &e.currency)
                ),
                _ => format!(
                    "{} was paid out of your wallet by the operators",
                    money(e.amount, &e.currency)
                ),
            },
            "/work/money".into(),
        ),
        Event::ShareDistributed(e) => {
            let (slug, name) = n.community(c, &e.community)?;
            (
                format!(
                    "{} from {name}'s revenue share was paid into your wallet",
                    money(e.amount, &e.currency)
                ),
                format!("/c/{slug}/ownership"),
            )
        }
        Event::PayoutPaid(e) => (
            format!("Your payout of {} was sent", money(e.amount, &e.currency)),
            "/work/money".into(),
        ),
        Event::PayoutFailed(e) => (
            format!(
                "Your payout of {} could not be sent, and the money is back: {}",
                money(e.amount, &e.currency),
                e.reason
            ),
            "/work/money".into(),
        ),
        other => (format!("Something happened: {}", other.kind()), "/".into()),
    })
}

/// A member's profile page from their `@handle`; home when they are gone.
fn profile(who: &str) -> String {
    match who.strip_prefix('@') {
        Some(handle) => format!("/u/{handle}"),
        None => "/".into(),
    }
}
