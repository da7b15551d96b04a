//! What a client wants of a member: the skills, pay, dates, hours and zones of a job, or the
//! same kept as a saved search. Find talent, a curator's shortlist and a saved search all rank
//! members for a `Wanted`.

use guildhall_domain::job::{JobSkill, Pricing};
use guildhall_domain::money::Currency;
use guildhall_store::repo::jobs::JobRow;

/// The widest time-zone window a job may give: any zone at all.
pub(crate) const ANY_ZONE: (i32, i32) = (-720, 840);

/// What a client wants.
#[derive(Clone, Debug)]
pub(crate) struct Wanted {
    /// The skills, each with its weight and least level.
    pub skills: Vec<JobSkill>,
    /// The most paid per hour, when pay is by the hour: members asking more are left out.
    pub hourly_budget: Option<i64>,
    /// The currency of the pay.
    pub currency: Currency,
    /// The first and last day of the work, `YYYY-MM-DD`.
    pub dates: Option<(String, String)>,
    /// Hours a week asked.
    pub hours_per_week: Option<i32>,
    /// The UTC offsets work may happen in, unless any will do.
    pub tz_window: Option<(i32, i32)>,
    /// Only members of this community (an id).
    pub community_id: Option<String>,
}

impl Wanted {
    /// What a job asks.
    pub fn of_job(job: &JobRow) -> Wanted {
        Wanted {
            skills: serde_json::from_str(&job.skills).unwrap_or_default(),
            hourly_budget: (job.pricing == Pricing::Hourly).then_some(job.budget_max),
            currency: job.currency,
            dates: Some((job.starts_on.clone(), job.ends_on.clone())),
            hours_per_week: job.hours_per_week,
            tz_window: window((job.tz_min_offset, job.tz_max_offset)),
            community_id: job.community_id.clone(),
        }
    }

    /// The budget as the index's query takes it.
    pub fn budget(&self) -> Option<(i64, String)> {
        self.hourly_budget
            .map(|max| (max, self.currency.code().to_string()))
    }
}

/// A time-zone window, unless it allows every zone.
pub(crate) fn window(window: (i32, i32)) -> Option<(i32, i32)> {
    (window.0 > ANY_ZONE.0 || window.1 < ANY_ZONE.1).then_some(window)
}
