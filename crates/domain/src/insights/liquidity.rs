//! Liquidity per skill: open demand against available supply over the next weeks. Demand is
//! the hours of open jobs asking for a skill that fall in the window (a job's hours a week,
//! full time when it gives none, for the days it overlaps); supply is the free hours in the
//! same window of the members who show the skill and their availability. The ratio reads
//! "3.1 open hours per free hour": above 1 the work waits for people, below 1 people wait
//! for work.

use super::shown_count;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Weeks ahead that liquidity looks at.
pub const WEEKS: i64 = 4;
/// Hours a week of a job that gives none: full time.
pub const FULL_TIME: i32 = 40;

/// The hours of a job running `starts` to `ends` (both included) at `hours_per_week` that fall
/// from `from` to `to` (both included).
pub fn job_hours_in(
    hours_per_week: Option<i32>,
    starts: Date,
    ends: Date,
    from: Date,
    to: Date,
) -> f64 {
    let first = starts.max(from);
    let last = ends.min(to);
    if last < first {
        return 0.0;
    }
    let days = first.until(last).map_or(0, |span| span.get_days()) + 1;
    f64::from(hours_per_week.unwrap_or(FULL_TIME).max(0)) * f64::from(days) / 7.0
}

/// One open job as demand: the skills it asks and its hours in the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    /// The skill ids it asks for.
    pub skills: Vec<String>,
    /// Its hours in the window.
    pub hours: f64,
}

/// One member as supply: the skills they show and their free hours in the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Supply {
    /// The skill ids they show.
    pub skills: Vec<String>,
    /// Their free hours in the window.
    pub hours: f64,
}

/// Demand and supply of one skill.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillLiquidity {
    /// The skill's id.
    pub skill_id: String,
    /// Hours of open jobs asking for it in the window.
    pub demand_hours: f64,
    /// How many jobs those hours come from.
    pub jobs: u32,
    /// Free hours of members showing it in the window.
    pub supply_hours: f64,
    /// How many members those hours come from.
    pub members: u32,
}

/// A skill's figures as they may be shown: supply only when at least five members make it,
/// demand only when at least five jobs do or every viewer may see the jobs, and the ratio
/// only when both are shown and there is supply.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// Open hours, if shown.
    pub demand_hours: Option<f64>,
    /// Free hours, if shown.
    pub supply_hours: Option<f64>,
    /// Open hours per free hour, if shown.
    pub ratio: Option<f64>,
}

impl SkillLiquidity {
    /// What may be shown of it; `jobs_seen` when every viewer may see every job behind it (a
    /// community's jobs, to its members).
    pub fn shown(&self, jobs_seen: bool) -> Shown {
        let demand =
            (jobs_seen || shown_count(self.jobs as usize).is_some()).then_some(self.demand_hours);
        let supply = shown_count(self.members as usize).map(|_| self.supply_hours);
        let ratio = match (demand, supply) {
            (Some(d), Some(s)) if s > 0.0 => Some(d / s),
            _ => None,
        };
        Shown {
            demand_hours: demand,
            supply_hours: supply,
            ratio,
        }
    }
}

/// Each skill's demand and supply, by skill id. A job or a member naming a skill twice counts
/// once for it.
pub fn liquidity(jobs: &[Demand], members: &[Supply]) -> Vec<SkillLiquidity> {
    let mut by_skill: BTreeMap<&str, SkillLiquidity> = BTreeMap::new();
    for job in jobs {
        for id in distinct(&job.skills) {
            let s = by_skill.entry(id).or_insert_with(|| empty(id));
            s.demand_hours += job.hours;
            s.jobs += 1;
        }
    }
    for member in members {
        for id in distinct(&member.skills) {
            let s = by_skill.entry(id).or_insert_with(|| empty(id));
            s.supply_hours += member.hours;
            s.members += 1;
        }
    }
    by_skill.into_values().collect()
}

fn empty(id: &str) -> SkillLiquidity {
    SkillLiquidity {
        skill_id: id.to_string(),
        demand_hours: 0.0,
        jobs: 0,
        supply_hours: 0.0,
        members: 0,
    }
}

fn distinct(ids: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = ids.iter().map(String::as_str).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_jobs_hours_are_those_of_its_days_in_the_window() {
        let (from, to) = (day("2027-03-01"), day("2027-03-28"));
        // Two weeks inside the window at 20 hours.
        let inside = job_hours_in(Some(20), day("2027-03-08"), day("2027-03-21"), from, to);
        assert_eq!(inside, 40.0);
        // Starting before and ending after: the whole window, four weeks, full time.
        let around = job_hours_in(None, day("2027-01-01"), day("2027-12-31"), from, to);
        assert_eq!(around, 160.0);
        assert_eq!(
            job_hours_in(Some(10), day("2027-04-01"), day("2027-04-30"), from, to),
            0.0
        );
        // One day of overlap: a seventh of the week.
        let edge = job_hours_in(Some(35), day("2027-02-01"), day("2027-03-01"), from, to);
        assert_eq!(edge, 5.0);
    }

    #[test]
    fn liquidity_matches_a_direct_sum_and_counts_each_job_and_member_once() {
        let s = |ids: &[&str]| ids.iter().map(|i| i.to_string()).collect::<Vec<_>>();
        let jobs = vec![
            Demand {
                skills: s(&["sql", "sql", "figma"]),
                hours: 40.0,
            },
            Demand {
                skills: s(&["sql"]),
                hours: 20.0,
            },
        ];
        let members = vec![
            Supply {
                skills: s(&["sql"]),
                hours: 10.0,
            },
            Supply {
                skills: s(&["sql", "rust"]),
                hours: 10.0,
            },
        ];
        let found = liquidity(&jobs, &members);
        let sql = found.iter().find(|l| l.skill_id == "sql").unwrap();
        let direct_demand: f64 = jobs
            .iter()
            .filter(|j| j.skills.iter().any(|x| x == "sql"))
            .map(|j| j.hours)
            .sum();
        assert_eq!((sql.demand_hours, sql.jobs), (direct_demand, 2));
        assert_eq!((sql.supply_hours, sql.members), (20.0, 2));
        let rust = found.iter().find(|l| l.skill_id == "rust").unwrap();
        assert_eq!((rust.demand_hours, rust.jobs), (0.0, 0));
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn figures_of_fewer_than_five_are_kept_back() {
        let few = SkillLiquidity {
            skill_id: "sql".into(),
            demand_hours: 62.0,
            jobs: 2,
            supply_hours: 20.0,
            members: 4,
        };
        assert_eq!(
            few.shown(false),
            Shown {
                demand_hours: None,
                supply_hours: None,
                ratio: None
            }
        );
        assert_eq!(
            few.shown(true).demand_hours,
            Some(62.0),
            "a community's own jobs"
        );
        let many = SkillLiquidity {
            jobs: 5,
            members: 5,
            ..few
        };
        assert_eq!(many.shown(false).ratio, Some(3.1));
        let none_free = SkillLiquidity {
            supply_hours: 0.0,
            ..many
        };
        assert_eq!(
            none_free.shown(false).ratio,
            None,
            "no free hours: no ratio"
        );
    }
}
