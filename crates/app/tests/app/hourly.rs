//! Hourly contracts on both databases: the client funds a week, the member logs time within
//! the cap, submits the week, and the approved hours are paid from its escrow with the rest
//! returned; an unanswered week is approved when the review period runs out; approved weeks
//! count as deliveries; funded weeks book the member's hours; either side ends the contract.

use guildhall_app::accounts::Account;
use guildhall_app::clock::ManualClock;
use guildhall_app::testing::{app_with_clock, member, operator};
use guildhall_app::work::hourly::{HourlyInput, TimeEntryInput};
use guildhall_app::work::{ContractView, OfferInput};
use guildhall_app::{App, AppError};
use guildhall_domain::contract::{ContractStatus, MilestoneStatus};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

const DAY: i64 = 24 * 3600 * 1000;
/// Monday 2026-03-02, 10:00 UTC.
const MONDAY: i64 = 1_772_409_600_000 + 10 * 3600 * 1000;

fn wallet(app: &App, who: &Account) -> i64 {
    app.work()
        .balances(who)
        .unwrap()
        .into_iter()
        .find(|b| b.kind == "wallet")
        .map_or(0, |b| b.minor)
}

fn hourly_offer(rate: i64, cap: i32) -> OfferInput {
    OfferInput {
        member: "worker".into(),
        title: "Data platform support".into(),
        currency: "EUR".into(),
        milestones: Vec::new(),
        community: None,
        referrer: None,
        hourly: Some(HourlyInput {
            rate,
            weekly_cap_hours: cap,
        }),
        learner: None,
    }
}

fn entry(day: &str, minutes: i32, note: &str) -> TimeEntryInput {
    TimeEntryInput {
        worked_on: day.into(),
        minutes,
        note: note.into(),
    }
}

fn field_error<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) -> String {
    match r {
        Err(AppError::Validation(e)) => {
            let text = format!("{e:?}");
            assert!(text.contains(field), "{field} in {text}");
            text
        }
        other => panic!("expected a field error on {field}, got {other:?}"),
    }
}

fn conflict<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(e @ AppError::Conflict { .. }) => e.to_string(),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

struct Hired {
    app: App,
    clock: Arc<ManualClock>,
    client: Account,
    worker: Account,
    k: ContractView,
}

/// An hourly contract at €45.00 an hour, at most 20 hours a week, accepted on Monday.
fn hired(db: &TestDb) -> Hired {
    let clock = Arc::new(ManualClock::at(MONDAY));
    let app = app_with_clock(db, clock.clone());
    let op = operator(&app, "operator");
    let client = member(&app, "client");
    let worker = member(&app, "worker");
    app.work()
        .confirm_deposit(&op, "client", Money::new(500_000, eur()), "seed")
        .unwrap();
    let k = app
        .work()
        .offer_contract(&client, hourly_offer(4_500, 20))
        .unwrap();
    let h = k.hourly.as_ref().unwrap();
    assert_eq!(
        (h.rate_display.as_str(), h.week_escrow_display.as_str()),
        ("€45.00", "€900.00")
    );
    assert!(k.milestones.is_empty());
    assert_eq!(
        k.shares.total, "€900.00",
        "the shares are shown for a full week"
    );
    app.work().answer_offer(&worker, &k.id, true).unwrap();
    Hired {
        app,
        clock,
        client,
        worker,
        k,
    }
}

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

#[test]
fn a_week_is_funded_logged_submitted_and_its_hours_paid() {
    for db in TestDb::all() {
        let Hired {
            app,
            client,
            worker,
            k,
            ..
        } = hired(&db);
        let work = app.work();
        // Time in a week nobody funded is refused.
        let unfunded = conflict(work.log_time(&worker, &k.id, &entry("2026-03-02", 60, "")));
        assert!(
            unfunded.contains("has not funded the week of 2026-03-02"),
            "{unfunded}"
        );
        assert!(matches!(
            work.fund_week(&worker, &k.id, "2026-03-02", "w1"),
            Err(AppError::Forbidden(_))
        ));
        field_error(
            work.fund_week(&client, &k.id, "2026-03-03", "w1"),
            "/week_of",
        );
        field_error(
            work.fund_week(&client, &k.id, "2026-02-16", "w1"),
            "/week_of",
        );
        let k = work.fund_week(&client, &k.id, "2026-03-02", "w1").unwrap();
        assert_eq!(wallet(&app, &client), 500_000 - 90_000);
        // The same key funds once; another key for the same week is refused.
        work.fund_week(&client, &k.id, "2026-03-02", "w1").unwrap();
        assert_eq!(wallet(&app, &client), 500_000 - 90_000);
        conflict(work.fund_week(&client, &k.id, "2026-03-02", "w2"));
        let week = &k.hourly.as_ref().unwrap().weeks[0];
        assert_eq!(
            (week.week_of.as_str(), week.week_to.as_str(), week.status),
            ("2026-03-02", "2026-03-08", MilestoneStatus::Funded)
        );

        // The member logs time: not in the future, not past the cap, only the member.
        assert!(matches!(
            work.log_time(&client, &k.id, &entry("2026-03-02", 60, "")),
            Err(AppError::Forbidden(_))
        ));
        field_error(
            work.log_time(&worker, &k.id, &entry("2026-03-05", 60, "")),
            "/worked_on",
        );
        field_error(
            work.log_time(&worker, &k.id, &entry("2026-03-02", 0, "")),
            "/minutes",
        );
        work.log_time(
            &worker,
            &k.id,
            &entry("2026-03-02", 90, "Tuned the nightly load"),
        )
        .unwrap();
        let k = work
            .log_time(&worker, &k.id, &entry("2026-03-03", 120, "Index review"))
            .unwrap();
        let over = field_error(
            work.log_time(&worker, &k.id, &entry("2026-03-03", 20 * 60 - 200, "")),
            "/minutes",
        );
        assert!(
            over.contains("weekly cap of 20 hours (3.5 logged"),
            "{over}"
        );
        let k = work
            .log_time(&worker, &k.id, &entry("2026-03-03", 30, "Oops"))
            .unwrap();
        let week = &k.hourly.as_ref().unwrap().weeks[0];
        assert_eq!((week.minutes, week.hours.as_str()), (240, "4"));
        let oops = week
            .entries
            .iter()
            .find(|e| e.note == "Oops")
            .unwrap()
            .id
            .clone();
        let k = work.remove_time(&worker, &k.id, &oops).unwrap();
        let week = k.hourly.as_ref().unwrap().weeks[0].clone();
        assert_eq!(
            (week.hours.as_str(), week.amount_display.as_str()),
            ("3.5", "€157.50")
        );

        // Submitted, the week waits for the client, with the day it is approved on its own.
        let k = work
            .submit_milestone(&worker, &k.id, &week.milestone)
            .unwrap();
        let week = k.hourly.as_ref().unwrap().weeks[0].clone();
        assert_eq!(week.status, MilestoneStatus::Submitted);
        assert_eq!(
            week.approved_automatically_on.as_deref(),
            Some("2026-03-16")
        );
        conflict(work.log_time(&worker, &k.id, &entry("2026-03-02", 30, "")));
        // Approved: 3.5 hours at €45.00 is €157.50 paid; the other €742.50 goes back.
        let k = work
            .accept_milestone(&client, &k.id, &week.milestone, "a1")
            .unwrap();
        assert_eq!(wallet(&app, &client), 500_000 - 15_750);
        assert_eq!(wallet(&app, &worker), 15_750 - 1_575);
        let week = &k.hourly.as_ref().unwrap().weeks[0];
        assert_eq!(
            (week.status, week.amount_display.as_str()),
            (MilestoneStatus::Released, "€157.50")
        );
        assert_eq!(
            k.status,
            ContractStatus::Active,
            "an hourly contract goes on"
        );
        assert!(app.work().audit_ledger().unwrap().is_sound());
    }
}

#[test]
fn an_unanswered_week_is_approved_and_weeks_count_as_deliveries() {
    for db in TestDb::all() {
        let Hired {
            app,
            clock,
            client,
            worker,
            k,
        } = hired(&db);
        let work = app.work();
        let k = work.fund_week(&client, &k.id, "2026-03-02", "w1").unwrap();
        clock.advance(2 * DAY);
        work.log_time(&worker, &k.id, &entry("2026-03-04", 8 * 60, "Migration"))
            .unwrap();
        let week = k.hourly.as_ref().unwrap().weeks[0].milestone.clone();
        work.log_time(&worker, &k.id, &entry("2026-03-04", 60, "Review"))
            .unwrap();
        let k = work.submit_milestone(&worker, &k.id, &week).unwrap();
        // The end of the contract waits for the week's answer.
        assert!(
            conflict(work.end_hourly_contract(&client, &k.id))
                .contains("answer the week of 2026-03-02")
        );
        clock.advance(14 * DAY);
        assert_eq!(work.release_due_milestones().unwrap(), 1);
        // Nine hours at €45.00: €405.00 paid, €495.00 back to the client.
        assert_eq!(wallet(&app, &worker), 40_500 - 4_050);
        assert_eq!(wallet(&app, &client), 500_000 - 40_500);
        // A second week funded and left empty goes back when the contract ends.
        let k = work.fund_week(&client, &k.id, "2026-03-16", "w2").unwrap();
        let k = work.end_hourly_contract(&worker, &k.id).unwrap();
        assert_eq!(k.status, ContractStatus::Completed);
        assert_eq!(wallet(&app, &client), 500_000 - 40_500);
        assert_eq!(
            k.hourly.as_ref().unwrap().weeks[1].status,
            MilestoneStatus::Refunded
        );
        assert!(app.work().audit_ledger().unwrap().is_sound());

        // The week was delivered on time (by the Wednesday after its Sunday) and paid: the
        // member's reputation counts it like a milestone.
        app.evidence().catch_up().unwrap();
        let figures = app.evidence().my_reputation(&worker).unwrap().figures;
        let on_time = figures.iter().find(|f| f.name == "on_time").unwrap();
        assert_eq!(on_time.entries.len(), 1, "{on_time:?}");
        let completion = figures.iter().find(|f| f.name == "completion").unwrap();
        assert_eq!(completion.entries.len(), 1, "{completion:?}");
    }
}

#[test]
fn funded_weeks_book_hours_and_terms_are_checked() {
    for db in TestDb::all() {
        let Hired {
            app,
            client,
            worker,
            k,
            ..
        } = hired(&db);
        let work = app.work();
        for (rate, cap, field) in [
            (4_500, 0, "/hourly/weekly_cap_hours"),
            (59, 10, "/hourly/rate"),
        ] {
            field_error(work.offer_contract(&client, hourly_offer(rate, cap)), field);
        }
        let mut both = hourly_offer(4_500, 10);
        both.milestones =
            guildhall_app::testing::one_milestone_offer("worker", "x", "2099-01-01").milestones;
        field_error(work.offer_contract(&client, both), "/milestones");

        app.availability()
            .set(&worker, crate::availability::pattern("private", 40))
            .unwrap();
        let booked = |app: &App| {
            app.availability()
                .free_time(Some(&worker), "worker", "2026-03-09", "2026-03-15")
                .unwrap()
                .weeks[0]
                .booked_hours
        };
        assert_eq!(booked(&app), Some(0.0));
        work.fund_week(&client, &k.id, "2026-03-09", "w1").unwrap();
        assert_eq!(booked(&app), Some(20.0), "a funded week books its cap");
        // A fixed contract cannot take weeks.
        let fixed = work
            .offer_contract(
                &client,
                guildhall_app::testing::one_milestone_offer("worker", "Audit", "2099-01-01"),
            )
            .unwrap();
        work.answer_offer(&worker, &fixed.id, true).unwrap();
        assert!(
            conflict(work.fund_week(&client, &fixed.id, "2026-03-09", "f1"))
                .contains("paid by milestones")
        );
    }
}

#[test]
fn a_job_paid_by_the_hour_hires_by_the_hour() {
    use guildhall_app::work::jobs::Pricing;
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(MONDAY)));
        let (client, worker) = (member(&app, "client"), member(&app, "worker"));
        let mut input = crate::jobs::job("Nightly load support", None);
        input.pricing = Pricing::Hourly;
        input.budget_min = 4_000;
        input.budget_max = 6_000;
        input.hours_per_week = Some(15);
        let posted = app.work().post_job(&client, input).unwrap();
        let proposed = app
            .work()
            .propose(&worker, &posted.id, crate::jobs::proposal(5_000))
            .unwrap();
        let k = app
            .work()
            .offer_from_proposal(&client, &proposed.id, Vec::new(), None)
            .unwrap();
        let h = k.hourly.expect("an hourly contract");
        assert_eq!((h.rate, h.weekly_cap_hours), (5_000, 15));
        assert!(k.milestones.is_empty());
    }
}

#[test]
fn twenty_concurrent_requests_fund_a_week_once_and_never_pass_the_cap() {
    for db in TestDb::all() {
        let Hired {
            app,
            clock,
            client,
            worker,
            k,
        } = hired(&db);
        // Twenty fundings of the same week with twenty keys: one moves money.
        let funded: usize = std::thread::scope(|s| {
            let tries: Vec<_> = (0..20)
                .map(|i| {
                    let (app, client, id) = (&app, &client, &k.id);
                    s.spawn(move || {
                        app.work()
                            .fund_week(client, id, "2026-03-02", &format!("w{i}"))
                            .is_ok()
                    })
                })
                .collect();
            tries
                .into_iter()
                .map(|t| usize::from(t.join().unwrap()))
                .sum()
        });
        assert_eq!(funded, 1);
        assert_eq!(wallet(&app, &client), 500_000 - 90_000);
        // Twenty entries of two hours into a 20-hour week: ten fit.
        clock.advance(DAY);
        let logged: usize = std::thread::scope(|s| {
            let tries: Vec<_> = (0..20)
                .map(|_| {
                    let (app, worker, id) = (&app, &worker, &k.id);
                    s.spawn(move || {
                        app.work()
                            .log_time(worker, id, &entry("2026-03-02", 120, "Pairing"))
                            .is_ok()
                    })
                })
                .collect();
            tries
                .into_iter()
                .map(|t| usize::from(t.join().unwrap()))
                .sum()
        });
        assert_eq!(logged, 10);
        let k = app.work().contract(&worker, &k.id).unwrap();
        assert_eq!(k.hourly.unwrap().weeks[0].minutes, 20 * 60);
        assert!(app.work().audit_ledger().unwrap().is_sound());
    }
}
