//! The daily digest: one prioritised page of what a member should do, soonest first —
//! deadlines (work due, deliveries to accept before they are released on their own, reviews
//! to write before the other side's is revealed), what waits for their answer, and the events
//! of their communities this week. Each line links to where it is done. Everything listed is
//! the member's own business or their communities': nothing they may not see.

use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::UserId;
use guildhall_domain::calendar::{format_local, local_input, parse_local};
use guildhall_domain::events::Event;
use guildhall_domain::job::JobStatus;
use guildhall_domain::notify::Topic;
use guildhall_store::DbConnection;
use guildhall_store::repo::{communities, digest as repo, jobs, notifications as notes};
use serde::Serialize;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// One thing to do or to know, with where it is done.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DigestLine {
    /// What, in a sentence.
    pub text: String,
    /// The page where it is done, a path on this site.
    pub link: String,
    /// When it is due or happens, Unix ms, if it has a time.
    pub at: Option<i64>,
}

/// A member's digest.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Digest {
    /// Deadlines, soonest first: work due within a week, deliveries to accept, reviews to
    /// write.
    pub deadlines: Vec<DigestLine>,
    /// What waits for the member's answer: offers, invitations, applications, suggestions,
    /// requests to connect, proposals.
    pub waiting: Vec<DigestLine>,
    /// Events of the member's communities in the next seven days.
    pub events: Vec<DigestLine>,
    /// Open jobs that fit the member's skills, posted in the last week and not yet looked
    /// at, newest first (as they chose to hear of them: not when they turned that off).
    pub work: Vec<DigestLine>,
}

impl Digest {
    /// Whether there is nothing to list.
    pub fn is_empty(&self) -> bool {
        self.deadlines.is_empty()
            && self.waiting.is_empty()
            && self.events.is_empty()
            && self.work.is_empty()
    }
}

fn line(text: String, link: String, at: Option<i64>) -> DigestLine {
    DigestLine { text, link, at }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl crate::facades::Notifications<'_> {
    /// The caller's digest as of now.
    pub fn digest(&self, who: &Account) -> Result<Digest, AppError> {
        self.catch_up()?;
        let now = self.now();
        self.read(|c| build(c, who.id, now))
    }
}

/// `who`'s digest at `now`, inside the caller's transaction.
pub(crate) fn build(c: &mut DbConnection, who: UserId, now: i64) -> Result<Digest, AppError> {
    let today = local_input(now, "UTC")[..10].to_string();
    let in_a_week = local_input(now + 7 * DAY_MS, "UTC")[..10].to_string();
    let waiting = crate::home::waiting_of(c, who)?;
    let mut deadlines = Vec::new();
    for (contract, title, milestone, due) in repo::milestones_due(c, who, &in_a_week)? {
        let when = if due < today { "was due" } else { "is due" };
        let at = parse_local(&format!("{due}T23:59"), "UTC").ok();
        deadlines.push(line(
            format!("Deliver “{milestone}” of “{title}”: it {when} on {due}"),
            format!("/work/contracts/{contract}"),
            at,
        ));
    }
    for (contract, title, milestone, release) in repo::deliveries(c, who)? {
        let text = match release {
            Some(at) => format!(
                "Accept or return “{milestone}” of “{title}”: it is released on {} unless you answer",
                format_local(at, "UTC")
            ),
            None => format!("Accept or return “{milestone}” of “{title}”"),
        };
        deadlines.push(line(text, format!("/work/contracts/{contract}"), release));
    }
    for (contract, title, reveal) in repo::reviews_to_write(c, who, now - 30 * DAY_MS)? {
        let text = match reveal {
            Some(at) => format!(
                "Review “{title}” before {}, when the other side’s review is revealed",
                format_local(at, "UTC")
            ),
            None => format!(
                "Review “{title}”: the other side sees your review once both are written, or after two weeks"
            ),
        };
        deadlines.push(line(text, format!("/work/contracts/{contract}"), reveal));
    }

    let mut answers = Vec::new();
    for (contract, title) in repo::offers(c, who)? {
        answers.push(line(
            format!("Accept or decline the contract offered to you, “{title}”"),
            format!("/work/contracts/{contract}"),
            None,
        ));
    }
    for (job, title) in repo::invitations(c, who)? {
        answers.push(line(
            format!("You are invited to propose for “{title}”"),
            format!("/jobs/{job}"),
            None,
        ));
    }
    for (slug, name, n) in &waiting.applications {
        answers.push(line(
            format!(
                "{} to {name} to decide",
                plural(*n, "application", "applications")
            ),
            format!("/c/{slug}/applications"),
            None,
        ));
    }
    if waiting.proposals > 0 {
        answers.push(line(
            format!(
                "{} on your jobs to answer",
                plural(waiting.proposals, "proposal", "proposals")
            ),
            "/jobs".into(),
            None,
        ));
    }
    if waiting.suggestions > 0 {
        answers.push(line(
            format!(
                "{} for your profile",
                plural(waiting.suggestions, "skill suggestion", "skill suggestions")
            ),
            "/me/suggestions".into(),
            None,
        ));
    }
    if waiting.connection_requests > 0 {
        answers.push(line(
            plural(
                waiting.connection_requests,
                "request to connect",
                "requests to connect",
            ),
            "/me/connections".into(),
            None,
        ));
    }

    let mut events = Vec::new();
    for (community, id, title, starts, answer) in repo::events(c, who, now, now + 7 * DAY_MS)? {
        let Some(row) = communities::by_id(c, &community)? else {
            continue;
        };
        let yours = match answer.as_deref() {
            Some("going") => ": you are going",
            Some("waitlisted") => ": you are on the waitlist",
            _ => "",
        };
        events.push(line(
            format!(
                "“{title}” in {}, {}{yours}",
                row.name,
                format_local(starts, "UTC")
            ),
            format!("/c/{}#event-{id}", row.slug),
            Some(starts),
        ));
    }
    deadlines.sort_by_key(|l| l.at.unwrap_or(i64::MAX));
    Ok(Digest {
        deadlines,
        waiting: answers,
        events,
        work: work_that_fits(c, who, now)?,
    })
}

/// Jobs in the member's unread "work that fits you" notifications of the last week that are
/// still open, newest first; each links to its notification, which opens the job.
fn work_that_fits(
    c: &mut DbConnection,
    who: UserId,
    now: i64,
) -> Result<Vec<DigestLine>, AppError> {
    /// Jobs listed at most.
    const MOST: usize = 10;
    let mut told = notes::unread_of_topics(c, who, &[Topic::WorkThatFits])?;
    told.retain(|(row, _)| row.created_at >= now - 7 * DAY_MS);
    told.sort_by(|a, b| b.0.id.cmp(&a.0.id));
    let mut out = Vec::new();
    for (row, event) in told {
        let job = match crate::events::typed(&event)? {
            Event::JobPosted(e) => e.job,
            Event::JobStatusChanged(e) => e.job,
            _ => continue,
        };
        let Some(job) = jobs::by_id(c, &job)?.filter(|j| j.status == JobStatus::Open) else {
            continue;
        };
        let pay = crate::work::jobs::budget_words(&job);
        out.push(line(
            format!("“{}”, {pay}", job.title),
            format!("/notifications/{}", row.id),
            Some(row.created_at),
        ));
        if out.len() == MOST {
            break;
        }
    }
    Ok(out)
}
