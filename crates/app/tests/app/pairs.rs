//! A senior member and a learner on one contract, on both databases: the offer's checks, the
//! learner's consent before the contract starts, each delivering and being paid for their own
//! milestones, the evidence of each (the learner's naming the mentor), and what a learner may
//! not do.

use guildhall_app::accounts::Account;
use guildhall_app::testing::{app, member, operator};
use guildhall_app::work::{ContractView, MilestoneInput, OfferInput};
use guildhall_app::{App, AppError};
use guildhall_domain::contract::{ContractStatus, MilestoneStatus};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;

struct Pair {
    app: App,
    client: Account,
    senior: Account,
    learner: Account,
}

fn pair(db: &TestDb) -> Pair {
    let app = app(db);
    let op = operator(&app, "operator");
    let client = member(&app, "client");
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(&op, "client", Money::new(1_000_000, eur), "seed")
        .unwrap();
    Pair {
        senior: member(&app, "senior"),
        learner: member(&app, "learner"),
        client,
        app,
    }
}

fn milestone(title: &str, amount: i64, by_learner: bool) -> MilestoneInput {
    MilestoneInput {
        title: title.into(),
        amount,
        due_on: "2099-01-01".into(),
        by_learner,
    }
}

fn offer(learner: Option<&str>, milestones: Vec<MilestoneInput>) -> OfferInput {
    OfferInput {
        member: "senior".into(),
        title: "Data pipeline".into(),
        currency: "EUR".into(),
        milestones,
        hourly: None,
        community: None,
        referrer: None,
        learner: learner.map(str::to_string),
    }
}

/// The usual pair: the senior's schema (€600) and the learner's tests (€200).
fn offered(p: &Pair) -> ContractView {
    p.app
        .work()
        .offer_contract(
            &p.client,
            offer(
                Some("learner"),
                vec![
                    milestone("Schema", 60_000, false),
                    milestone("Tests", 20_000, true),
                ],
            ),
        )
        .unwrap()
}

fn field_of(e: AppError) -> String {
    match e {
        AppError::Validation(f) => f.0[0].path.clone(),
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn wallet(app: &App, who: &Account) -> i64 {
    app.work()
        .balances(who)
        .unwrap()
        .into_iter()
        .find(|b| b.kind == "wallet")
        .map_or(0, |b| b.minor)
}

/// The payloads of the feed's events of `kind`, with their subjects.
fn logged(db: &TestDb, kind: &str) -> Vec<(Vec<String>, serde_json::Value)> {
    let mut c = db.pool().get().unwrap();
    guildhall_store::repo::events::of_kinds_after(&mut c, &[kind], 0, 100)
        .unwrap()
        .into_iter()
        .map(|row| {
            (
                serde_json::from_str(&row.subject_ids).unwrap(),
                serde_json::from_str(&row.payload).unwrap(),
            )
        })
        .collect()
}

#[test]
fn an_offer_to_a_pair_is_checked_before_anything_is_stored() {
    for db in TestDb::all() {
        let p = pair(&db);
        let work = p.app.work();
        let refused = |input| field_of(work.offer_contract(&p.client, input).unwrap_err());
        // A milestone for a learner nobody named.
        assert_eq!(
            refused(offer(None, vec![milestone("Tests", 100, true)])),
            "/milestones/0/by_learner"
        );
        // A learner with nothing of their own, or with everything.
        assert_eq!(
            refused(offer(Some("learner"), vec![milestone("All", 100, false)])),
            "/learner"
        );
        assert_eq!(
            refused(offer(Some("learner"), vec![milestone("All", 100, true)])),
            "/learner"
        );
        // The learner is a third member, and one who exists.
        let both = || {
            vec![
                milestone("Part A", 100, false),
                milestone("Part B", 100, true),
            ]
        };
        assert_eq!(refused(offer(Some("senior"), both())), "/learner");
        assert_eq!(refused(offer(Some("client"), both())), "/learner");
        assert_eq!(refused(offer(Some("nobody-here"), both())), "/learner");
        // An hourly contract has one member.
        let mut hourly = offer(Some("learner"), Vec::new());
        hourly.hourly = Some(guildhall_app::work::hourly::HourlyInput {
            rate: 5_000,
            weekly_cap_hours: 10,
        });
        assert_eq!(refused(hourly), "/learner");
        assert!(work.my_contracts(&p.client).unwrap().is_empty());
    }
}

#[test]
fn the_learner_consents_then_each_does_and_is_paid_for_their_part() {
    for db in TestDb::all() {
        let p = pair(&db);
        let work = p.app.work();
        let k = offered(&p);
        assert_eq!(k.learner.as_deref(), Some("learner"));
        // Each is told: the learner of a part beside their mentor, the member of the whole.
        let told = |who: &Account| -> Vec<String> {
            p.app
                .notifications()
                .inbox(who, &Default::default())
                .unwrap()
                .items
                .into_iter()
                .map(|n| n.text)
                .collect()
        };
        assert!(
            told(&p.learner).iter().any(|t| t
                == "@client offered you a part of the contract “Data pipeline” beside @senior, who would mentor you"),
            "{:?}",
            told(&p.learner)
        );
        assert!(
            told(&p.senior)
                .iter()
                .any(|t| t.starts_with("@client offered you a contract")),
            "{:?}",
            told(&p.senior)
        );
        assert!(!k.learner_accepted);
        assert_eq!(
            k.shares.learner_receives.as_deref(),
            Some("€180.00"),
            "€200 less the 10 % platform fee"
        );
        assert_eq!(k.shares.member_receives, "€540.00");
        // The learner sees the offer; a stranger does not.
        assert!(work.contract(&p.learner, &k.id).is_ok());
        let stranger = member(&p.app, "stranger");
        assert!(matches!(
            work.contract(&stranger, &k.id),
            Err(AppError::NotFound)
        ));

        // The member cannot start it before the learner accepts their part.
        assert!(matches!(
            work.answer_offer(&p.senior, &k.id, true),
            Err(AppError::Conflict { .. })
        ));
        let k = work.answer_offer(&p.learner, &k.id, true).unwrap();
        assert!(k.learner_accepted);
        assert_eq!(k.status, ContractStatus::Offered);
        assert!(matches!(
            work.answer_offer(&p.learner, &k.id, true),
            Err(AppError::Conflict { .. })
        ));
        let k = work.answer_offer(&p.senior, &k.id, true).unwrap();
        assert_eq!(k.status, ContractStatus::Active);
        assert!(
            work.my_contracts(&p.learner)
                .unwrap()
                .iter()
                .any(|c| c.id == k.id)
        );

        let (schema, tests) = (k.milestones[0].id.clone(), k.milestones[1].id.clone());
        assert_eq!(
            (
                k.milestones[0].worker.as_str(),
                k.milestones[1].worker.as_str()
            ),
            ("senior", "learner")
        );
        for (m, key) in [(&schema, "f1"), (&tests, "f2")] {
            work.fund_milestone(&p.client, &k.id, m, key).unwrap();
        }
        // Each delivers only their own milestone.
        assert!(matches!(
            work.submit_milestone(&p.senior, &k.id, &tests),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            work.submit_milestone(&p.learner, &k.id, &schema),
            Err(AppError::Forbidden(_))
        ));
        work.submit_milestone(&p.learner, &k.id, &tests).unwrap();
        work.submit_milestone(&p.senior, &k.id, &schema).unwrap();
        // The learner takes no step of the whole contract.
        assert!(matches!(
            work.cancel_contract(&p.learner, &k.id, "leaving"),
            Err(AppError::NotFound)
        ));
        work.accept_milestone(&p.client, &k.id, &tests, "a1")
            .unwrap();
        let k = work
            .accept_milestone(&p.client, &k.id, &schema, "a2")
            .unwrap();
        assert_eq!(k.status, ContractStatus::Completed);
        assert!(
            k.milestones
                .iter()
                .all(|m| m.status == MilestoneStatus::Released)
        );
        assert_eq!(wallet(&p.app, &p.learner), 18_000);
        assert_eq!(wallet(&p.app, &p.senior), 54_000);

        // Each completed their own part; the learner's evidence names the mentor.
        let (senior_id, learner_id) = (p.senior.id.to_string(), p.learner.id.to_string());
        let completed = logged(&db, "work.contract_completed");
        assert_eq!(completed.len(), 2);
        let part = |who: &str| {
            completed
                .iter()
                .find(|(subjects, _)| subjects[2] == who)
                .unwrap()
                .clone()
        };
        let (subjects, data) = part(&learner_id);
        assert_eq!(subjects.get(3), Some(&senior_id), "the mentor");
        assert_eq!(
            (data["paid"].as_i64(), data["milestones"].as_u64()),
            (Some(20_000), Some(1))
        );
        let (subjects, data) = part(&senior_id);
        assert_eq!(subjects.len(), 3, "the senior's names no mentor");
        assert_eq!(data["paid"].as_i64(), Some(60_000));
        let delivered = logged(&db, "work.milestone_delivered");
        let by_learner: Vec<_> = delivered
            .iter()
            .filter(|(s, _)| s.get(3) == Some(&learner_id))
            .collect();
        assert_eq!(by_learner.len(), 1);
        assert_eq!(by_learner[0].0.get(4), Some(&senior_id));

        // And it counts in the learner's own reputation.
        let figures = p.app.evidence().my_reputation(&p.learner).unwrap().figures;
        let on_time = figures.iter().find(|f| f.name == "on_time").unwrap();
        assert_eq!(on_time.entries.len(), 1, "{on_time:?}");
        let completion = figures.iter().find(|f| f.name == "completion").unwrap();
        assert_eq!(completion.entries.len(), 1);
    }
}

#[test]
fn a_learner_who_declines_ends_the_offer() {
    for db in TestDb::all() {
        let p = pair(&db);
        let k = offered(&p);
        let k = p.app.work().answer_offer(&p.learner, &k.id, false).unwrap();
        assert_eq!(k.status, ContractStatus::Declined);
        let declined = logged(&db, "work.offer_declined");
        assert_eq!(declined.len(), 1);
        assert_eq!(declined[0].0[2], p.learner.id.to_string());
        assert!(matches!(
            p.app.work().answer_offer(&p.senior, &k.id, true),
            Err(AppError::Conflict { .. })
        ));
    }
}
