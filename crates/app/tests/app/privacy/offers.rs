//! Offers cannot be used to write about strangers: the log holds entries about a member only
//! for work they accepted or actions they took, and each account sends a bounded number of
//! offers a day, counted in the database.

use super::clients::offer_to;
use guildhall_app::clock::ManualClock;
use guildhall_app::testing::member;
use guildhall_app::work::WorkSettings;
use guildhall_app::{App, AppError, AppSettings, PasswordCost};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

const DAY: i64 = 24 * 3600 * 1000;
/// 2026-11-22T00:00:00Z.
const NOW: i64 = 1_795_305_600_000;

fn app_allowing(db: &TestDb, offers_per_day: u32, clock: Arc<ManualClock>) -> App {
    App::new(
        db.pool(),
        clock,
        AppSettings {
            password_cost: PasswordCost::Fast,
            work: WorkSettings {
                offers_per_day,
                ..WorkSettings::default()
            },
            ..AppSettings::default()
        },
    )
}

#[test]
fn an_offer_and_its_withdrawal_write_nothing_about_the_target() {
    for db in TestDb::all() {
        let app = app_allowing(&db, 20, Arc::new(ManualClock::at(NOW)));
        let client = member(&app, "client");
        let target = member(&app, "target");
        for _ in 0..3 {
            let k = offer_to(&app, &client, "target");
            app.work().answer_offer(&client, &k.id, false).unwrap();
        }
        assert!(
            app.evidence().my_evidence(&target).unwrap().is_empty(),
            "withdrawn offers are not evidence about the target on {:?}",
            db.backend
        );
        assert!(app.evidence().my_evidence(&client).unwrap().is_empty());
        // The member's own answer is evidence of their responsiveness.
        let k = offer_to(&app, &client, "target");
        app.work().answer_offer(&target, &k.id, false).unwrap();
        let kinds: Vec<String> = app
            .evidence()
            .my_evidence(&target)
            .unwrap()
            .into_iter()
            .map(|e| e.header.kind)
            .collect();
        assert_eq!(kinds, ["work.offer_declined"]);
    }
}

#[test]
fn offers_are_limited_per_sender_and_day() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let app = app_allowing(&db, 3, clock.clone());
        let client = member(&app, "client");
        member(&app, "target");
        let other = member(&app, "other");
        for i in 0..3 {
            clock.advance(3600 * 1000);
            offer_to(&app, &client, if i % 2 == 0 { "target" } else { "other" });
        }
        let refused = app
            .work()
            .offer_contract(&client, super::clients::offer_input("other"));
        match refused {
            // The first offer was sent two hours before: it leaves the window in 22 hours.
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert_eq!(retry_after_secs, 22 * 3600, "{:?}", db.backend)
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        // Another node, another process: the count lives in the database.
        let again = app_allowing(&db, 3, clock.clone());
        assert!(matches!(
            again
                .work()
                .offer_contract(&client, super::clients::offer_input("target")),
            Err(AppError::RateLimited { .. })
        ));
        // Someone else is not limited by the client's offers.
        offer_to(&app, &other, "target");
        clock.advance(DAY - 2 * 3600 * 1000);
        offer_to(&app, &client, "target");
    }
}

#[test]
fn a_lowered_allowance_waits_for_enough_offers_to_leave_the_day() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let app = app_allowing(&db, 5, clock.clone());
        let client = member(&app, "client");
        member(&app, "target");
        for _ in 0..4 {
            clock.advance(3600 * 1000);
            offer_to(&app, &client, "target");
        }
        // Four offers in the last day, two allowed now: one more may go once only one of them
        // is left, when the third (sent an hour ago) leaves the window.
        let lowered = app_allowing(&db, 2, clock.clone());
        match lowered
            .work()
            .offer_contract(&client, super::clients::offer_input("target"))
        {
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert_eq!(retry_after_secs, 23 * 3600, "{:?}", db.backend)
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        clock.advance(23 * 3600 * 1000 - 1);
        assert!(matches!(
            lowered
                .work()
                .offer_contract(&client, super::clients::offer_input("target")),
            Err(AppError::RateLimited {
                retry_after_secs: 1
            })
        ));
        clock.advance(1);
        offer_to(&lowered, &client, "target");
    }
}
