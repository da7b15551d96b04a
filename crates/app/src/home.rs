//! The two front pages: what a visitor learns about the instance, and what waits for a
//! signed-in member's answer.

use crate::AppError;
use crate::accounts::Account;
use crate::communities::Community;
use crate::work::jobs::Job;
use guildhall_domain::community::ApplicationStatus;
use guildhall_domain::community::Visibility;
use guildhall_store::repo::{admission, communities, users, waiting};
use serde::Serialize;

/// What waits for a member, counted by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Waiting {
    /// Connection requests to answer.
    pub connection_requests: i64,
    /// Skill suggestions to accept or decline.
    pub suggestions: i64,
    /// Contract offers to accept or decline.
    pub offers: i64,
    /// Deliveries to accept or send back, as a client.
    pub deliveries: i64,
    /// Proposals on the member's open jobs.
    pub proposals: i64,
    /// Applications to the communities the member curates: (slug, name, how many).
    pub applications: Vec<(String, String, i64)>,
}

impl Waiting {
    /// Everything together: the count beside "Home".
    pub fn total(&self) -> i64 {
        self.connection_requests
            + self.suggestions
            + self.offers
            + self.deliveries
            + self.proposals
            + self.applications.iter().map(|a| a.2).sum::<i64>()
    }
}

/// What waits for the member `who`, inside the caller's transaction.
pub(crate) fn waiting_of(
    c: &mut guildhall_store::DbConnection,
    who: guildhall_domain::UserId,
) -> Result<Waiting, AppError> {
    let mut applications = Vec::new();
    for (community_id, role) in communities::of_member(c, who)? {
        if !role.is_staff() {
            continue;
        }
        let pending =
            admission::queue(c, &community_id, ApplicationStatus::Pending, 500)?.len() as i64;
        if pending > 0
            && let Some(row) = communities::by_id(c, &community_id)?
        {
            applications.push((row.slug, row.name, pending));
        }
    }
    applications.sort();
    Ok(Waiting {
        connection_requests: waiting::connection_requests(c, who)?,
        suggestions: waiting::suggestions(c, who)?,
        offers: waiting::offers(c, who)?,
        deliveries: waiting::deliveries(c, who)?,
        proposals: waiting::proposals(c, who)?,
        applications,
    })
}

/// What a visitor who is not signed in sees first.
#[derive(Clone, Debug, Serialize)]
pub struct FrontPage {
    /// How many accounts the instance has.
    pub members: i64,
    /// Public communities, largest first.
    pub communities: Vec<Community>,
    /// Public open jobs, newest first.
    pub jobs: Vec<Job>,
}

impl crate::facades::Profiles<'_> {
    /// How many things wait for `who`, without listing them: cheap enough for every page.
    pub fn waiting_count(&self, who: &Account) -> Result<i64, AppError> {
        self.read(|c| {
            Ok(waiting::connection_requests(c, who.id)?
                + waiting::suggestions(c, who.id)?
                + waiting::offers(c, who.id)?
                + waiting::deliveries(c, who.id)?
                + waiting::proposals(c, who.id)?
                + waiting::applications(c, who.id)?)
        })
    }

    /// What waits for `who`, by kind, with applications per community.
    pub fn waiting(&self, who: &Account) -> Result<Waiting, AppError> {
        self.read(|c| waiting_of(c, who.id))
    }

    /// The instance as a visitor first sees it.
    pub fn front_page(&self) -> Result<FrontPage, AppError> {
        let mut communities: Vec<Community> = self
            .communities()
            .list(None)?
            .into_iter()
            .filter(|k| k.visibility == Visibility::Public)
            .collect();
        communities.sort_by(|a, b| b.members.cmp(&a.members).then(a.name.cmp(&b.name)));
        communities.truncate(12);
        Ok(FrontPage {
            members: self.read(|c| Ok(users::count(c)?))?,
            communities,
            jobs: self.work().public_jobs(10)?,
        })
    }
}
