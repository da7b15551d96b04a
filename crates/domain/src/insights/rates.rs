//! The heat map of rates: skills × how long the work runs, each cell the median hourly rate of
//! the jobs and contracts asking for the skill, with its interquartile range. A cell is shown
//! only when at least [`super::MIN_GROUP`] different people set the rates in it: a client for a
//! job's budget, a member for the rate they work at.

use super::shown_count;
use std::collections::{BTreeMap, BTreeSet};

/// How long a piece of work runs, from its first day to its last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Length {
    /// Two weeks or less.
    Weeks,
    /// Up to two months.
    Months,
    /// Up to six months.
    HalfYear,
    /// Longer.
    Longer,
}

impl Length {
    /// Every length, shortest first.
    pub const ALL: [Length; 4] = [
        Length::Weeks,
        Length::Months,
        Length::HalfYear,
        Length::Longer,
    ];

    /// The length of work running `days` days.
    pub fn of_days(days: i64) -> Length {
        match days {
            ..=14 => Length::Weeks,
            15..=61 => Length::Months,
            62..=183 => Length::HalfYear,
            _ => Length::Longer,
        }
    }

    /// In words, for a column.
    pub fn words(self) -> &'static str {
        match self {
            Length::Weeks => "up to 2 weeks",
            Length::Months => "2 weeks to 2 months",
            Length::HalfYear => "2 to 6 months",
            Length::Longer => "over 6 months",
        }
    }
}

/// One hourly rate seen: a job's budget or a contract's agreed pay, per hour.
#[derive(Clone, Debug, PartialEq)]
pub struct RatePoint {
    /// The skill ids the work asks for.
    pub skills: Vec<String>,
    /// How long it runs.
    pub length: Length,
    /// Per hour, in minor units.
    pub rate: i64,
    /// Who set the rate (a client or a member), so a cell counts people, not postings.
    pub who: String,
}

/// One cell of the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The skill; `None` for the row of every skill together.
    pub skill_id: Option<String>,
    /// How long the work runs.
    pub length: Length,
    /// The 25th percentile, minor units per hour.
    pub p25: i64,
    /// The median.
    pub median: i64,
    /// The 75th percentile.
    pub p75: i64,
    /// Rates in it.
    pub rates: u32,
    /// Different people who set them (at least five).
    pub people: u32,
}

/// The `q` quantile of sorted `values` by linear interpolation between closest ranks (the
/// method most tools use by default), rounded to a minor unit.
pub fn quantile(sorted: &[i64], q: f64) -> i64 {
    match sorted.len() {
        0 => 0,
        1 => sorted[0],
        n => {
            let at = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let (low, high) = (at.floor() as usize, at.ceil() as usize);
            let part = at - low as f64;
            (sorted[low] as f64 + (sorted[high] - sorted[low]) as f64 * part).round() as i64
        }
    }
}

/// The cells of `points` that at least five people make, a row per skill and one for every
/// skill together (each rate once), by skill then length.
pub fn heat_map(points: &[RatePoint]) -> Vec<Cell> {
    type Key = (Option<String>, Length);
    let mut cells: BTreeMap<Key, (Vec<i64>, BTreeSet<&str>)> = BTreeMap::new();
    for p in points {
        let skills: BTreeSet<&String> = p.skills.iter().collect();
        let keys = skills
            .into_iter()
            .map(|s| Some(s.clone()))
            .chain(std::iter::once(None));
        for skill in keys {
            let cell = cells.entry((skill, p.length)).or_default();
            cell.0.push(p.rate);
            cell.1.insert(&p.who);
        }
    }
    cells
        .into_iter()
        .filter_map(|((skill_id, length), (mut rates, people))| {
            let people = shown_count(people.len())?;
            rates.sort_unstable();
            Some(Cell {
                skill_id,
                length,
                p25: quantile(&rates, 0.25),
                median: quantile(&rates, 0.5),
                p75: quantile(&rates, 0.75),
                rates: u32::try_from(rates.len()).unwrap_or(u32::MAX),
                people,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(skills: &[&str], days: i64, rate: i64, who: &str) -> RatePoint {
        RatePoint {
            skills: skills.iter().map(|s| s.to_string()).collect(),
            length: Length::of_days(days),
            rate,
            who: who.into(),
        }
    }

    #[test]
    fn lengths_fall_in_their_columns() {
        assert_eq!(Length::of_days(1), Length::Weeks);
        assert_eq!(Length::of_days(14), Length::Weeks);
        assert_eq!(Length::of_days(15), Length::Months);
        assert_eq!(Length::of_days(90), Length::HalfYear);
        assert_eq!(Length::of_days(400), Length::Longer);
    }

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let v = [10, 20, 30, 40];
        assert_eq!(quantile(&v, 0.5), 25);
        assert_eq!(quantile(&v, 0.25), 18, "17.5 rounds up");
        assert_eq!(quantile(&v, 0.75), 33, "32.5 rounds up");
        assert_eq!(quantile(&[7], 0.9), 7);
        assert_eq!(quantile(&[], 0.5), 0);
    }

    #[test]
    fn cells_match_a_direct_computation_and_need_five_people() {
        let mut points = Vec::new();
        for (n, rate) in [6000, 7000, 8000, 9000, 10000, 11000].iter().enumerate() {
            points.push(point(&["sql", "sql"], 30, *rate, &format!("client{n}")));
        }
        // One person's many postings make one person: Figma's cell stays hidden.
        for rate in [5000, 5100, 5200, 5300, 5400] {
            points.push(point(&["figma"], 30, rate, "one-client"));
        }
        let map = heat_map(&points);
        let sql = map
            .iter()
            .find(|c| c.skill_id.as_deref() == Some("sql"))
            .unwrap();
        let mut direct: Vec<i64> = points
            .iter()
            .filter(|p| p.skills.contains(&"sql".to_string()))
            .map(|p| p.rate)
            .collect();
        direct.sort_unstable();
        assert_eq!(sql.median, quantile(&direct, 0.5));
        assert_eq!((sql.p25, sql.median, sql.p75), (7250, 8500, 9750));
        assert_eq!((sql.rates, sql.people, sql.length), (6, 6, Length::Months));
        assert!(map.iter().all(|c| c.skill_id.as_deref() != Some("figma")));
        let all = map.iter().find(|c| c.skill_id.is_none()).unwrap();
        assert_eq!(
            (all.rates, all.people),
            (11, 7),
            "every rate once, seven people"
        );
    }
}
