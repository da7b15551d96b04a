//! Member ownership on both databases: a release sets the members' part of the community's
//! share aside; at the end of the period the pool is shared in proportion to points by
//! largest remainder, once, however many nodes try; members see their points and statement;
//! perks show what qualifies.

use guildhall_app::accounts::Account;
use guildhall_app::clock::ManualClock;
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::learning::ResourceInput;
use guildhall_app::communities::ownership::RevenueShareInput;
use guildhall_app::communities::perks::PerkInput;
use guildhall_app::testing::{app_with_clock, member, operator};
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_app::{App, AppError};
use guildhall_domain::community::Role;
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

const DAY: i64 = 24 * 3600 * 1000;
/// 2026-03-02T00:00:00Z.
const START: i64 = 1_772_409_600_000;

fn wallet(app: &App, who: &Account) -> i64 {
    app.work()
        .balances(who)
        .unwrap()
        .into_iter()
        .find(|b| b.kind == "wallet")
        .map_or(0, |b| b.minor)
}

/// A community `guild` owned by `owner`, with a curator and two more members.
struct Guild {
    owner: Account,
    curator: Account,
    worker: Account,
    idle: Account,
}

fn guild(app: &App) -> Guild {
    let owner = member(app, "owner");
    let curator = member(app, "curator");
    let worker = member(app, "worker");
    let idle = member(app, "idle");
    app.communities()
        .create_community(
            &owner,
            CommunityInput {
                name: "Data Guild".into(),
                slug: "guild".into(),
                ..CommunityInput::default()
            },
        )
        .unwrap();
    for m in [&curator, &worker, &idle] {
        app.communities().join_community(m, "guild").unwrap();
    }
    app.communities()
        .set_community_role(&owner, "guild", "curator", Role::Curator)
        .unwrap();
    Guild {
        owner,
        curator,
        worker,
        idle,
    }
}

/// The owner hires `worker` through the guild for `amount` cents and releases it.
fn paid_work(app: &App, g: &Guild, amount: i64, key: &str) {
    let op = operator(app, &format!("op-{key}"));
    app.work()
        .confirm_deposit(&op, "owner", Money::new(amount, eur()), key)
        .unwrap();
    let k = app
        .work()
        .offer_contract(
            &g.owner,
            OfferInput {
                member: "worker".into(),
                title: "Warehouse audit".into(),
                currency: "EUR".into(),
                milestones: vec![MilestoneInput {
                    title: "All of it".into(),
                    amount,
                    due_on: "2099-01-01".into(),
                    by_learner: false,
                }],
                community: Some("guild".into()),
                referrer: None,
                hourly: None,
                learner: None,
            },
        )
        .unwrap();
    app.work().answer_offer(&g.worker, &k.id, true).unwrap();
    let m = k.milestones[0].id.clone();
    app.work()
        .fund_milestone(&g.owner, &k.id, &m, &format!("f-{key}"))
        .unwrap();
    app.work().submit_milestone(&g.worker, &k.id, &m).unwrap();
    app.work()
        .accept_milestone(&g.owner, &k.id, &m, &format!("a-{key}"))
        .unwrap();
}

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

fn resource() -> ResourceInput {
    ResourceInput {
        title: "The Data Warehouse Toolkit".into(),
        url: "https://example.org/toolkit".into(),
        provider: String::new(),
        skills: vec!["SQL".into()],
        cost_minor: 0,
        currency: String::new(),
        duration_minutes: None,
        credit: None,
    }
}

fn share(bps: u32, days: u32) -> RevenueShareInput {
    RevenueShareInput {
        share_bps: bps,
        period_days: days,
    }
}

#[test]
fn a_period_pool_is_shared_by_points_once() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(START));
        let app = app_with_clock(&db, clock.clone());
        let g = guild(&app);
        let set = app
            .communities()
            .set_revenue_share(&g.owner, "guild", &share(4_000, 7))
            .unwrap();
        assert_eq!(
            (set.share_display.as_str(), set.period_from.as_str()),
            ("40 %", "2026-03-02")
        );
        assert_eq!(set.distributed_on, "2026-03-09");

        // €1,000 released: the community's 2.5 % is €25, of which 40 % (€10) is the pool.
        paid_work(&app, &g, 100_000, "w1");
        let share_account = app.work().community_money(&g.owner, "guild").unwrap();
        assert_eq!(share_account[0].available, 1_500);
        let seen = app.communities().ownership(&g.worker, "guild").unwrap();
        let pool = &seen.revenue_share.as_ref().unwrap().pools;
        assert_eq!((pool[0].minor, pool[0].display.as_str()), (1_000, "€10.00"));
        // 1 point per €10 of work; the curator's resource is worth 20.
        assert_eq!(seen.period_points.total, 100);
        app.communities()
            .add_resource(&g.curator, "guild", resource())
            .unwrap();
        assert_eq!(
            app.communities()
                .ownership(&g.curator, "guild")
                .unwrap()
                .period_points
                .contributions,
            20
        );

        // Nothing is shared before the period ends; then exactly once.
        clock.advance(6 * DAY);
        assert_eq!(app.communities().distribute_due().unwrap(), 0);
        let before = (wallet(&app, &g.worker), wallet(&app, &g.curator));
        clock.advance(DAY);
        assert_eq!(app.communities().distribute_due().unwrap(), 1);
        assert_eq!(app.communities().distribute_due().unwrap(), 0);
        // 1,000 by 100:20 is 833.33 and 166.67: the spare cent goes to the larger fraction.
        assert_eq!(wallet(&app, &g.worker) - before.0, 833);
        assert_eq!(wallet(&app, &g.curator) - before.1, 167);
        assert_eq!(wallet(&app, &g.idle), 0);

        let mine = app.communities().ownership(&g.worker, "guild").unwrap();
        assert_eq!(mine.statement.len(), 1);
        let line = &mine.statement[0];
        assert_eq!(
            (line.points, line.amount, line.display.as_str()),
            (100, 833, "€8.33")
        );
        assert_eq!(
            (line.period_from.as_str(), line.period_to.as_str()),
            ("2026-03-02", "2026-03-08")
        );
        // A new period began: points start again, the year keeps them, the pool is empty.
        assert_eq!(mine.period_points.total, 0);
        assert_eq!(mine.year_points.total, 100);
        let rs = mine.revenue_share.unwrap();
        assert!(rs.pools.is_empty());
        assert_eq!(rs.period_from, "2026-03-09");
        let told = app
            .notifications()
            .inbox(&g.worker, &Default::default())
            .unwrap();
        assert!(
            told.items
                .iter()
                .any(|n| n.text.contains("€8.33 from Data Guild's revenue share")),
            "{:?}",
            told.items.iter().map(|n| &n.text).collect::<Vec<_>>()
        );
        // The payment has a receipt: the worker reads their own part only.
        let statement = app
            .work()
            .statement(&g.worker, "2026-03-01", "2026-03-31")
            .unwrap();
        let paid = statement
            .lines
            .iter()
            .find(|l| l.kind == "distribution")
            .unwrap();
        let receipt = app.work().receipt(&g.worker, &paid.transaction_id).unwrap();
        assert_eq!(receipt.title, "Revenue share of Data Guild");
        assert_eq!(receipt.lines.len(), 1);
        assert_eq!(
            (receipt.lines[0].what.as_str(), receipt.total.as_str()),
            ("Paid to @worker", "€8.33")
        );
        assert!(matches!(
            app.work().receipt(&g.idle, &paid.transaction_id),
            Err(AppError::NotFound)
        ));
        assert!(app.work().audit_ledger().unwrap().is_sound());
    }
}

#[test]
fn a_pool_nobody_earned_points_for_waits_and_a_stopped_node_catches_up() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(START));
        let app = app_with_clock(&db, clock.clone());
        let g = guild(&app);
        app.communities()
            .set_revenue_share(&g.owner, "guild", &share(10_000, 1))
            .unwrap();
        paid_work(&app, &g, 100_000, "w1");
        // The worker leaves: their points no longer count, and nobody else has any.
        app.communities()
            .leave_community(&g.worker, "guild")
            .unwrap();
        clock.advance(3 * DAY + 1);
        // Three periods ended; each is distributed once, and the pool waits.
        assert_eq!(app.communities().distribute_due().unwrap(), 3);
        let seen = app.communities().ownership(&g.owner, "guild").unwrap();
        assert_eq!(seen.revenue_share.unwrap().pools[0].minor, 2_500);
        assert!(seen.statement.is_empty());
        // The next period someone earns points, and the whole pool goes to them.
        app.communities()
            .add_resource(&g.curator, "guild", resource())
            .unwrap();
        clock.advance(DAY);
        assert_eq!(app.communities().distribute_due().unwrap(), 1);
        assert_eq!(wallet(&app, &g.curator), 2_500);
        assert!(app.work().audit_ledger().unwrap().is_sound());
    }
}

#[test]
fn any_number_of_nodes_distribute_a_period_once() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(START));
        let app = app_with_clock(&db, clock.clone());
        let g = guild(&app);
        app.communities()
            .set_revenue_share(&g.owner, "guild", &share(5_000, 7))
            .unwrap();
        paid_work(&app, &g, 100_000, "w1");
        clock.advance(7 * DAY);
        // Four nodes, each with its own pool of connections, claim the same period at once.
        let made: usize = std::thread::scope(|s| {
            let nodes: Vec<_> = (0..4)
                .map(|_| {
                    let node = app_with_clock(&db, clock.clone());
                    s.spawn(move || node.communities().distribute_due().unwrap())
                })
                .collect();
            nodes.into_iter().map(|n| n.join().unwrap()).sum()
        });
        assert_eq!(made, 1);
        // 2.5 % of €1,000 is €25; half of it, €12.50, all to the only member with points.
        let worker_wallet = wallet(&app, &g.worker);
        assert_eq!(worker_wallet, 100_000 - 10_000 - 2_500 + 1_250);
        assert!(app.work().audit_ledger().unwrap().is_sound());
    }
}

#[test]
fn only_owners_set_the_share_and_the_share_is_checked() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(START));
        let app = app_with_clock(&db, clock);
        let g = guild(&app);
        assert!(matches!(
            app.communities()
                .set_revenue_share(&g.curator, "guild", &share(2_500, 30)),
            Err(AppError::Forbidden(_))
        ));
        match app
            .communities()
            .set_revenue_share(&g.owner, "guild", &share(10_001, 0))
        {
            Err(AppError::Validation(e)) => {
                let text = format!("{e:?}");
                assert!(
                    text.contains("/share_bps") && text.contains("/period_days"),
                    "{text}"
                );
            }
            other => panic!("expected field errors, got {other:?}"),
        }
        let outsider = member(&app, "outsider");
        assert!(app.communities().ownership(&outsider, "guild").is_err());
        // Without a share set, members still see their points and an empty statement.
        let seen = app.communities().ownership(&g.idle, "guild").unwrap();
        assert!(seen.revenue_share.is_none());
        assert!(!seen.can_set_share);
        assert!(
            app.communities()
                .ownership(&g.owner, "guild")
                .unwrap()
                .can_set_share
        );
    }
}

#[test]
fn perks_show_who_qualifies_and_hide_what_others_may_not_read() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(START));
        let app = app_with_clock(&db, clock);
        let g = guild(&app);
        paid_work(&app, &g, 100_000, "w1");
        let perk = app
            .communities()
            .add_perk(
                &g.curator,
                "guild",
                &PerkInput {
                    title: "Conference ticket discount".into(),
                    description: "Code GUILD-2026 at checkout".into(),
                    min_points: Some(50),
                    active_contract: false,
                },
            )
            .unwrap();
        app.communities()
            .add_perk(
                &g.curator,
                "guild",
                &PerkInput {
                    title: "Coffee on Fridays".into(),
                    ..PerkInput::default()
                },
            )
            .unwrap();
        let worker = app.communities().perks(&g.worker, "guild").unwrap();
        assert!(worker[0].qualifies);
        assert_eq!(worker[0].description, "Code GUILD-2026 at checkout");
        let idle = app.communities().perks(&g.idle, "guild").unwrap();
        assert!(!idle[0].qualifies && idle[0].description.is_empty());
        assert_eq!(
            idle[0].who_qualifies,
            "Members with at least 50 points over the last 365 days"
        );
        assert!(idle[1].qualifies, "a perk with no rule is for every member");
        // Curators read every description.
        let curator = app.communities().perks(&g.curator, "guild").unwrap();
        assert!(!curator[0].description.is_empty());

        assert!(matches!(
            app.communities().add_perk(
                &g.worker,
                "guild",
                &PerkInput {
                    title: "Mine".into(),
                    ..PerkInput::default()
                }
            ),
            Err(AppError::Forbidden(_))
        ));
        match app.communities().add_perk(
            &g.curator,
            "guild",
            &PerkInput {
                title: "x".into(),
                min_points: Some(0),
                ..PerkInput::default()
            },
        ) {
            Err(AppError::Validation(e)) => {
                let text = format!("{e:?}");
                assert!(
                    text.contains("/title") && text.contains("/min_points"),
                    "{text}"
                );
            }
            other => panic!("expected field errors, got {other:?}"),
        }
        app.communities()
            .remove_perk(&g.curator, "guild", &perk.id)
            .unwrap();
        assert!(matches!(
            app.communities().remove_perk(&g.curator, "guild", &perk.id),
            Err(AppError::NotFound)
        ));
        assert_eq!(
            app.communities().perks(&g.worker, "guild").unwrap().len(),
            1
        );
    }
}

#[test]
fn a_curator_credits_the_member_who_found_a_resource_or_organises_an_event() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(START));
        let app = app_with_clock(&db, clock);
        let g = guild(&app);
        let found = ResourceInput {
            credit: Some("@worker".into()),
            ..resource()
        };
        app.communities()
            .add_resource(&g.curator, "guild", found)
            .unwrap();
        let mut event = crate::community_matrix::event_input();
        event.credit = Some("idle".into());
        app.communities()
            .create_event(&g.curator, "guild", event)
            .unwrap();
        let points = |who: &Account| {
            app.communities()
                .ownership(who, "guild")
                .unwrap()
                .year_points
                .contributions
        };
        assert_eq!(points(&g.worker), 20, "the resource is the worker's");
        assert_eq!(points(&g.idle), 30, "the event is idle's");
        assert_eq!(points(&g.curator), 0);
        let outsider = member(&app, "outsider");
        let _ = outsider;
        let stranger = ResourceInput {
            credit: Some("outsider".into()),
            ..resource()
        };
        match app
            .communities()
            .add_resource(&g.curator, "guild", stranger)
        {
            Err(AppError::Validation(e)) => assert_eq!(e.0[0].path, "/credit"),
            other => panic!("a non-member cannot be credited: {other:?}"),
        }
    }
}
