//! Reputation as a pure function of evidence. Every figure is a Bayesian estimate: a prior that
//! says what a typical member looks like, updated by the member's own evidence, each piece
//! weighted down by its age (half-life decay). A newcomer therefore gets the prior with a wide
//! interval and the "new" label, never a zero. Every figure lists its formula's terms and the
//! log entries behind them.

use crate::events::Event;
use serde::Serialize;

/// One entry of the evidence log whose payload is kept, as reputation reads it.
#[derive(Clone, Debug)]
pub struct Evidence {
    /// Position in the log.
    pub index: u64,
    /// When (ms).
    pub at: i64,
    /// What happened.
    pub event: Event,
}

/// How figures are computed.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Evidence loses half its weight every this many days.
    pub half_life_days: f64,
    /// Below this much (decayed) evidence a figure carries the "new" label.
    pub new_below: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            half_life_days: 365.0,
            new_below: 3.0,
        }
    }
}

/// An offer answered within this long counts as a prompt answer for responsiveness.
pub const ANSWER_WITHIN_MS: i64 = 2 * 86_400_000;

/// The figures, in the order they are shown.
pub const FIGURES: [&str; 5] = [
    "on_time",
    "review_score",
    "completion",
    "responsiveness",
    "repeat_clients",
];

/// A term of a figure's formula, for its explanation.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Term {
    /// What it is.
    pub name: String,
    /// Its value.
    pub value: f64,
}

/// One reputation figure with its uncertainty and explanation.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figure {
    /// `on_time`, `review_score`, `completion`, `responsiveness` or `repeat_clients`.
    pub name: String,
    /// The estimate: a rate from 0 to 1, or a score from 1 to 5.
    pub value: f64,
    /// Lower end of the 90 % interval.
    pub low: f64,
    /// Upper end of the 90 % interval.
    pub high: f64,
    /// Too little evidence to say much: the estimate is mostly the prior.
    pub new: bool,
    /// The formula in words.
    pub formula: String,
    /// The formula's terms.
    pub terms: Vec<Term>,
    /// The log entries it was computed from.
    pub entries: Vec<u64>,
    /// How many pieces of evidence there are, each counted once, however old.
    pub count: u32,
    /// What they say before any prior or ageing: a share from 0 to 1 for a rate, the plain
    /// mean mark for reviews (0 when there is no evidence).
    pub observed: f64,
}

/// A figure's name in words.
pub fn figure_words(name: &str) -> &'static str {
    match name {
        "on_time" => "On-time delivery",
        "review_score" => "Review score",
        "completion" => "Contracts completed",
        "responsiveness" => "Offers answered within two days",
        "repeat_clients" => "Repeat clients",
        "trust" => "Trust per skill",
        _ => "Reputation figure",
    }
}

/// A figure's value in words: a share as a percentage, a review score out of 5.
pub fn value_words(figure: &Figure) -> String {
    if figure.name == "review_score" {
        format!("{:.1} of 5", figure.value)
    } else {
        format!("{:.0} %", figure.value * 100.0)
    }
}

/// Decayed weight of evidence from `at`, seen at `now`.
fn weight(at: i64, now: i64, s: &Settings) -> f64 {
    let age_days = ((now - at).max(0) as f64) / 86_400_000.0;
    0.5f64.powf(age_days / s.half_life_days)
}

/// A rate with a Beta(`a0`, `b0`) prior, updated with weighted successes and failures.
fn rate(name: &str, prior: (f64, f64), observations: &[(u64, f64, bool)], s: &Settings) -> Figure {
    let (a0, b0) = prior;
    // An empty float sum is -0.0; adding 0.0 makes it a plain zero for the explanation.
    let yes: f64 = observations
        .iter()
        .filter(|o| o.2)
        .map(|o| o.1)
        .sum::<f64>()
        + 0.0;
    let no: f64 = observations
        .iter()
        .filter(|o| !o.2)
        .map(|o| o.1)
        .sum::<f64>()
        + 0.0;
    let (a, b) = (a0 + yes, b0 + no);
    let mean = a / (a + b);
    // Normal approximation of the Beta posterior's 90 % interval, kept inside [0, 1].
    let sd = (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt();
    Figure {
        name: name.into(),
        value: mean,
        low: (mean - 1.645 * sd).max(0.0),
        high: (mean + 1.645 * sd).min(1.0),
        new: yes + no < s.new_below,
        formula: "(prior_yes + yes) / (prior_yes + prior_no + yes + no), each piece of evidence weighted 0.5^(age / half-life)".into(),
        terms: vec![
            Term { name: "prior_yes".into(), value: a0 },
            Term { name: "prior_no".into(), value: b0 },
            Term { name: "yes".into(), value: yes },
            Term { name: "no".into(), value: no },
            Term { name: "half_life_days".into(), value: s.half_life_days },
        ],
        entries: observations.iter().map(|o| o.0).collect(),
        count: observations.len() as u32,
        observed: if observations.is_empty() {
            0.0
        } else {
            observations.iter().filter(|o| o.2).count() as f64 / observations.len() as f64
        },
    }
}

/// The figures of the member with id `member`, from `evidence` (any order), as of `now`.
pub fn figures(member: &str, evidence: &[Evidence], now: i64, s: &Settings) -> Vec<Figure> {
    let mut on_time = Vec::new();
    let mut completion = Vec::new();
    let mut reviews: Vec<(u64, f64, f64)> = Vec::new();
    let mut clients: Vec<(String, u64)> = Vec::new();
    let mut answers = Vec::new();
    for e in evidence {
        let w = weight(e.at, now, s);
        match &e.event {
            // The first delivery of a milestone, by this member: on time or late.
            Event::MilestoneDelivered(d) if d.member == member && d.first => {
                if let Some(t) = d.on_time {
                    on_time.push((e.index, w, t));
                }
            }
            // An offer the member answered: within two days or not.
            Event::ContractStarted(o) | Event::OfferDeclined(o)
                if o.by.as_deref() == Some(member) && o.member == member =>
            {
                if let Some(offered) = o.offered_at {
                    answers.push((e.index, w, e.at - offered <= ANSWER_WITHIN_MS));
                }
            }
            Event::ContractCompleted(k) if k.member == member => {
                completion.push((e.index, w, true));
                clients.push((k.client.clone(), e.index));
            }
            Event::ContractCancelled(k) if k.member == member => {
                completion.push((e.index, w, false));
            }
            Event::ReviewRevealed(r) if r.subject == member && r.side == "client" => {
                reviews.push((e.index, w, f64::from(r.overall)));
            }
            _ => {}
        }
    }
    let mut out = vec![
        rate("on_time", (3.0, 1.0), &on_time, s),
        review_score(&reviews, s),
        rate("completion", (3.0, 1.0), &completion, s),
        rate("responsiveness", (3.0, 1.0), &answers, s),
    ];
    // Repeat clients: of the distinct clients who completed work with the member, how many did
    // so more than once.
    let mut distinct: Vec<(&str, Vec<u64>)> = Vec::new();
    for (client, index) in &clients {
        match distinct.iter_mut().find(|(c, _)| c == client) {
            Some((_, entries)) => entries.push(*index),
            None => distinct.push((client, vec![*index])),
        }
    }
    let repeat: Vec<(u64, f64, bool)> = distinct
        .iter()
        .map(|(_, entries)| (entries[0], 1.0, entries.len() > 1))
        .collect();
    let mut figure = rate("repeat_clients", (1.0, 3.0), &repeat, s);
    figure.entries = clients.iter().map(|(_, i)| *i).collect();
    out.push(figure);
    out
}

/// The mean overall mark clients gave, shrunk towards a prior mean of 4 with the weight of
/// three reviews.
fn review_score(reviews: &[(u64, f64, f64)], s: &Settings) -> Figure {
    let (prior_mean, prior_weight, spread) = (4.0, 3.0, 1.0);
    let w: f64 = reviews.iter().map(|r| r.1).sum::<f64>() + 0.0;
    let sum: f64 = reviews.iter().map(|r| r.1 * r.2).sum::<f64>() + 0.0;
    let mean = (prior_mean * prior_weight + sum) / (prior_weight + w);
    let half = 1.645 * spread / (prior_weight + w).sqrt();
    Figure {
        name: "review_score".into(),
        value: mean,
        low: (mean - half).max(1.0),
        high: (mean + half).min(5.0),
        new: w < s.new_below,
        formula: "(prior_mean × prior_weight + Σ weight × mark) / (prior_weight + Σ weight)".into(),
        terms: vec![
            Term {
                name: "prior_mean".into(),
                value: prior_mean,
            },
            Term {
                name: "prior_weight".into(),
                value: prior_weight,
            },
            Term {
                name: "sum_of_weights".into(),
                value: w,
            },
            Term {
                name: "weighted_sum_of_marks".into(),
                value: sum,
            },
            Term {
                name: "half_life_days".into(),
                value: s.half_life_days,
            },
        ],
        entries: reviews.iter().map(|r| r.0).collect(),
        count: reviews.len() as u32,
        observed: if reviews.is_empty() {
            0.0
        } else {
            reviews.iter().map(|r| r.2).sum::<f64>() / reviews.len() as f64
        },
    }
}
