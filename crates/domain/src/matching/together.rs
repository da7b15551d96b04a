//! Relatedness learned from what goes together: skills that members claim together, that jobs
//! ask for together, that occupations list together. The taxonomy knows few relations; what
//! people do on the instance knows many more.
//!
//! For a skill x, each skill y found with it in at least [`MIN_SUPPORT`] baskets (a member's
//! claims, a job's skills, an occupation's list) is scored by normalised pointwise mutual
//! information:
//!
//! ```text
//! npmi(x, y) = ln(p(x, y) / (p(x) · p(y))) / −ln p(x, y)
//! ```
//!
//! from −1 (never together) through 0 (as often as chance) to 1 (always together). Only
//! skills seen together more often than chance ([`MIN_NPMI`]) are kept.

use super::SkillNo;
use std::collections::HashMap;

/// Baskets two skills must share before their relatedness counts: fewer is chance.
pub const MIN_SUPPORT: u32 = 3;
/// The least npmi kept.
pub const MIN_NPMI: f64 = 0.1;

/// A skill found with another, and how strongly.
#[derive(Clone, Debug, PartialEq)]
pub struct Together {
    /// The other skill.
    pub skill: SkillNo,
    /// Normalised pointwise mutual information, [`MIN_NPMI`] to 1.
    pub npmi: f64,
    /// Baskets looked at that hold both.
    pub support: u32,
}

/// What is known of the baskets holding a skill x.
pub struct Baskets<'a, I> {
    /// The baskets holding x that were looked at (all of them, or an even sample), each as
    /// its other skills.
    pub holding_x: I,
    /// How many baskets hold x in all.
    pub x_count: u32,
    /// How many baskets hold a skill, in all.
    pub count_of: &'a dyn Fn(SkillNo) -> u32,
    /// How many baskets there are.
    pub total: u32,
}

/// The skills found with x most strongly, at most `keep`, strongest first (ties by skill
/// number).
pub fn found_with<I, B>(x: SkillNo, baskets: Baskets<'_, I>, keep: usize) -> Vec<Together>
where
    I: Iterator<Item = B>,
    B: IntoIterator<Item = SkillNo>,
{
    let mut with: HashMap<SkillNo, u32> = HashMap::new();
    let mut looked = 0u32;
    let mut others = Vec::new();
    for basket in baskets.holding_x {
        looked += 1;
        // A skill claimed twice in one basket is still one basket.
        others.clear();
        others.extend(basket.into_iter().filter(|y| *y != x));
        others.sort_unstable();
        others.dedup();
        for y in &others {
            *with.entry(*y).or_default() += 1;
        }
    }
    if looked == 0 || baskets.total == 0 {
        return Vec::new();
    }
    let total = f64::from(baskets.total);
    let p_x = f64::from(baskets.x_count) / total;
    let mut out: Vec<Together> = with
        .into_iter()
        .filter(|(_, n)| *n >= MIN_SUPPORT)
        .filter_map(|(y, n)| {
            let p_y = f64::from((baskets.count_of)(y).max(n)) / total;
            let p_xy = (f64::from(n) / f64::from(looked) * p_x).min(p_x.min(p_y));
            let npmi = if p_xy >= 1.0 {
                1.0
            } else {
                (p_xy / (p_x * p_y)).ln() / -p_xy.ln()
            };
            (npmi >= MIN_NPMI).then_some(Together {
                skill: y,
                npmi: npmi.min(1.0),
                support: n,
            })
        })
        .collect();
    out.sort_by(|a, b| b.npmi.total_cmp(&a.npmi).then(a.skill.cmp(&b.skill)));
    out.truncate(keep);
    out
}

/// Every skill's baskets counted once, for sources small enough to hold whole (jobs,
/// occupations).
#[derive(Clone, Debug, Default)]
pub struct Counts {
    baskets: Vec<Vec<SkillNo>>,
    holding: HashMap<SkillNo, Vec<u32>>,
}

impl Counts {
    /// Counts of `baskets` (each a set of skills; repeats within one are counted once).
    pub fn of(baskets: impl IntoIterator<Item = Vec<SkillNo>>) -> Counts {
        let mut counts = Counts::default();
        for mut basket in baskets {
            basket.sort_unstable();
            basket.dedup();
            let at = counts.baskets.len() as u32;
            for s in &basket {
                counts.holding.entry(*s).or_default().push(at);
            }
            counts.baskets.push(basket);
        }
        counts
    }

    /// How many baskets there are.
    pub fn len(&self) -> usize {
        self.baskets.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.baskets.is_empty()
    }

    /// The skills found with x most strongly, at most `keep`.
    pub fn found_with(&self, x: SkillNo, keep: usize) -> Vec<Together> {
        let Some(holding) = self.holding.get(&x) else {
            return Vec::new();
        };
        let count_of = |y: SkillNo| self.holding.get(&y).map_or(0, |h| h.len() as u32);
        found_with(
            x,
            Baskets {
                holding_x: holding
                    .iter()
                    .map(|b| self.baskets[*b as usize].iter().copied()),
                x_count: holding.len() as u32,
                count_of: &count_of,
                total: self.baskets.len() as u32,
            },
            keep,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_always_together_score_one_and_chance_scores_nothing() {
        // 1 and 2 always together; 3 and 4 each in half the baskets, independently of 1.
        let mut baskets = Vec::new();
        for i in 0..40u32 {
            let mut b = Vec::new();
            if i % 2 == 0 {
                b.extend([1, 2]);
            }
            if i % 4 < 2 {
                b.push(3);
            }
            if i % 4 == 1 || i % 4 == 2 {
                b.push(4);
            }
            baskets.push(b);
        }
        let counts = Counts::of(baskets);
        let with_1 = counts.found_with(1, 10);
        assert_eq!(with_1.len(), 1, "{with_1:?}");
        assert_eq!(with_1[0].skill, 2);
        assert!((with_1[0].npmi - 1.0).abs() < 1e-9, "{with_1:?}");
        assert_eq!(with_1[0].support, 20);
    }

    #[test]
    fn rare_pairs_are_chance() {
        let counts = Counts::of([vec![1, 2], vec![1, 2], vec![1], vec![2], vec![5]]);
        assert!(counts.found_with(1, 10).is_empty());
        let counts = Counts::of([vec![1, 2], vec![1, 2], vec![1, 2], vec![3], vec![4]]);
        assert_eq!(counts.found_with(2, 10)[0].skill, 1);
    }

    #[test]
    fn stronger_first_and_kept_to_the_limit() {
        // 7 goes with 1 in every basket; 8 in three of four; 9 in every basket of 1 but
        // also everywhere else, which is chance.
        let mut baskets = Vec::new();
        for i in 0..8u32 {
            baskets.push(if i % 4 == 3 {
                vec![1, 7, 9]
            } else {
                vec![1, 7, 8, 9]
            });
            baskets.push(vec![9, 100 + i]);
        }
        let counts = Counts::of(baskets);
        let found: Vec<SkillNo> = counts.found_with(1, 10).iter().map(|t| t.skill).collect();
        assert_eq!(found, vec![7, 8]);
        assert_eq!(counts.found_with(1, 1).len(), 1);
    }

    #[test]
    fn a_sample_of_baskets_estimates_the_same() {
        // Skill 1 in 1,000 of 10,000 baskets, 2 in half of those and nowhere else; every
        // tenth basket of 1 looked at.
        let count_of = |y: SkillNo| if y == 2 { 500 } else { 0 };
        let sample = (0..100u32).map(|i| if i % 2 == 0 { vec![1, 2] } else { vec![1] });
        let found = found_with(
            1,
            Baskets {
                holding_x: sample,
                x_count: 1000,
                count_of: &count_of,
                total: 10_000,
            },
            5,
        );
        assert_eq!(found.len(), 1);
        let exact = ((0.05f64) / (0.1 * 0.05)).ln() / -(0.05f64).ln();
        assert!(
            (found[0].npmi - exact).abs() < 1e-9,
            "{found:?} against {exact}"
        );
    }
}
