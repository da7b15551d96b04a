//! The heat map of rates (`guildhall_domain::insights::rates`) over what the caller may see:
//! jobs posted publicly or in their communities, and the contracts made from them, filtered
//! by community, period, kind of pricing and occupation, in one currency. With an occupation,
//! the US wage percentiles of its SOC occupation (BLS OEWS, May 2025) are given beside, through
//! the map kept in `taxonomy/esco_ict_to_soc.csv`.

use super::occupations::{self, OccupationRef};
use crate::AppError;
use crate::accounts::Account;
use crate::communities::{Scope, SkillRef};
use crate::taxonomy::wage_percentiles;
use guildhall_domain::availability::parse_date;
use guildhall_domain::community::Action;
use guildhall_domain::insights::rates::{Length, RatePoint, heat_map};
use guildhall_domain::job::{JobSkill, Pricing};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::repo::jobs::JobRow;
use guildhall_store::repo::{communities, rates as repo, skills};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Skill rows shown at most, those with the most rates first.
const ROWS: usize = 15;
const DAY_MS: i64 = 24 * 3600 * 1000;
/// Guildhall's map from ESCO's ICT occupations to US SOC occupations (see NOTICE).
const SOC_MAP: &str = include_str!("../../taxonomy/esco_ict_to_soc.csv");

/// What the map is asked for; every part is optional.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RateQuery {
    /// Only the jobs of this community and the contracts made from them (its slug; you must
    /// belong to it).
    #[serde(default)]
    pub community: Option<String>,
    /// Only jobs posted in the last this many days (1 to 3650); all when absent.
    #[serde(default)]
    pub days: Option<u32>,
    /// Only fixed-price or only hourly work.
    #[serde(default)]
    pub pricing: Option<Pricing>,
    /// Only jobs naming this occupation (its id, as `GET /api/v1/occupations` lists it); the
    /// US wages of its SOC occupation are then given beside.
    #[serde(default)]
    pub occupation: Option<String>,
    /// The currency rates are read in (ISO 4217); the one most rates are in when absent.
    #[serde(default)]
    pub currency: Option<String>,
}

/// One cell: the rates of one skill over work of one length.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RateCell {
    /// The median hourly rate, minor units of the map's currency.
    pub median_minor: i64,
    /// The 25th percentile.
    pub p25_minor: i64,
    /// The 75th percentile.
    pub p75_minor: i64,
    /// The median written out, "€85.00".
    pub median: String,
    /// The interquartile range written out, "€70.00 – €95.00".
    pub range: String,
    /// Rates in the cell.
    pub rates: u32,
    /// Different people who set them (five or more: cells made by fewer are not given).
    pub people: u32,
}

/// One row of the map.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RateRow {
    /// The skill; absent for the row of every skill together.
    pub skill: Option<SkillRef>,
    /// One cell per length of work, in the order of `lengths`; null where fewer than five
    /// people set rates.
    pub cells: Vec<Option<RateCell>>,
}

/// US hourly wages of an occupation.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WageReference {
    /// The SOC 2018 code, six digits.
    pub soc_code: String,
    /// Its title.
    pub soc_title: String,
    /// The 10th, 25th, 50th, 75th and 90th percentiles, US dollars per hour.
    pub hourly_usd: [f64; 5],
    /// Where the figures come from.
    pub source: String,
}

/// The heat map.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RateMap {
    /// The currency every rate is in (ISO 4217); empty when there are no rates.
    pub currency: String,
    /// The currencies rates were found in, to choose from.
    pub currencies: Vec<String>,
    /// The columns: how long the work runs.
    pub lengths: Vec<String>,
    /// Every skill together first, then the skills with the most rates.
    pub rows: Vec<RateRow>,
    /// Rates read in the chosen currency.
    pub rates_read: u32,
    /// The occupation asked for, if any.
    pub occupation: Option<OccupationRef>,
    /// US wages of the occupation's SOC occupation, when an occupation is asked for.
    pub reference: Option<WageReference>,
}

/// Days from `starts` to `ends`, both included, if both read.
fn days_of(job: &JobRow) -> Option<i64> {
    let (from, to) = (parse_date(&job.starts_on)?, parse_date(&job.ends_on)?);
    Some(from.until(to).ok()?.get_days() as i64 + 1)
}

/// A job's planned hours, when it says its hours a week.
fn planned_hours(job: &JobRow, days: i64) -> Option<f64> {
    let per_week = f64::from(job.hours_per_week?);
    (per_week > 0.0).then(|| per_week * days as f64 / 7.0)
}

/// The US wages of the SOC occupation `occupation` maps to.
fn reference_of(occupation: &str) -> Result<Option<WageReference>, AppError> {
    let mut reader = csv::Reader::from_reader(SOC_MAP.as_bytes());
    let soc = reader
        .records()
        .filter_map(Result::ok)
        .find(|r| r.get(0) == Some(occupation))
        .and_then(|r| r.get(2).map(str::to_string));
    let Some(soc) = soc else {
        return Ok(None);
    };
    Ok(wage_percentiles()?
        .into_iter()
        .find(|w| w.soc == soc)
        .map(|w| WageReference {
            soc_code: w.soc,
            soc_title: w.occupation,
            hourly_usd: w.percentiles,
            source: "US Bureau of Labor Statistics, OEWS national estimates, May 2025".into(),
        }))
}

/// Checks the query's parts that the database need not answer.
fn check(q: &RateQuery) -> Result<Option<Currency>, AppError> {
    let mut e = guildhall_domain::FieldErrors::new();
    if q.days.is_some_and(|d| !(1..=3650).contains(&d)) {
        e.add("/days", "must be 1 to 3650");
    }
    // Blank is not "any": the API says which (the page sends none for "any").
    let currency = match q.currency.as_deref().map(str::trim) {
        None => None,
        Some(code) => match Currency::parse(code) {
            Ok(c) => Some(c),
            Err(why) => {
                e.add("/currency", why);
                None
            }
        },
    };
    if let Some(id) = q.occupation.as_deref()
        && occupations::occupation(id).is_err()
    {
        e.add("/occupation", "choose an occupation from the list");
    }
    if e.is_empty() {
        Ok(currency)
    } else {
        Err(e.into())
    }
}

impl crate::facades::Insights<'_> {
    /// The heat map of rates over what the caller may see.
    pub fn rate_map(&self, who: &Account, q: &RateQuery) -> Result<RateMap, AppError> {
        let wanted_currency = check(q)?;
        let occupation = q.occupation.clone().filter(|o| !o.is_empty());
        let since = match q.days {
            Some(d) => self.now() - i64::from(d) * DAY_MS,
            None => i64::MIN,
        };
        self.read(|c| {
            let mine: Vec<String> = communities::of_member(c, who.id)?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let only = match q.community.as_deref().filter(|s| !s.is_empty()) {
                Some(slug) => {
                    let scope = Scope::load(c, slug, Some(who))?;
                    scope.require(Action::ViewMembers)?;
                    Some(scope.id().to_string())
                }
                None => None,
            };
            let jobs: Vec<JobRow> = repo::jobs_since(c, since)?
                .into_iter()
                .filter(|j| match (&only, &j.community_id) {
                    (Some(k), Some(jk)) => k == jk,
                    (Some(_), None) => false,
                    (None, None) => true,
                    (None, Some(jk)) => mine.contains(jk),
                })
                .filter(|j| q.pricing.is_none_or(|p| p == j.pricing))
                .filter(|j| occupation.is_none() || j.occupation == occupation)
                .collect();
            let ids: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();
            let by_id: HashMap<&str, &JobRow> = jobs.iter().map(|j| (j.id.as_str(), j)).collect();
            // (currency, point) for every rate that can be read per hour.
            let mut seen: Vec<(String, RatePoint)> = Vec::new();
            let skills_of = |j: &JobRow| -> Vec<String> {
                let asked: Vec<JobSkill> = serde_json::from_str(&j.skills).unwrap_or_default();
                asked.into_iter().filter_map(|s| s.skill_id).collect()
            };
            for j in &jobs {
                let Some(days) = days_of(j) else { continue };
                let middle = (j.budget_min + j.budget_max) / 2;
                let rate = match j.pricing {
                    Pricing::Hourly => Some(middle),
                    Pricing::Fixed => {
                        planned_hours(j, days).map(|h| (middle as f64 / h).round() as i64)
                    }
                };
                if let Some(rate) = rate.filter(|r| *r > 0) {
                    seen.push((
                        j.currency.code().to_string(),
                        RatePoint {
                            skills: skills_of(j),
                            length: Length::of_days(days),
                            rate,
                            who: j.client_id.to_string(),
                        },
                    ));
                }
            }
            for pay in repo::contract_pay(c, &ids)? {
                let Some(j) = by_id.get(pay.job_id.as_str()) else {
                    continue;
                };
                let Some(days) = days_of(j) else { continue };
                let rate = pay.hourly_rate.or_else(|| {
                    planned_hours(j, days).map(|h| (pay.total as f64 / h).round() as i64)
                });
                if let Some(rate) = rate.filter(|r| *r > 0) {
                    seen.push((
                        pay.currency.clone(),
                        RatePoint {
                            skills: skills_of(j),
                            length: Length::of_days(days),
                            rate,
                            who: pay.member_id.clone(),
                        },
                    ));
                }
            }
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for (cur, _) in &seen {
                *counts.entry(cur.clone()).or_default() += 1;
            }
            let currency = wanted_currency.map(|c| c.code().to_string()).or_else(|| {
                counts
                    .iter()
                    .max_by_key(|(code, n)| (**n, std::cmp::Reverse((*code).clone())))
                    .map(|(code, _)| code.clone())
            });
            let points: Vec<RatePoint> = seen
                .into_iter()
                .filter(|(cur, _)| Some(cur) == currency.as_ref())
                .map(|(_, p)| p)
                .collect();
            let cells = heat_map(&points);
            let money = Currency::parse(currency.as_deref().unwrap_or("EUR")).ok();
            let show = |minor: i64| match money {
                Some(cur) => Money::new(minor, cur).display(),
                None => minor.to_string(),
            };
            let mut rows: BTreeMap<Option<String>, (usize, Vec<Option<RateCell>>)> =
                BTreeMap::new();
            for cell in cells {
                let row = rows
                    .entry(cell.skill_id.clone())
                    .or_insert_with(|| (0, vec![None; Length::ALL.len()]));
                row.0 += cell.rates as usize;
                let at = Length::ALL
                    .iter()
                    .position(|l| *l == cell.length)
                    .unwrap_or(0);
                row.1[at] = Some(RateCell {
                    median: show(cell.median),
                    range: format!("{} – {}", show(cell.p25), show(cell.p75)),
                    median_minor: cell.median,
                    p25_minor: cell.p25,
                    p75_minor: cell.p75,
                    rates: cell.rates,
                    people: cell.people,
                });
            }
            let every = rows.remove(&None);
            let mut by_count: Vec<(String, usize, Vec<Option<RateCell>>)> = rows
                .into_iter()
                .filter_map(|(id, (n, cells))| Some((id?, n, cells)))
                .collect();
            by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            by_count.truncate(ROWS);
            let ids: Vec<String> = by_count.iter().map(|r| r.0.clone()).collect();
            let labels: HashMap<String, String> =
                skills::labels_by_ids(c, &ids)?.into_iter().collect();
            let mut out: Vec<RateRow> = every
                .map(|(_, cells)| RateRow { skill: None, cells })
                .into_iter()
                .collect();
            out.extend(by_count.into_iter().map(|(id, _, cells)| RateRow {
                skill: Some(SkillRef {
                    label: labels.get(&id).cloned().unwrap_or_else(|| id.clone()),
                    id,
                }),
                cells,
            }));
            let occupation_ref = match &occupation {
                Some(id) => occupations::occupations()?
                    .into_iter()
                    .find(|o| &o.id == id),
                None => None,
            };
            Ok(RateMap {
                rates_read: u32::try_from(points.len()).unwrap_or(u32::MAX),
                currency: currency.unwrap_or_default(),
                currencies: counts.into_keys().collect(),
                lengths: Length::ALL.iter().map(|l| l.words().to_string()).collect(),
                rows: out,
                reference: match &occupation {
                    Some(id) => reference_of(id)?,
                    None => None,
                },
                occupation: occupation_ref,
            })
        })
    }
}
