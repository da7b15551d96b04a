//! Payouts on both databases: the amount is held when asked, leaves when an operator sends
//! it, comes back when it fails; one in flight per currency; a community's share is paid out
//! by its owners only; and concurrent requests never take a balance below zero.

use guildhall_app::accounts::Account;
use guildhall_app::communities::CommunityInput;
use guildhall_app::page::PageRequest;
use guildhall_app::testing::{app, member, operator};
use guildhall_app::work::payouts::{PayoutInput, PayoutMethodInput};
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_app::{App, AppError};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

fn balance(app: &App, who: &Account, kind: &str) -> i64 {
    app.work()
        .balances(who)
        .unwrap()
        .into_iter()
        .find(|b| b.kind == kind)
        .map_or(0, |b| b.minor)
}

fn deposit(app: &App, op: &Account, handle: &str, minor: i64) {
    app.work()
        .confirm_deposit(
            op,
            handle,
            Money::new(minor, eur()),
            &format!("in-{handle}"),
        )
        .unwrap();
}

fn method(app: &App, who: &Account) -> String {
    app.work()
        .add_payout_method(
            who,
            PayoutMethodInput {
                label: "Savings account".into(),
                details: "M. Silva, IBAN PT50 0002 0123 1234 5678 9015 4".into(),
            },
        )
        .unwrap()
        .id
}

fn from_wallet(amount: i64, method: &str) -> PayoutInput {
    PayoutInput {
        from: "wallet".into(),
        community: None,
        amount,
        currency: "EUR".into(),
        method: method.into(),
    }
}

fn is_conflict<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(e @ AppError::Conflict { .. }) => e.to_string(),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn is_invalid<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) {
    match r {
        Err(AppError::Validation(e)) => {
            assert!(format!("{e:?}").contains(field), "{field} in {e:?}")
        }
        other => panic!("expected a field error on {field}, got {other:?}"),
    }
}

#[test]
fn a_payout_is_held_then_sent_or_returned_and_asked_once_per_key() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "operator");
        let ana = member(&app, "ana");
        let bo = member(&app, "bob");
        deposit(&app, &op, "ana", 25_000);
        let m = method(&app, &ana);

        let p = app
            .work()
            .request_payout(&ana, from_wallet(10_000, &m), "p1")
            .unwrap();
        assert_eq!((p.status.as_str(), p.member.as_str()), ("pending", "ana"));
        assert!(p.method_details.contains("PT50"));
        assert_eq!(balance(&app, &ana, "wallet"), 15_000, "held at once");
        assert_eq!(balance(&app, &ana, "payout_pending"), 10_000);
        let again = app
            .work()
            .request_payout(&ana, from_wallet(10_000, &m), "p1")
            .unwrap();
        assert_eq!(again.id, p.id, "the same key asks once");
        let flight = is_conflict(
            app.work()
                .request_payout(&ana, from_wallet(1_000, &m), "p2"),
        );
        assert!(flight.contains("already on its way"), "{flight}");
        let overview = app.work().money(&ana).unwrap();
        let wallet = &overview.balances[0];
        assert_eq!((wallet.from.as_str(), wallet.available), ("wallet", 15_000));
        assert_eq!(wallet.on_its_way.as_ref().map(|p| &p.id), Some(&p.id));
        assert_eq!(wallet.movements[0].what, "Payout asked for");

        // Only operators send payouts; the queue shows where the money goes.
        assert!(matches!(
            app.work().confirm_payout(&ana, &p.id, None, "c1"),
            Err(AppError::Forbidden(_))
        ));
        let queue = app.work().payouts_to_send(&op).unwrap();
        assert_eq!(queue.len(), 1);
        assert!(queue[0].method_details.contains("PT50"));
        let paid = app
            .work()
            .confirm_payout(&op, &p.id, Some("SEPA 2026-12-05 #118"), "c1")
            .unwrap();
        assert_eq!(paid.status, "paid");
        assert_eq!(paid.reference.as_deref(), Some("SEPA 2026-12-05 #118"));
        assert_eq!(
            app.work()
                .confirm_payout(&op, &p.id, None, "c1")
                .unwrap()
                .status,
            "paid",
            "a repeated confirmation answers as the first"
        );
        is_conflict(app.work().fail_payout(&op, &p.id, "Too late", "f1"));
        assert_eq!(balance(&app, &ana, "payout_pending"), 0);
        assert_eq!(balance(&app, &ana, "wallet"), 15_000);

        // More than there is: refused, nothing held or written.
        let short = is_conflict(
            app.work()
                .request_payout(&ana, from_wallet(15_001, &m), "p3"),
        );
        assert!(short.contains("not enough money"), "{short}");
        assert_eq!(app.work().my_payouts(&ana).unwrap().len(), 1);

        // A failed payout returns the money, with the reason.
        let p = app
            .work()
            .request_payout(&ana, from_wallet(15_000, &m), "p4")
            .unwrap();
        assert_eq!(balance(&app, &ana, "wallet"), 0);
        is_invalid(app.work().fail_payout(&op, &p.id, "  ", "f2"), "/reason");
        let failed = app
            .work()
            .fail_payout(&op, &p.id, "The bank refused the account number", "f2")
            .unwrap();
        assert_eq!(failed.status, "failed");
        assert_eq!(balance(&app, &ana, "wallet"), 15_000);
        assert_eq!(balance(&app, &ana, "payout_pending"), 0);
        let told: Vec<String> = app
            .notifications()
            .inbox(&ana, &PageRequest::default())
            .unwrap()
            .items
            .into_iter()
            .filter(|n| n.topic == "payouts")
            .map(|n| n.text)
            .collect();
        assert_eq!(told.len(), 2, "{told:?}");
        let credited = app
            .notifications()
            .inbox(&ana, &PageRequest::default())
            .unwrap()
            .items
            .into_iter()
            .any(|n| {
                n.topic == "deposits"
                    && n.text == "€250.00 was added to your wallet by the operators"
            });
        assert!(credited, "a direct credit is told too");
        assert!(told[0].contains("could not be sent") && told[0].contains("refused"));
        assert!(told[1].contains("was sent"));

        // What is refused before anything is written.
        is_invalid(
            app.work().request_payout(&ana, from_wallet(99, &m), "p5"),
            "/amount",
        );
        let escrow = PayoutInput {
            from: "escrow".into(),
            ..from_wallet(1_000, &m)
        };
        is_invalid(app.work().request_payout(&ana, escrow, "p5"), "/from");
        let bos = method(&app, &bo);
        is_invalid(
            app.work()
                .request_payout(&ana, from_wallet(1_000, &bos), "p5"),
            "/method",
        );
        is_invalid(
            app.work().request_payout(&ana, from_wallet(1_000, &m), ""),
            "/idempotency_key",
        );
        assert!(matches!(
            app.work().remove_payout_method(&ana, &bos),
            Err(AppError::NotFound)
        ));
        for _ in 1..5 {
            method(&app, &ana);
        }
        is_conflict(app.work().add_payout_method(
            &ana,
            PayoutMethodInput {
                label: "Sixth".into(),
                details: "x".into(),
            },
        ));
        app.work().remove_payout_method(&ana, &m).unwrap();
        assert_eq!(app.work().payout_methods(&ana).unwrap().len(), 4);
        assert_eq!(
            app.work().my_payouts(&ana).unwrap()[1].method_label,
            "Savings account",
            "a payout keeps the method it was sent to"
        );
        let audit = app.work().audit_ledger().unwrap();
        assert!(audit.is_sound(), "{audit:?}");
        assert_eq!(audit.inside["EUR"], 15_000, "no money made or lost");
    }
}

#[test]
fn a_community_share_is_paid_out_by_its_owners_only() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "operator");
        let owner = member(&app, "owner");
        let worker = member(&app, "worker");
        deposit(&app, &op, "owner", 100_000);
        app.communities()
            .create_community(
                &owner,
                CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        app.communities()
            .join_community(&worker, "data-guild")
            .unwrap();
        let k = app
            .work()
            .offer_contract(
                &owner,
                OfferInput {
                    member: "worker".into(),
                    title: "Warehouse audit".into(),
                    currency: "EUR".into(),
                    milestones: vec![MilestoneInput {
                        title: "All of it".into(),
                        amount: 100_000,
                        due_on: "2099-01-01".into(),
                        by_learner: false,
                    }],
                    community: Some("data-guild".into()),
                    referrer: None,
                    hourly: None,
                    learner: None,
                },
            )
            .unwrap();
        app.work().answer_offer(&worker, &k.id, true).unwrap();
        let m0 = k.milestones[0].id.clone();
        app.work().fund_milestone(&owner, &k.id, &m0, "f").unwrap();
        app.work().submit_milestone(&worker, &k.id, &m0).unwrap();
        app.work()
            .accept_milestone(&owner, &k.id, &m0, "a")
            .unwrap();

        // 2.5 % of the release is the community's.
        let share = app.work().community_money(&owner, "data-guild").unwrap();
        assert_eq!(
            (share[0].available, share[0].name.as_str()),
            (2_500, "Data Guild's share")
        );
        assert_eq!(share[0].movements[0].what, "Payment for work");
        let overview = app.work().money(&owner).unwrap();
        assert!(
            overview
                .balances
                .iter()
                .any(|b| b.from == "community_share")
        );
        assert!(matches!(
            app.work().community_money(&worker, "data-guild"),
            Err(AppError::Forbidden(_))
        ));
        assert!(
            !app.work()
                .money(&worker)
                .unwrap()
                .balances
                .iter()
                .any(|b| b.from == "community_share"),
            "a plain member does not see the share"
        );
        let share_input = |method: &str| PayoutInput {
            from: "community_share".into(),
            community: Some("data-guild".into()),
            ..from_wallet(2_500, method)
        };
        let wm = method(&app, &worker);
        assert!(matches!(
            app.work().request_payout(&worker, share_input(&wm), "s1"),
            Err(AppError::Forbidden(_))
        ));
        let om = method(&app, &owner);
        let p = app
            .work()
            .request_payout(&owner, share_input(&om), "s1")
            .unwrap();
        assert_eq!(
            (p.from.as_str(), p.community.as_deref()),
            ("community_share", Some("data-guild"))
        );
        let share = app.work().community_money(&owner, "data-guild").unwrap();
        assert_eq!(share[0].available, 0);
        app.work().confirm_payout(&op, &p.id, None, "c").unwrap();
        assert!(app.work().audit_ledger().unwrap().is_sound());
    }
}

#[test]
fn twenty_concurrent_requests_never_take_a_balance_below_zero() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "operator");
        let ana = member(&app, "ana");
        deposit(&app, &op, "ana", 10_000);
        let m = method(&app, &ana);
        let results: Vec<Result<String, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..20)
                .map(|i| {
                    let (app, ana, m) = (&app, &ana, &m);
                    s.spawn(move || {
                        app.work()
                            .request_payout(ana, from_wallet(6_000 + i, m), &format!("k{i}"))
                            .map(|p| p.id)
                            .map_err(|e| e.to_string())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let won: Vec<&String> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(won.len(), 1, "{results:?}");
        for lost in results.iter().filter_map(|r| r.as_ref().err()) {
            assert!(
                lost.contains("on its way") || lost.contains("not enough money"),
                "a clear conflict: {lost}"
            );
        }
        let wallet = balance(&app, &ana, "wallet");
        assert!((0..=4_000).contains(&wallet), "wallet {wallet}");
        // Two operators deciding one payout at once: one decision counts.
        let (paid, failed) = std::thread::scope(|s| {
            let a = s.spawn(|| app.work().confirm_payout(&op, won[0], None, "d1"));
            let b = s.spawn(|| app.work().fail_payout(&op, won[0], "Closed account", "d2"));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(paid.is_ok() != failed.is_ok(), "{paid:?} {failed:?}");
        let audit = app.work().audit_ledger().unwrap();
        assert!(audit.is_sound(), "{audit:?}");
        assert_eq!(balance(&app, &ana, "payout_pending"), 0);
    }
}

/// A provider with an API: it takes payouts up to €100 and answers with its transfer's id,
/// and refuses larger ones.
#[derive(Debug)]
struct Api;

impl guildhall_app::payments::PaymentProvider for Api {
    fn name(&self) -> &'static str {
        "api"
    }

    fn instructions(&self, _: Money, _: &str) -> String {
        String::new()
    }

    fn send_payout(
        &self,
        order: &guildhall_app::payments::PayoutOrder<'_>,
    ) -> Result<guildhall_app::payments::PayoutSent, String> {
        if order.amount.minor > 10_000 {
            return Err("the provider takes at most €100.00 at once".into());
        }
        Ok(guildhall_app::payments::PayoutSent::Submitted {
            reference: format!("tr_{}", &order.id[..8]),
        })
    }
}

#[test]
fn a_provider_with_an_api_takes_the_payout_or_refuses_it_and_the_money_returns() {
    for db in TestDb::all() {
        let mut settings = guildhall_app::testing::settings();
        settings.payments = std::sync::Arc::new(Api);
        let app = App::new(
            db.pool(),
            std::sync::Arc::new(guildhall_app::clock::SystemClock),
            settings,
        );
        let op = operator(&app, "operator");
        let ana = member(&app, "ana");
        deposit(&app, &op, "ana", 25_000);
        let m = method(&app, &ana);
        let refused = app
            .work()
            .request_payout(&ana, from_wallet(20_000, &m), "big")
            .unwrap();
        assert_eq!(refused.status, "failed");
        assert_eq!(
            refused.reason.as_deref(),
            Some("the provider takes at most €100.00 at once")
        );
        assert_eq!(balance(&app, &ana, "wallet"), 25_000, "the money returned");
        let taken = app
            .work()
            .request_payout(&ana, from_wallet(10_000, &m), "small")
            .unwrap();
        assert_eq!(taken.status, "pending", "until the provider confirms it");
        assert_eq!(taken.provider, "api");
        assert!(taken.reference.as_deref().unwrap().starts_with("tr_"));
        assert!(app.work().audit_ledger().unwrap().is_sound());
    }
}
