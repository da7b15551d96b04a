//! Liquidity per skill (`guildhall_domain::insights::liquidity`): a snapshot a day, taken in
//! the background, for the instance and each community. Members see it for the skills they
//! show; curators see their community's, over time, and beside each applicant's skills.

use super::gap::held_levels;
use crate::AppError;
use crate::accounts::Account;
use crate::availability::{availability_of, weeks_of};
use crate::communities::{Scope, SkillRef};
use crate::profiles::from_row;
use guildhall_domain::community::Action;
use guildhall_domain::hourly::today_utc;
use guildhall_domain::insights::gap::Asked;
use guildhall_domain::insights::liquidity::{
    Demand, Shown, SkillLiquidity, Supply, WEEKS, job_hours_in, liquidity,
};
use guildhall_domain::job::JobSkill;
use guildhall_domain::profile::ProfileItem;
use guildhall_domain::visibility::Viewer;
use guildhall_domain::{CommunityId, UserId};
use guildhall_store::DbConnection;
use guildhall_store::repo::liquidity::{self as repo, INSTANCE, SnapshotRow};
use guildhall_store::repo::{communities, items, jobs, oversight, skills};
use jiff::ToSpan;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Days of history shown.
const HISTORY_DAYS: i64 = 90;
/// Skills drawn over time, the most demanded first.
const TRENDS: usize = 6;

/// One skill's liquidity as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LiquidityRow {
    /// The skill.
    pub skill: SkillRef,
    /// Open hours of jobs asking for it over the next four weeks; absent when fewer than five
    /// jobs make it and not every viewer may see them.
    pub demand_hours: Option<f64>,
    /// Free hours over the next four weeks of the members who show it; absent when fewer than
    /// five members make it.
    pub supply_hours: Option<f64>,
    /// Open hours per free hour; absent unless both are shown and there are free hours.
    pub ratio: Option<f64>,
    /// The balance in words: "3.1 open hours per free hour".
    pub words: String,
}

/// One day of a skill's ratio.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LiquidityPoint {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// Open hours per free hour that day, if shown.
    pub ratio: Option<f64>,
}

/// A skill's ratio over time.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SkillTrend {
    /// The skill.
    pub skill: SkillRef,
    /// Day by day, oldest first.
    pub points: Vec<LiquidityPoint>,
}

/// Liquidity in one scope.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Liquidity {
    /// `instance`, or the community's slug.
    pub scope: String,
    /// What the scope is called.
    pub name: String,
    /// The day of the newest snapshot; absent before the first is taken.
    pub taken_on: Option<String>,
    /// Skill by skill, the scarcest first (most open hours per free hour).
    pub rows: Vec<LiquidityRow>,
    /// The most demanded skills' ratios over the last 90 days.
    pub history: Vec<SkillTrend>,
}

/// The balance in words.
fn words(shown: &Shown) -> String {
    match (shown.ratio, shown.demand_hours, shown.supply_hours) {
        (Some(r), _, _) => format!("{r:.1} open hours per free hour"),
        (None, Some(d), Some(_)) if d > 0.0 => "open work, and no free hours shown".into(),
        (None, Some(_), Some(_)) => "free hours, and no open work".into(),
        _ => "too few people or jobs to show".into(),
    }
}

fn tenths(hours: f64) -> i64 {
    (hours * 10.0).round() as i64
}

fn of_row(row: &SnapshotRow) -> SkillLiquidity {
    SkillLiquidity {
        skill_id: row.skill_id.clone(),
        demand_hours: row.demand_tenths as f64 / 10.0,
        jobs: u32::try_from(row.jobs).unwrap_or(0),
        supply_hours: row.supply_tenths as f64 / 10.0,
        members: u32::try_from(row.members).unwrap_or(0),
    }
}

/// The skills a viewer may see among `items`.
fn shown_skills(items: &[ProfileItem], viewer: &Viewer) -> Vec<String> {
    held_levels(items.iter().filter(|i| viewer.can_see(&i.audiences)))
        .into_keys()
        .collect()
}

/// The viewer standing for a scope: any member for the instance, a fellow member for a
/// community.
fn viewer_of(scope: &str) -> Viewer {
    let mut viewer = Viewer::member();
    if let Ok(id) = scope.parse::<CommunityId>() {
        viewer.communities = [id].into();
    }
    viewer
}

/// Every scope's rows for `today`.
fn compute(c: &mut DbConnection, today: jiff::civil::Date) -> Result<Vec<SnapshotRow>, AppError> {
    let to = today.checked_add((WEEKS * 7 - 1).days()).unwrap_or(today);
    let mut demand: HashMap<String, Vec<Demand>> = HashMap::new();
    for job in jobs::all_open(c)? {
        let (Some(starts), Some(ends)) = (
            guildhall_domain::availability::parse_date(&job.starts_on),
            guildhall_domain::availability::parse_date(&job.ends_on),
        ) else {
            continue;
        };
        let skills: Vec<JobSkill> = serde_json::from_str(&job.skills).unwrap_or_default();
        let one = Demand {
            skills: Asked::of_job(&skills)
                .into_iter()
                .map(|a| a.skill_id)
                .collect(),
            hours: job_hours_in(job.hours_per_week, starts, ends, today, to),
        };
        if let Some(k) = &job.community_id {
            demand.entry(k.clone()).or_default().push(one.clone());
        }
        demand.entry(INSTANCE.into()).or_default().push(one);
    }
    let suspended: HashSet<UserId> = oversight::suspended_ids(c)?.into_iter().collect();
    let mut memberships: HashMap<UserId, Vec<String>> = HashMap::new();
    for (user, community) in communities::all_memberships(c)? {
        memberships.entry(user).or_default().push(community);
    }
    let mut by_owner: BTreeMap<UserId, Vec<ProfileItem>> = BTreeMap::new();
    for row in items::of_kinds(c, &["skill", "availability"])? {
        let item = from_row(row)?;
        by_owner.entry(item.owner).or_default().push(item);
    }
    let mut supply: HashMap<String, Vec<Supply>> = HashMap::new();
    for (owner, items) in &by_owner {
        if suspended.contains(owner) {
            continue;
        }
        let Some((availability, schedule, _)) = availability_of(items) else {
            continue;
        };
        let mut free = None;
        let scopes = std::iter::once(INSTANCE.to_string())
            .chain(memberships.get(owner).into_iter().flatten().cloned());
        for scope in scopes {
            let viewer = viewer_of(&scope);
            if !viewer.can_see(&availability.audiences) {
                continue;
            }
            let skills = shown_skills(items, &viewer);
            if skills.is_empty() {
                continue;
            }
            let hours = match free {
                Some(h) => h,
                None => {
                    let weeks = weeks_of(c, *owner, &schedule, today, to)?;
                    let h = weeks.iter().map(|w| f64::from(w.free_minutes)).sum::<f64>() / 60.0;
                    *free.insert(h)
                }
            };
            supply
                .entry(scope)
                .or_default()
                .push(Supply { skills, hours });
        }
    }
    let day = today.to_string();
    let scopes: HashSet<&String> = demand.keys().chain(supply.keys()).collect();
    let mut rows = Vec::new();
    for scope in scopes {
        let found = liquidity(
            demand.get(scope).map_or(&[][..], Vec::as_slice),
            supply.get(scope).map_or(&[][..], Vec::as_slice),
        );
        rows.extend(found.into_iter().map(|l| SnapshotRow {
            taken_on: day.clone(),
            scope: scope.clone(),
            skill_id: l.skill_id,
            demand_tenths: tenths(l.demand_hours),
            jobs: i32::try_from(l.jobs).unwrap_or(i32::MAX),
            supply_tenths: tenths(l.supply_hours),
            members: i32::try_from(l.members).unwrap_or(i32::MAX),
        }));
    }
    Ok(rows)
}

/// The liquidity of `scope` from its snapshots, only `skills` when given.
fn read(
    c: &mut DbConnection,
    scope: &str,
    (slug, name): (String, String),
    skills: Option<&[String]>,
    today: jiff::civil::Date,
) -> Result<Liquidity, AppError> {
    let jobs_seen = scope != INSTANCE;
    let since = today
        .checked_sub(HISTORY_DAYS.days())
        .unwrap_or(today)
        .to_string();
    let rows = repo::of_scope(c, scope, &since, skills)?;
    let taken_on = rows.last().map(|r| r.taken_on.clone());
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.skill_id.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let labels: HashMap<String, String> = skills::labels_by_ids(c, &ids)?.into_iter().collect();
    let skill = |id: &str| SkillRef {
        id: id.to_string(),
        label: labels.get(id).cloned().unwrap_or_else(|| id.to_string()),
    };
    let latest: Vec<&SnapshotRow> = rows
        .iter()
        .filter(|r| Some(&r.taken_on) == taken_on.as_ref())
        .collect();
    let mut now: Vec<(LiquidityRow, f64)> = latest
        .iter()
        .map(|r| {
            let shown = of_row(r).shown(jobs_seen);
            let demand = shown.demand_hours.unwrap_or(0.0);
            (
                LiquidityRow {
                    skill: skill(&r.skill_id),
                    words: words(&shown),
                    demand_hours: shown.demand_hours,
                    supply_hours: shown.supply_hours,
                    ratio: shown.ratio,
                },
                demand,
            )
        })
        .collect();
    now.sort_by(|(a, _), (b, _)| {
        b.ratio
            .unwrap_or(-1.0)
            .total_cmp(&a.ratio.unwrap_or(-1.0))
            .then(a.skill.label.cmp(&b.skill.label))
    });
    let mut by_demand: Vec<&(LiquidityRow, f64)> =
        now.iter().filter(|(r, _)| r.ratio.is_some()).collect();
    by_demand.sort_by(|a, b| b.1.total_cmp(&a.1));
    let history = by_demand
        .iter()
        .take(TRENDS)
        .map(|(r, _)| SkillTrend {
            skill: r.skill.clone(),
            points: rows
                .iter()
                .filter(|p| p.skill_id == r.skill.id)
                .map(|p| LiquidityPoint {
                    day: p.taken_on.clone(),
                    ratio: of_row(p).shown(jobs_seen).ratio,
                })
                .collect(),
        })
        .collect();
    Ok(Liquidity {
        scope: slug,
        name,
        taken_on,
        rows: now.into_iter().map(|(r, _)| r).collect(),
        history,
    })
}

/// The newest figures of `scope`, skill by skill, as they may be shown.
pub(crate) fn latest(
    c: &mut DbConnection,
    scope: &str,
) -> Result<HashMap<String, Shown>, AppError> {
    let Some(day) = repo::latest_day(c, scope)? else {
        return Ok(HashMap::new());
    };
    Ok(repo::of_scope(c, scope, &day, None)?
        .iter()
        .filter(|r| r.taken_on == day)
        .map(|r| (r.skill_id.clone(), of_row(r).shown(scope != INSTANCE)))
        .collect())
}

impl crate::facades::Insights<'_> {
    /// Takes today's liquidity snapshot unless one was taken: how many rows it wrote, or
    /// `None` when today's was there.
    pub fn take_liquidity_snapshot(&self) -> Result<Option<usize>, AppError> {
        let today = today_utc(self.now());
        let day = today.to_string();
        if self.read(|c| Ok(repo::taken(c, &day)?))? {
            return Ok(None);
        }
        let rows = self.read(|c| compute(c, today))?;
        self.write(|c| {
            // Another node may have taken it meanwhile.
            if repo::taken(c, &day)? {
                return Ok(None);
            }
            repo::insert(c, &rows)?;
            Ok(Some(rows.len()))
        })
    }

    /// A community's liquidity for its curators, with its history.
    pub fn community_liquidity(&self, who: &Account, slug: &str) -> Result<Liquidity, AppError> {
        let today = today_utc(self.now());
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::SeeInsights)?;
            let named = (scope.row.slug.clone(), scope.row.name.clone());
            read(c, scope.id(), named, None, today)
        })
    }

    /// Liquidity of the skills the caller shows, over the instance and in each of their
    /// communities.
    pub fn my_liquidity(&self, who: &Account) -> Result<Vec<Liquidity>, AppError> {
        let today = today_utc(self.now());
        self.read(|c| {
            let mine: Vec<String> = held_levels(crate::profiles::load_items(c, who.id)?.iter())
                .into_keys()
                .collect();
            let mut out = vec![read(
                c,
                INSTANCE,
                ("instance".into(), "The whole instance".into()),
                Some(&mine),
                today,
            )?];
            for (id, _) in communities::of_member(c, who.id)? {
                if let Some(row) = communities::by_id(c, &id)? {
                    out.push(read(c, &id, (row.slug, row.name), Some(&mine), today)?);
                }
            }
            Ok(out)
        })
    }
}
