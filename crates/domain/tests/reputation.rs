//! Reputation figures from evidence: a newcomer gets the prior with a wide interval and the
//! "new" label, evidence narrows it, old evidence fades with the half-life, and each figure
//! names the entries behind it.

use guildhall_domain::events::{Event, MilestoneDelivered, OfferAnswered, ReviewRevealed};
use guildhall_domain::reputation::{Evidence, Figure, Settings, figures};

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_800_000_000_000;

fn delivered(index: u64, at: i64, member: &str, on_time: bool) -> Evidence {
    Evidence {
        index,
        at,
        event: Event::MilestoneDelivered(MilestoneDelivered {
            member: member.into(),
            contract: "k".into(),
            milestone: "m".into(),
            client: "client".into(),
            first: true,
            on_time: Some(on_time),
            due_on: "2027-01-15".into(),
            delivered_on: "2027-01-14".into(),
            amount: 10_000,
            currency: "EUR".into(),
            files: Vec::new(),
            mentor: None,
        }),
    }
}

fn review(index: u64, at: i64, member: &str, overall: i32) -> Evidence {
    Evidence {
        index,
        at,
        event: Event::ReviewRevealed(ReviewRevealed {
            contract: "k".into(),
            review: format!("r{index}"),
            author: "client".into(),
            subject: member.into(),
            side: "client".into(),
            overall,
            criteria: Default::default(),
            why: "both".into(),
        }),
    }
}

fn figure<'a>(all: &'a [Figure], name: &str) -> &'a Figure {
    all.iter().find(|f| f.name == name).unwrap()
}

#[test]
fn a_newcomer_gets_an_honest_wide_estimate_not_a_zero() {
    let all = figures("ana", &[], NOW, &Settings::default());
    for f in &all {
        assert!(f.new, "{f:?}");
        assert!(f.value > 0.0 && f.entries.is_empty(), "{f:?}");
        println!(
            "{}: {:.2} [{:.2}, {:.2}] new",
            f.name, f.value, f.low, f.high
        );
    }
    let on_time = figure(&all, "on_time");
    assert!((on_time.value - 0.75).abs() < 1e-9, "the prior's mean");
    assert!(on_time.high - on_time.low > 0.3, "wide: {on_time:?}");
    let score = figure(&all, "review_score");
    assert_eq!(score.value, 4.0);
    assert!(score.high - score.low > 1.5, "{score:?}");
    assert!(
        all.iter()
            .flat_map(|f| &f.terms)
            .all(|t| t.value.is_sign_positive()),
        "no negative zeros in the explanation"
    );
}

fn answered(index: u64, member: &str, actor: &str, waited_hours: i64) -> Evidence {
    let at = NOW - 10 * DAY;
    Evidence {
        index,
        at,
        event: Event::ContractStarted(OfferAnswered {
            by: Some(actor.into()),
            contract: format!("k{index}"),
            client: "client".into(),
            member: member.into(),
            data_member: Some(member.into()),
            offered_at: Some(at - waited_hours * 3_600_000),
            suspended: None,
            mentor: None,
        }),
    }
}

#[test]
fn responsiveness_counts_offers_the_member_answered_within_two_days() {
    let evidence = [
        answered(1, "ana", "ana", 3),
        answered(2, "ana", "ana", 47),
        answered(3, "ana", "ana", 49),
        answered(4, "ana", "ana", 120),
        // The client withdrew this offer: it says nothing about Ana.
        answered(5, "ana", "client", 200),
        answered(6, "bo", "bo", 1),
    ];
    let all = figures("ana", &evidence, NOW, &Settings::default());
    let r = figure(&all, "responsiveness");
    println!(
        "responsiveness: {:.3} [{:.3}, {:.3}]",
        r.value, r.low, r.high
    );
    assert_eq!(r.entries, vec![1, 2, 3, 4]);
    let w = 0.5f64.powf(10.0 / 365.0);
    let expected = (3.0 + 2.0 * w) / (4.0 + 4.0 * w);
    assert!((r.value - expected).abs() < 1e-9, "{r:?}");
}

#[test]
fn evidence_narrows_the_estimate_and_is_named() {
    let mut evidence: Vec<Evidence> = (0..12)
        .map(|i| delivered(i, NOW - i as i64 * DAY, "ana", i != 3))
        .collect();
    evidence.push(review(20, NOW - DAY, "ana", 5));
    evidence.push(review(21, NOW - DAY, "ana", 5));
    evidence.push(review(22, NOW - DAY, "ana", 4));
    evidence.push(delivered(30, NOW, "bob", false));
    let all = figures("ana", &evidence, NOW, &Settings::default());
    let on_time = figure(&all, "on_time");
    assert!(!on_time.new);
    assert!(on_time.value > 0.8 && on_time.value < 0.95, "{on_time:?}");
    assert!(on_time.high - on_time.low < 0.3, "{on_time:?}");
    assert_eq!(
        on_time.entries.len(),
        12,
        "bob's delivery is not ana's evidence"
    );
    assert!(
        on_time
            .terms
            .iter()
            .any(|t| t.name == "no" && t.value > 0.9 && t.value <= 1.0)
    );
    let score = figure(&all, "review_score");
    assert!(score.value > 4.2 && score.value < 4.7, "{score:?}");
    assert_eq!(score.entries, vec![20, 21, 22]);
}

#[test]
fn old_evidence_fades_with_the_half_life() {
    let settings = Settings {
        half_life_days: 100.0,
        ..Settings::default()
    };
    let late =
        |at: i64| -> Vec<Evidence> { (0..6).map(|i| delivered(i, at, "ana", false)).collect() };
    let fresh = figures("ana", &late(NOW), NOW, &settings);
    let old = figures("ana", &late(NOW - 300 * DAY), NOW, &settings);
    let (fresh, old) = (figure(&fresh, "on_time"), figure(&old, "on_time"));
    assert!(fresh.value < 0.45 && !fresh.new, "{fresh:?}");
    // Three half-lives: six late deliveries weigh 6/8, and the estimate is back near the prior.
    assert!(old.value > 0.6 && old.new, "{old:?}");
}
