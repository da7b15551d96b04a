//! Member ownership: the points members earn in a community, and how a pool of money is shared
//! out in proportion to them. Pure, so the arithmetic is tested without a database.
//!
//! Points are earned by work paid through the community, referrals that were hired, mentoring
//! sessions both parties confirmed, and contributions a curator approved (learning resources
//! added, events organised). Pools are per currency, and so are work points: the pool of
//! euros is shared by everyone's other points plus the points of work paid in euros, since
//! that is the work that filled it.

use crate::money::Currency;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many points each kind of activity earns: one published table, shown to members.
pub const FORMULA: Formula = Formula {
    work_units_per_point: 10,
    referral_hired: 50,
    mentoring_session: 10,
    resource_added: 20,
    event_organised: 30,
};

/// The points table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Formula {
    /// Work earns one point per this many whole units of the currency paid (10 €, 10 $, 10 ¥).
    pub work_units_per_point: i64,
    /// Points for each member one referred who was hired through the community.
    pub referral_hired: i64,
    /// Points for each mentoring session given that both parties confirmed.
    pub mentoring_session: i64,
    /// Points for each learning resource added to the catalogue (and still in it).
    pub resource_added: i64,
    /// Points for each event organised (and not called off).
    pub event_organised: i64,
}

impl Formula {
    /// Points for `minor` units of `currency` paid for work, rounded down.
    pub fn work_points(&self, minor: i64, currency: Currency) -> i64 {
        let per_point =
            i128::from(self.work_units_per_point) * 10i128.pow(u32::from(currency.exponent()));
        (i128::from(minor.max(0)) / per_point) as i64
    }
}

/// One member's points over a period, by where they came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Points {
    /// Work points per currency code.
    pub work: BTreeMap<String, i64>,
    /// From referrals that were hired.
    pub referrals: i64,
    /// From mentoring sessions given.
    pub mentoring: i64,
    /// From curated contributions.
    pub contributions: i64,
}

impl Points {
    /// Points that count in every currency's pool.
    pub fn shared(&self) -> i64 {
        self.referrals + self.mentoring + self.contributions
    }

    /// The points that weigh in the pool of `currency`.
    pub fn in_pool(&self, currency: &str) -> i64 {
        self.shared() + self.work.get(currency).copied().unwrap_or(0)
    }

    /// Every point, whatever the currency: what perks ask for.
    pub fn total(&self) -> i64 {
        self.shared() + self.work.values().sum::<i64>()
    }
}

/// Shares `pool` minor units among `weights` in proportion, by largest remainder: each gets
/// the whole part of their exact quota, and the units left go one each to the largest
/// fractional parts (ties to the earlier key), so the parts sum to exactly `pool`. Keys with no
/// weight get nothing; with no weight at all, nothing is shared (the pool waits).
pub fn largest_remainder<K: Clone + Ord>(pool: i64, weights: &[(K, i64)]) -> Vec<(K, i64)> {
    let total: i128 = weights.iter().map(|(_, w)| i128::from((*w).max(0))).sum();
    if pool <= 0 || total == 0 {
        return Vec::new();
    }
    let mut parts: Vec<(K, i64, i128)> = weights
        .iter()
        .filter(|(_, w)| *w > 0)
        .map(|(k, w)| {
            let exact = i128::from(pool) * i128::from(*w);
            (k.clone(), (exact / total) as i64, exact % total)
        })
        .collect();
    let given: i64 = parts.iter().map(|(_, whole, _)| whole).sum();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        parts[b]
            .2
            .cmp(&parts[a].2)
            .then(parts[a].0.cmp(&parts[b].0))
    });
    for &i in order.iter().take((pool - given) as usize) {
        parts[i].1 += 1;
    }
    parts
        .into_iter()
        .filter(|(_, amount, _)| *amount > 0)
        .map(|(k, amount, _)| (k, amount))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_remainder_goes_to_the_largest_fractions() {
        // 100 among 1:1:1 is 33.33 each; the one unit left goes to the first key.
        let parts = largest_remainder(100, &[("a", 1), ("b", 1), ("c", 1)]);
        assert_eq!(parts, vec![("a", 34), ("b", 33), ("c", 33)]);
        // 10 among 5:3:2 is exact.
        let parts = largest_remainder(10, &[("a", 5), ("b", 3), ("c", 2)]);
        assert_eq!(parts, vec![("a", 5), ("b", 3), ("c", 2)]);
        // 7 among 6:3:1 is 4.2, 2.1, 0.7: the last unit goes to the 0.7.
        let parts = largest_remainder(7, &[("a", 6), ("b", 3), ("c", 1)]);
        assert_eq!(parts, vec![("a", 4), ("b", 2), ("c", 1)]);
        assert!(largest_remainder(10, &[("a", 0)]).is_empty());
        assert!(largest_remainder(0, &[("a", 4)]).is_empty());
    }

    #[test]
    fn work_points_count_whole_units_of_any_currency() {
        let eur = Currency::parse("EUR").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(FORMULA.work_points(123_456, eur), 123);
        assert_eq!(FORMULA.work_points(999, eur), 0);
        assert_eq!(FORMULA.work_points(12_345, jpy), 1_234);
        let mut p = Points {
            referrals: 50,
            ..Points::default()
        };
        p.work.insert("EUR".into(), 123);
        assert_eq!(p.in_pool("EUR"), 173);
        assert_eq!(p.in_pool("USD"), 50);
        assert_eq!(p.total(), 173);
    }

    proptest! {
        #[test]
        fn shares_sum_to_the_pool_and_stay_within_a_unit_of_the_quota(
            pool in 0i64..10_000_000_000_000,
            weights in proptest::collection::vec(0i64..1_000_000, 0..40),
        ) {
            let keyed: Vec<(usize, i64)> = weights.iter().copied().enumerate().collect();
            let parts = largest_remainder(pool, &keyed);
            let total: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            let given: i64 = parts.iter().map(|(_, a)| a).sum();
            if total == 0 {
                prop_assert!(parts.is_empty());
            } else {
                prop_assert_eq!(given, pool);
                for (k, amount) in &parts {
                    let exact = i128::from(pool) * i128::from(weights[*k]);
                    let floor = exact / total;
                    prop_assert!(i128::from(*amount) == floor || i128::from(*amount) == floor + 1);
                }
            }
        }
    }
}
