//! Contracts on both databases: the whole path with the release split, every illegal move
//! refused without side effects, automatic release with an injected clock across a restart,
//! and parallel requests funding and releasing one milestone.

use guildhall_app::accounts::Account;
use guildhall_app::clock::{Clock, ManualClock};
use guildhall_app::communities::CommunityInput;
use guildhall_app::testing::{app_with_clock, member, sign_up_input};
use guildhall_app::work::disputes::{DisputeInput, Resolution};
use guildhall_app::work::{ContractView, MilestoneInput, OfferInput};
use guildhall_app::{App, AppError};
use guildhall_domain::contract::{ContractStatus, MilestoneEvent, MilestoneStatus};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

const DAY: i64 = 24 * 3600 * 1000;
/// 2026-11-22T00:00:00Z.
const NOW: i64 = 1_795_305_600_000;

struct World {
    app: App,
    clock: Arc<ManualClock>,
    operator: Account,
    client: Account,
    worker: Account,
}

fn world(db: &TestDb) -> World {
    let clock = Arc::new(ManualClock::at(NOW));
    let app = app_with_clock(db, clock.clone());
    let operator = app
        .accounts()
        .create_account(
            guildhall_app::accounts::SignUp {
                email: "op@example.org".into(),
                ..sign_up_input("operator")
            },
            true,
        )
        .unwrap();
    let client = member(&app, "client");
    let worker = member(&app, "worker");
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(&operator, "client", Money::new(1_000_000, eur), "seed")
        .unwrap();
    World {
        app,
        clock,
        operator,
        client,
        worker,
    }
}

fn offer(
    w: &World,
    amounts: &[i64],
    community: Option<&str>,
    referrer: Option<&str>,
) -> ContractView {
    // Due nine days after the offer: on time unless the clock moves past it.
    let due_on = guildhall_domain::calendar::local_input(w.clock.now_millis() + 9 * DAY, "UTC")
        [..10]
        .to_string();
    let contract = w
        .app
        .work()
        .offer_contract(
            &w.client,
            OfferInput {
                member: "worker".into(),
                title: "Warehouse audit".into(),
                currency: "EUR".into(),
                milestones: amounts
                    .iter()
                    .enumerate()
                    .map(|(i, a)| MilestoneInput {
                        title: format!("Part {i}"),
                        amount: *a,
                        due_on: due_on.clone(),
                        by_learner: false,
                    })
                    .collect(),
                community: community.map(str::to_string),
                referrer: referrer.map(str::to_string),
                hourly: None,
                learner: None,
            },
        )
        .unwrap();
    w.app
        .work()
        .answer_offer(&w.worker, &contract.id, true)
        .unwrap()
}

fn wallet(app: &App, who: &Account, kind: &str) -> i64 {
    app.work()
        .balances(who)
        .unwrap()
        .into_iter()
        .find(|b| b.kind == kind)
        .map_or(0, |b| b.minor)
}

fn events(db: &TestDb) -> i64 {
    guildhall_store::repo::events::count(&mut db.pool().get().unwrap()).unwrap()
}

#[test]
fn the_whole_path_pays_the_member_and_splits_the_shares() {
    for db in TestDb::all() {
        let w = world(&db);
        let referrer = member(&w.app, "referrer");
        w.app
            .communities()
            .create_community(
                &w.client,
                CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        w.app
            .communities()
            .join_community(&w.worker, "data-guild")
            .unwrap();
        // The referrer pointed the worker to one of the client's jobs, so a direct offer may
        // name them.
        let job = w
            .app
            .work()
            .post_job(&w.client, crate::jobs::job("Warehouse audit", None))
            .unwrap();
        w.app
            .work()
            .refer(&referrer, &job.id, "worker", "Audited ours")
            .unwrap();
        let k = offer(&w, &[100_000, 50_000], Some("data-guild"), Some("referrer"));
        assert_eq!(k.status, ContractStatus::Active);
        let (m0, m1) = (k.milestones[0].id.clone(), k.milestones[1].id.clone());

        w.app
            .work()
            .fund_milestone(&w.client, &k.id, &m0, "f0")
            .unwrap();
        assert_eq!(wallet(&w.app, &w.client, "wallet"), 900_000);
        let k1 = w
            .app
            .work()
            .submit_milestone(&w.worker, &k.id, &m0)
            .unwrap();
        assert_eq!(k1.milestones[0].on_time, Some(true));
        assert_eq!(k1.milestones[0].auto_release_at, Some(NOW + 14 * DAY));
        let k2 = w
            .app
            .work()
            .accept_milestone(&w.client, &k.id, &m0, "a0")
            .unwrap();
        assert_eq!(k2.milestones[0].status, MilestoneStatus::Released);
        // 10 % fee, 2.5 % community, 5 % referral; the member gets the rest.
        assert_eq!(wallet(&w.app, &w.worker, "wallet"), 82_500);
        assert_eq!(wallet(&w.app, &referrer, "referral_rewards"), 5_000);

        // The second milestone is delivered late, after a change request.
        w.app
            .work()
            .fund_milestone(&w.client, &k.id, &m1, "f1")
            .unwrap();
        w.clock.advance(20 * DAY);
        w.app
            .work()
            .submit_milestone(&w.worker, &k.id, &m1)
            .unwrap();
        let k3 = w
            .app
            .work()
            .request_changes(&w.client, &k.id, &m1, "Add the index report")
            .unwrap();
        assert_eq!(k3.milestones[1].auto_release_at, None);
        let k4 = w
            .app
            .work()
            .submit_milestone(&w.worker, &k.id, &m1)
            .unwrap();
        assert_eq!(
            k4.milestones[1].on_time,
            Some(false),
            "late is recorded once"
        );
        let done = w
            .app
            .work()
            .accept_milestone(&w.client, &k.id, &m1, "a1")
            .unwrap();
        assert_eq!(done.status, ContractStatus::Completed);
        assert_eq!(wallet(&w.app, &w.worker, "wallet"), 82_500 + 41_250);
        let audit = w.app.work().audit_ledger().unwrap();
        assert!(audit.is_sound());
        assert_eq!(audit.inside["EUR"], 1_000_000, "no money made or lost");

        let types: Vec<String> = w
            .app
            .accounts()
            .my_events(w.worker.id, &Default::default())
            .unwrap()
            .items
            .into_iter()
            .map(|e| e.event_type)
            .collect();
        for t in ["work.milestone_delivered", "work.contract_started"] {
            assert!(types.iter().any(|x| x == t), "{t} in {types:?}");
        }
    }
}

/// Brings a fresh one-milestone contract's milestone to `state`.
fn at_state(w: &World, state: MilestoneStatus, n: usize) -> (String, String) {
    let k = offer(w, &[10_000], None, None);
    let m = k.milestones[0].id.clone();
    let steps: &[MilestoneEvent] = match state {
        MilestoneStatus::Pending => &[],
        MilestoneStatus::Funded => &[MilestoneEvent::Fund],
        MilestoneStatus::Submitted => &[MilestoneEvent::Fund, MilestoneEvent::Submit],
        MilestoneStatus::ChangesRequested => &[
            MilestoneEvent::Fund,
            MilestoneEvent::Submit,
            MilestoneEvent::RequestChanges,
        ],
        MilestoneStatus::Released => &[
            MilestoneEvent::Fund,
            MilestoneEvent::Submit,
            MilestoneEvent::Accept,
        ],
        _ => unreachable!(),
    };
    for step in steps {
        do_event(w, &k.id, &m, *step, &format!("setup-{n}")).unwrap();
    }
    (k.id, m)
}

fn do_event(
    w: &World,
    k: &str,
    m: &str,
    event: MilestoneEvent,
    key: &str,
) -> Result<ContractView, AppError> {
    match event {
        MilestoneEvent::Fund => w
            .app
            .work()
            .fund_milestone(&w.client, k, m, &format!("{key}-f")),
        MilestoneEvent::Submit => w.app.work().submit_milestone(&w.worker, k, m),
        MilestoneEvent::Accept => {
            w.app
                .work()
                .accept_milestone(&w.client, k, m, &format!("{key}-a"))
        }
        MilestoneEvent::RequestChanges => w.app.work().request_changes(&w.client, k, m, "again"),
        _ => unreachable!(),
    }
}

#[test]
fn every_illegal_move_is_refused_without_side_effects() {
    for db in TestDb::all() {
        let w = world(&db);
        let mut n = 0;
        for state in [
            MilestoneStatus::Pending,
            MilestoneStatus::Funded,
            MilestoneStatus::Submitted,
            MilestoneStatus::ChangesRequested,
            MilestoneStatus::Released,
        ] {
            for event in [
                MilestoneEvent::Fund,
                MilestoneEvent::Submit,
                MilestoneEvent::Accept,
                MilestoneEvent::RequestChanges,
            ] {
                n += 1;
                let (k, m) = at_state(&w, state, n);
                let before = (events(&db), w.app.work().audit_ledger().unwrap());
                let result = do_event(&w, &k, &m, event, &format!("try-{n}"));
                let allowed = state.next(event).is_ok();
                assert_eq!(result.is_ok(), allowed, "{state:?} + {event:?}: {result:?}");
                if !allowed {
                    let Err(AppError::Conflict { message, .. }) = &result else {
                        panic!("{state:?} + {event:?}: {result:?}")
                    };
                    // A released last milestone completed its contract, which then refuses
                    // every move; otherwise the milestone's own state does.
                    assert!(
                        message.starts_with("a milestone cannot")
                            || message == "the contract is completed, not active",
                        "{message}"
                    );
                    assert_eq!((events(&db), w.app.work().audit_ledger().unwrap()), before);
                }
            }
        }
        // The wrong side, and moves on a contract that is not active, are refused too.
        let (k, m) = at_state(&w, MilestoneStatus::Funded, 99);
        assert!(matches!(
            w.app.work().submit_milestone(&w.client, &k, &m),
            Err(AppError::Forbidden(_))
        ));
        let stranger = member(&w.app, "stranger");
        assert!(matches!(
            w.app.work().fund_milestone(&stranger, &k, &m, "s"),
            Err(AppError::NotFound)
        ));
        let cancelled = w
            .app
            .work()
            .cancel_contract(&w.worker, &k, "Client went quiet")
            .unwrap();
        assert_eq!(cancelled.milestones[0].status, MilestoneStatus::Refunded);
        assert!(matches!(
            w.app.work().submit_milestone(&w.worker, &k, &m),
            Err(AppError::Conflict { .. })
        ));
        assert!(matches!(
            w.app.work().cancel_contract(&w.worker, &k, "again"),
            Err(AppError::Conflict { .. })
        ));
        let audit = w.app.work().audit_ledger().unwrap();
        assert!(audit.is_sound());
    }
}

#[test]
fn unanswered_deliveries_are_released_after_the_review_period_even_across_a_restart() {
    for db in TestDb::all() {
        let w = world(&db);
        let k = offer(&w, &[20_000], None, None);
        let m = k.milestones[0].id.clone();
        w.app
            .work()
            .fund_milestone(&w.client, &k.id, &m, "f")
            .unwrap();
        w.app.work().submit_milestone(&w.worker, &k.id, &m).unwrap();
        w.clock.advance(13 * DAY);
        assert_eq!(w.app.work().release_due_milestones().unwrap(), 0, "not yet");
        // A new process on the same database, with time moving on.
        let restarted = app_with_clock(&db, w.clock.clone());
        drop(w.app);
        w.clock.advance(DAY + 1);
        assert_eq!(restarted.work().release_due_milestones().unwrap(), 1);
        assert_eq!(
            restarted.work().release_due_milestones().unwrap(),
            0,
            "only once"
        );
        let view = restarted.work().contract(&w.worker, &k.id).unwrap();
        assert_eq!(view.milestones[0].status, MilestoneStatus::Released);
        assert_eq!(view.status, ContractStatus::Completed);
        assert_eq!(wallet(&restarted, &w.worker, "wallet"), 18_000);
    }
}

#[test]
fn parallel_funding_and_release_of_one_milestone_move_money_once() {
    for db in TestDb::all() {
        let w = world(&db);
        let k = offer(&w, &[30_000], None, None);
        let m = k.milestones[0].id.clone();
        for same_key in [true, false] {
            let key = |i: usize| {
                if same_key {
                    "fund".to_string()
                } else {
                    format!("fund-{i}")
                }
            };
            let k2 = if same_key {
                k.clone()
            } else {
                offer(&w, &[30_000], None, None)
            };
            let m2 = if same_key {
                m.clone()
            } else {
                k2.milestones[0].id.clone()
            };
            let results: Vec<_> = std::thread::scope(|s| {
                let hs: Vec<_> = (0..8)
                    .map(|i| {
                        let (w, k2, m2, key) = (&w, &k2, &m2, key(i));
                        s.spawn(move || w.app.work().fund_milestone(&w.client, &k2.id, m2, &key))
                    })
                    .collect();
                hs.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let ok = results.iter().filter(|r| r.is_ok()).count();
            if same_key {
                assert_eq!(ok, 8, "replays answer like the first: {results:?}");
            } else {
                assert_eq!(ok, 1, "{results:?}");
            }
            assert!(
                results
                    .iter()
                    .all(|r| r.is_ok() || matches!(r, Err(AppError::Conflict { .. })))
            );
        }
        assert_eq!(wallet(&w.app, &w.client, "wallet"), 1_000_000 - 60_000);

        w.app.work().submit_milestone(&w.worker, &k.id, &m).unwrap();
        let results: Vec<_> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|i| {
                    let (w, k, m) = (&w, &k, &m);
                    s.spawn(move || {
                        let key = if i % 2 == 0 {
                            "accept".to_string()
                        } else {
                            format!("accept-{i}")
                        };
                        w.app.work().accept_milestone(&w.client, &k.id, m, &key)
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results.iter().any(Result::is_ok), "{results:?}");
        assert_eq!(wallet(&w.app, &w.worker, "wallet"), 27_000, "released once");
        let audit = w.app.work().audit_ledger().unwrap();
        assert!(audit.is_sound());
        assert_eq!(audit.inside["EUR"], 1_000_000);
    }
}

#[test]
fn reviews_are_double_blind_until_both_are_in_or_time_passes() {
    use guildhall_app::work::reviews::ReviewInput;
    for db in TestDb::all() {
        let w = world(&db);
        let review = |overall: i32, criteria: &[(&str, i32)]| ReviewInput {
            overall,
            criteria: criteria.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            text: "Solid work".into(),
        };
        // Two completed contracts.
        let mut done = Vec::new();
        for n in 0..2 {
            let k = offer(&w, &[10_000], None, None);
            let m = k.milestones[0].id.clone();
            w.app
                .work()
                .fund_milestone(&w.client, &k.id, &m, &format!("f{n}"))
                .unwrap();
            assert!(
                matches!(
                    w.app.work().write_review(&w.client, &k.id, review(5, &[])),
                    Err(AppError::Conflict { .. })
                ),
                "not before completion"
            );
            w.app.work().submit_milestone(&w.worker, &k.id, &m).unwrap();
            w.app
                .work()
                .accept_milestone(&w.client, &k.id, &m, &format!("a{n}"))
                .unwrap();
            done.push(k.id);
        }
        let bad = w
            .app
            .work()
            .write_review(&w.client, &done[0], review(6, &[("payment", 5)]));
        let Err(AppError::Validation(e)) = bad else {
            panic!("{bad:?}")
        };
        assert_eq!(e.0.len(), 2, "{e}");

        // Both sides review the first: both are revealed at once.
        let mine = w
            .app
            .work()
            .write_review(&w.client, &done[0], review(5, &[("quality", 5)]))
            .unwrap();
        assert!(mine.theirs.is_none() && !mine.theirs_written);
        let seen_by_worker = w.app.work().contract_reviews(&w.worker, &done[0]).unwrap();
        assert!(
            seen_by_worker.theirs_written && seen_by_worker.theirs.is_none(),
            "blind"
        );
        let both = w
            .app
            .work()
            .write_review(&w.worker, &done[0], review(4, &[("payment", 5)]))
            .unwrap();
        assert_eq!(both.theirs.unwrap().overall, 5);
        assert!(matches!(
            w.app
                .work()
                .write_review(&w.worker, &done[0], review(1, &[])),
            Err(AppError::Conflict { .. })
        ));

        // Only the client reviews the second: revealed after 14 days by the background job.
        w.app
            .work()
            .write_review(&w.client, &done[1], review(3, &[]))
            .unwrap();
        assert_eq!(
            w.app
                .work()
                .reviews_about("worker", Some(&w.worker))
                .unwrap()
                .len(),
            1
        );
        w.clock.advance(13 * DAY);
        assert_eq!(w.app.work().reveal_due_reviews().unwrap(), 0);
        w.clock.advance(DAY);
        assert_eq!(w.app.work().reveal_due_reviews().unwrap(), 1);
        assert_eq!(
            w.app
                .work()
                .reviews_about("worker", Some(&w.worker))
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            w.app
                .work()
                .contract_reviews(&w.worker, &done[1])
                .unwrap()
                .theirs
                .unwrap()
                .overall,
            3
        );
    }
}

#[test]
fn statements_show_earnings_and_spending_per_period_and_as_csv() {
    for db in TestDb::all() {
        let w = world(&db);
        let k = offer(&w, &[100_000, 40_000], None, None);
        let (m0, m1) = (k.milestones[0].id.clone(), k.milestones[1].id.clone());
        w.app
            .work()
            .fund_milestone(&w.client, &k.id, &m0, "f0")
            .unwrap();
        w.app
            .work()
            .submit_milestone(&w.worker, &k.id, &m0)
            .unwrap();
        w.app
            .work()
            .accept_milestone(&w.client, &k.id, &m0, "a0")
            .unwrap();
        // The next month: the second milestone is funded, then the contract is cancelled.
        w.clock.advance(31 * DAY);
        w.app
            .work()
            .fund_milestone(&w.client, &k.id, &m1, "f1")
            .unwrap();
        w.app
            .work()
            .cancel_contract(&w.client, &k.id, "Scope changed")
            .unwrap();

        let november = w
            .app
            .work()
            .statement(&w.worker, "2026-11-01", "2026-11-30")
            .unwrap();
        assert_eq!(november.lines.len(), 1);
        assert_eq!(november.totals[0].earned, 90_000);
        let december = w
            .app
            .work()
            .statement(&w.client, "2026-12-01", "2026-12-31")
            .unwrap();
        let t = &december.totals[0];
        assert_eq!((t.spent, t.refunded, t.deposited), (40_000, 40_000, 0));
        let all = w
            .app
            .work()
            .statement(&w.client, "2026-11-01", "2026-12-31")
            .unwrap();
        assert_eq!(all.totals[0].spent, 140_000);
        assert_eq!(all.totals[0].deposited, 1_000_000);
        let csv = all.to_csv().unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("date,transaction,kind,account,contract,amount_minor,currency,amount")
        );
        assert_eq!(lines.count(), all.lines.len());
        assert!(
            csv.contains(",fund,wallet,") && csv.contains("-1000.00 EUR"),
            "{csv}"
        );
        assert!(matches!(
            w.app
                .work()
                .statement(&w.client, "2026-12-31", "2026-12-01"),
            Err(AppError::Validation(_))
        ));
    }
}

#[test]
fn a_key_used_for_one_milestone_step_is_refused_for_another_and_nothing_moves() {
    for db in TestDb::all() {
        let w = world(&db);
        let k = offer(&w, &[30_000, 20_000], None, None);
        let (first, second) = (&k.milestones[0].id, &k.milestones[1].id);
        let work = w.app.work();
        work.fund_milestone(&w.client, &k.id, first, "k-1").unwrap();
        let events_before = events(&db);
        // Funding the second milestone passes every check of its own, so only the key refuses.
        let reused = work.fund_milestone(&w.client, &k.id, second, "k-1");
        assert!(
            matches!(&reused, Err(AppError::Conflict { field: Some(f), .. }) if f == "/idempotency_key"),
            "{reused:?}"
        );
        assert_eq!(wallet(&w.app, &w.client, "wallet"), 1_000_000 - 30_000);
        assert_eq!(events(&db), events_before, "nothing recorded");
        let stood = work.contract(&w.client, &k.id).unwrap();
        assert_eq!(stood.milestones[1].status, MilestoneStatus::Pending);
        // A key of a funding is not one of a release either; a replay still answers as the first.
        work.submit_milestone(&w.worker, &k.id, first).unwrap();
        conflict(work.accept_milestone(&w.client, &k.id, first, "k-1"));
        work.accept_milestone(&w.client, &k.id, first, "a-1")
            .unwrap();
        let again = work
            .accept_milestone(&w.client, &k.id, first, "a-1")
            .unwrap();
        assert_eq!(again.milestones[0].status, MilestoneStatus::Released);
        let again = work.fund_milestone(&w.client, &k.id, first, "k-1").unwrap();
        assert_eq!(again.milestones[0].status, MilestoneStatus::Released);
        assert!(work.audit_ledger().unwrap().is_sound());
    }
}

fn resolution(member_amount: i64) -> Resolution {
    Resolution {
        member_amount,
        note: "Weighed both sides' evidence".into(),
    }
}

fn conflict<T: std::fmt::Debug>(r: Result<T, AppError>) {
    assert!(matches!(r, Err(AppError::Conflict { .. })), "{r:?}");
}

#[test]
fn a_dispute_stops_the_contract_until_an_operator_splits_the_escrow() {
    for db in TestDb::all() {
        let w = world(&db);
        let k = offer(&w, &[100_000, 50_000], None, None);
        let (m0, m1) = (k.milestones[0].id.clone(), k.milestones[1].id.clone());
        w.app
            .work()
            .fund_milestone(&w.client, &k.id, &m0, "f0")
            .unwrap();
        w.app
            .work()
            .submit_milestone(&w.worker, &k.id, &m0)
            .unwrap();
        let dispute = |m: &str, reason: &str| {
            w.app.work().open_dispute(
                &w.worker,
                &k.id,
                DisputeInput {
                    milestone: m.into(),
                    reason: reason.into(),
                },
            )
        };
        assert!(matches!(dispute(&m0, "no"), Err(AppError::Validation(_))));
        conflict(dispute(&m1, "Nothing is in escrow for this one yet"));
        let v = dispute(&m0, "Delivered on time; the client stopped answering").unwrap();
        assert_eq!(v.status, ContractStatus::Disputed);
        assert_eq!(v.disputes.len(), 1);
        assert_eq!(v.disputes[0].opened_by, "worker");
        let d = v.disputes[0].id.clone();

        // Nothing moves while it is disputed, and no one can cancel their way out.
        conflict(w.app.work().accept_milestone(&w.client, &k.id, &m0, "a0"));
        conflict(w.app.work().fund_milestone(&w.client, &k.id, &m1, "f1"));
        conflict(w.app.work().cancel_contract(&w.client, &k.id, "Leaving"));
        conflict(dispute(&m0, "A second dispute on the same contract"));
        w.clock.advance(30 * DAY);
        assert_eq!(w.app.work().release_due_milestones().unwrap(), 0);

        // Only operators resolve, and never for more than the escrow.
        assert!(matches!(
            w.app
                .work()
                .resolve_dispute(&w.client, &d, resolution(100_000), "r0"),
            Err(AppError::Forbidden(_))
        ));
        let before = (events(&db), w.app.work().audit_ledger().unwrap());
        assert!(matches!(
            w.app
                .work()
                .resolve_dispute(&w.operator, &d, resolution(100_001), "r0"),
            Err(AppError::Validation(_))
        ));
        // Text that is not a dispute id names no dispute.
        assert!(matches!(
            w.app
                .work()
                .resolve_dispute(&w.operator, "d-1", resolution(60_000), "r0"),
            Err(AppError::NotFound)
        ));
        assert_eq!((events(&db), w.app.work().audit_ledger().unwrap()), before);

        // 60 % to the member (fee split off), 40 % back to the client; a replay moves nothing.
        let client_before = wallet(&w.app, &w.client, "wallet");
        for _ in 0..2 {
            let v = w
                .app
                .work()
                .resolve_dispute(&w.operator, &d, resolution(60_000), "r1")
                .unwrap();
            assert_eq!(v.status, ContractStatus::Active);
            assert_eq!(v.milestones[0].status, MilestoneStatus::Released);
            assert_eq!(v.disputes[0].member_amount, Some(60_000));
            assert_eq!(wallet(&w.app, &w.client, "wallet"), client_before + 40_000);
            assert_eq!(wallet(&w.app, &w.worker, "wallet"), 54_000);
        }
        conflict(
            w.app
                .work()
                .resolve_dispute(&w.operator, &d, resolution(60_000), "r2"),
        );

        // Work goes on, and the contract completes with its last milestone.
        w.app
            .work()
            .fund_milestone(&w.client, &k.id, &m1, "f1")
            .unwrap();
        w.app
            .work()
            .submit_milestone(&w.worker, &k.id, &m1)
            .unwrap();
        let v = w
            .app
            .work()
            .accept_milestone(&w.client, &k.id, &m1, "a1")
            .unwrap();
        assert_eq!(v.status, ContractStatus::Completed);

        // Resolving wholly for the client refunds the escrow.
        let k = offer(&w, &[30_000], None, None);
        let m = k.milestones[0].id.clone();
        w.app
            .work()
            .fund_milestone(&w.client, &k.id, &m, "f2")
            .unwrap();
        let before = wallet(&w.app, &w.client, "wallet");
        let d = w
            .app
            .work()
            .open_dispute(
                &w.client,
                &k.id,
                DisputeInput {
                    milestone: m.clone(),
                    reason: "The member never started the work".into(),
                },
            )
            .unwrap()
            .disputes[0]
            .id
            .clone();
        let open = w.app.work().open_disputes(&w.operator).unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].amount, 30_000);
        let v = w
            .app
            .work()
            .resolve_dispute(&w.operator, &d, resolution(0), "r3")
            .unwrap();
        assert_eq!(v.milestones[0].status, MilestoneStatus::Refunded);
        assert_eq!(wallet(&w.app, &w.client, "wallet"), before + 30_000);
        assert!(w.app.work().open_disputes(&w.operator).unwrap().is_empty());
        let audit = w.app.work().audit_ledger().unwrap();
        assert!(audit.is_sound());
    }
}

#[test]
fn a_deposit_whose_stored_status_or_currency_is_unreadable_is_refused_not_guessed() {
    for db in TestDb::all() {
        let w = world(&db);
        let eur = Currency::parse("EUR").unwrap();
        let d = w
            .app
            .work()
            .request_deposit(&w.worker, Money::new(2_500, eur))
            .unwrap();
        let corrupt = |sql: String| guildhall_app::testing::execute(&w.app, &sql);
        corrupt(format!(
            "UPDATE deposit_requests SET status = 'on hold' WHERE id = '{}'",
            d.id
        ));
        let refused = w.app.work().my_deposits(&w.worker).unwrap_err();
        assert!(
            refused.to_string().contains("deposit status"),
            "the error names what is unreadable: {refused}"
        );
        // Nothing moves on a value this version cannot read: the deposit is not confirmed.
        assert!(
            w.app
                .work()
                .confirm_deposit_request(&w.operator, &d.id, "k")
                .is_err()
        );
        corrupt(format!(
            "UPDATE deposit_requests SET status = 'pending', currency = 'XXQ' WHERE id = '{}'",
            d.id
        ));
        let refused = w.app.work().my_deposits(&w.worker).unwrap_err();
        assert!(refused.to_string().contains("currency"), "{refused}");
    }
}

#[test]
fn deposits_are_credited_once_an_operator_confirms_the_money_arrived() {
    for db in TestDb::all() {
        let w = world(&db);
        let eur = Currency::parse("EUR").unwrap();
        let d = w
            .app
            .work()
            .request_deposit(&w.worker, Money::new(25_000, eur))
            .unwrap();
        assert_eq!(d.status, "pending");
        assert!(d.instructions.contains(&d.reference) && d.reference.starts_with("GH-"));
        assert_eq!(
            wallet(&w.app, &w.worker, "wallet"),
            0,
            "not before confirmation"
        );
        assert!(matches!(
            w.app.work().pending_deposits(&w.worker),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            w.app.work().confirm_deposit_request(&w.worker, &d.id, "c0"),
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(w.app.work().pending_deposits(&w.operator).unwrap().len(), 1);
        let first = w
            .app
            .work()
            .confirm_deposit_request(&w.operator, &d.id, "c1")
            .unwrap();
        let again = w
            .app
            .work()
            .confirm_deposit_request(&w.operator, &d.id, "c1")
            .unwrap();
        assert_eq!(first.transaction_id, again.transaction_id);
        assert!(again.replayed && !first.replayed);
        assert_eq!(wallet(&w.app, &w.worker, "wallet"), 25_000);
        conflict(
            w.app
                .work()
                .confirm_deposit_request(&w.operator, &d.id, "c2"),
        );
        assert!(
            w.app
                .work()
                .pending_deposits(&w.operator)
                .unwrap()
                .is_empty()
        );

        // A member cancels their own request; others cannot see it.
        let d = w
            .app
            .work()
            .request_deposit(&w.worker, Money::new(1_000, eur))
            .unwrap();
        assert!(matches!(
            w.app.work().cancel_deposit_request(&w.client, &d.id),
            Err(AppError::NotFound)
        ));
        let cancelled = w
            .app
            .work()
            .cancel_deposit_request(&w.worker, &d.id)
            .unwrap();
        assert_eq!(cancelled.status, "cancelled");
        conflict(
            w.app
                .work()
                .confirm_deposit_request(&w.operator, &d.id, "c3"),
        );
        assert!(matches!(
            w.app.work().request_deposit(&w.worker, Money::new(0, eur)),
            Err(AppError::Validation(_))
        ));
        for _ in 0..5 {
            w.app
                .work()
                .request_deposit(&w.worker, Money::new(100, eur))
                .unwrap();
        }
        conflict(
            w.app
                .work()
                .request_deposit(&w.worker, Money::new(100, eur)),
        );
        let mine = w.app.work().my_deposits(&w.worker).unwrap();
        assert_eq!(mine.len(), 7);
        assert_eq!(wallet(&w.app, &w.worker, "wallet"), 25_000);
        let audit = w.app.work().audit_ledger().unwrap();
        assert!(audit.is_sound());
    }
}

#[test]
fn due_dates_in_the_past_are_refused() {
    for db in TestDb::all() {
        let w = world(&db);
        // NOW is 2026-11-22 00:00 UTC: still 2026-11-21 west of Greenwich, so that day is
        // accepted, and the day before is past everywhere.
        let dated = |due_on: &str| OfferInput {
            member: "worker".into(),
            title: "Warehouse audit".into(),
            currency: "EUR".into(),
            milestones: vec![MilestoneInput {
                title: "Report".into(),
                amount: 10_000,
                due_on: due_on.into(),
                by_learner: false,
            }],
            community: None,
            referrer: None,
            hourly: None,
            learner: None,
        };
        match w.app.work().offer_contract(&w.client, dated("2026-11-20")) {
            Err(AppError::Validation(e)) => {
                assert_eq!(e.0[0].path, "/milestones/0/due_on");
                assert!(e.0[0].message.contains("in the past"), "{e:?}");
            }
            other => panic!("a past due date was accepted: {other:?}"),
        }
        assert!(
            w.app
                .work()
                .offer_contract(&w.client, dated("2026-11-21"))
                .is_ok()
        );
        assert!(
            w.app
                .work()
                .offer_contract(&w.client, dated("2026-11-22"))
                .is_ok()
        );
    }
}

#[test]
fn a_member_is_named_with_or_without_the_at_sign() {
    for db in TestDb::all() {
        let w = world(&db);
        for typed in ["@Worker", " worker ", "@worker"] {
            let offer = OfferInput {
                member: typed.into(),
                title: "Warehouse audit".into(),
                currency: "EUR".into(),
                milestones: vec![MilestoneInput {
                    title: "Report".into(),
                    amount: 10_000,
                    due_on: "2099-01-15".into(),
                    by_learner: false,
                }],
                community: None,
                referrer: None,
                hourly: None,
                learner: None,
            };
            let k = w.app.work().offer_contract(&w.client, offer).unwrap();
            assert_eq!(k.member, "worker", "{typed}");
        }
        let found = w
            .app
            .profiles()
            .request_connection(&w.client, "@WORKER")
            .unwrap();
        assert_eq!(found.handle, "worker");
    }
}

#[test]
fn a_milestone_is_read_in_its_contracts_currency_and_a_corrupt_one_is_an_error() {
    use guildhall_app::testing::{app, execute, one_milestone_offer, write};
    use guildhall_domain::ContractId;
    use guildhall_store::StoreError;
    use guildhall_store::repo::contracts;
    for db in TestDb::all() {
        let app = app(&db);
        let client = member(&app, "client");
        member(&app, "ana");
        let offer = OfferInput {
            currency: "JPY".into(),
            ..one_milestone_offer("ana", "Audit", "2099-01-01")
        };
        let k = app.work().offer_contract(&client, offer).unwrap();
        let id: ContractId = k.id.parse().unwrap();
        let rows = write(&app, |c| Ok(contracts::milestones_of(c, id)?)).unwrap();
        assert_eq!(
            rows[0].amount,
            Money::new(100_000, Currency::parse("JPY").unwrap())
        );
        assert_eq!(rows[0].amount.display(), "¥100,000");
        execute(
            &app,
            &format!("UPDATE contracts SET currency = 'jpy' WHERE id = '{id}'"),
        );
        assert!(matches!(
            write(&app, |c| Ok(contracts::milestones_of(c, id)?)),
            Err(AppError::Store(StoreError::Corrupt(_)))
        ));
    }
}

#[test]
fn each_milestone_step_answers_with_the_contract_as_a_fresh_read_shows_it() {
    for db in TestDb::all() {
        let w = world(&db);
        let k = offer(&w, &[10_000, 20_000], None, None);
        let (first, second) = (k.milestones[0].id.clone(), k.milestones[1].id.clone());
        let work = w.app.work();
        let same_as_read = |answer: ContractView, step: &str| {
            let read = work.contract(&w.client, &k.id).unwrap();
            assert_eq!(
                serde_json::to_value(&answer).unwrap(),
                serde_json::to_value(&read).unwrap(),
                "{:?}: the answer to {step}",
                db.backend
            );
        };
        let fund = |m: &str, key: &str| work.fund_milestone(&w.client, &k.id, m, key).unwrap();
        same_as_read(fund(&first, "f0"), "funding");
        same_as_read(fund(&first, "f0"), "funding again with the same key");
        same_as_read(
            work.submit_milestone(&w.worker, &k.id, &first).unwrap(),
            "a delivery",
        );
        same_as_read(
            work.request_changes(&w.client, &k.id, &first, "More detail")
                .unwrap(),
            "asking for changes",
        );
        work.submit_milestone(&w.worker, &k.id, &first).unwrap();
        let accept = |m: &str, key: &str| work.accept_milestone(&w.client, &k.id, m, key).unwrap();
        same_as_read(accept(&first, "a0"), "accepting one of two");
        same_as_read(accept(&first, "a0"), "accepting again with the same key");
        fund(&second, "f1");
        work.submit_milestone(&w.worker, &k.id, &second).unwrap();
        let done = accept(&second, "a1");
        assert_eq!(done.status, ContractStatus::Completed);
        same_as_read(done, "accepting the last");
    }
}
