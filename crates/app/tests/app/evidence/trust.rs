//! Trust over real accounts on both databases: a ring of twenty accounts endorsing each other's
//! SQL claims against one member with three completed SQL contracts for clients a curator
//! admitted. The figures are printed.

use guildhall_app::App;
use guildhall_app::accounts::{Account, SignUp};
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::admission::InvitationInput;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member, sign_up_input};
use guildhall_app::work::MilestoneInput;
use guildhall_app::work::jobs::{JobInput, JobSkill, Pricing, ProposalInput};
use guildhall_domain::community::Admission;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_store::testdb::TestDb;

fn admit(app: &App, curator: &Account, who: &Account) {
    let invitation = app
        .create_invitation(
            curator,
            "data-guild",
            InvitationInput {
                days_valid: 1,
                max_uses: 1,
                note: String::new(),
            },
        )
        .unwrap();
    app.accept_invitation(who, invitation.token.as_deref().unwrap())
        .unwrap();
}

fn claim_sql(app: &App, who: &Account) -> String {
    app.add_item(
        who,
        ItemInput {
            audiences: vec!["members".into()],
            data: ItemData::Skill {
                skill_id: None,
                label: "SQL".into(),
                level: 4,
                years: None,
                note: String::new(),
                source: ClaimSource::SelfClaimed,
                suggested_by: None,
            },
        },
    )
    .unwrap()
    .id
}

fn sql_job(title: &str) -> JobInput {
    JobInput {
        title: title.into(),
        description: "Make the nightly load fast again.".into(),
        organisation: "Acme".into(),
        skills: vec![JobSkill {
            label: "SQL".into(),
            weight: 5,
            min_level: 3,
            required: true,
            skill_id: None,
        }],
        pricing: Pricing::Fixed,
        budget_min: 50_000,
        budget_max: 100_000,
        currency: "EUR".into(),
        starts_on: "2026-12-01".into(),
        ends_on: "2027-01-31".into(),
        hours_per_week: None,
        remote: true,
        place: String::new(),
        tz_min_offset: -720,
        tz_max_offset: 840,
        community: None,
        publish: true,
    }
}

/// A job posted by `client`, filled by `worker` and completed with a mark of 5.
fn completed_sql_work(app: &App, operator: &Account, client: &Account, worker: &Account) {
    let eur = Currency::parse("EUR").unwrap();
    app.confirm_deposit(
        operator,
        &client.handle,
        Money::new(80_000, eur),
        &client.handle,
    )
    .unwrap();
    let job = app.post_job(client, sql_job("Speed up the load")).unwrap();
    let proposal = app
        .propose(
            worker,
            &job.id,
            ProposalInput {
                note: "Done it before.".into(),
                rate: 80_000,
                availability: "Now".into(),
            },
        )
        .unwrap();
    let k = app
        .offer_from_proposal(
            client,
            &proposal.id,
            vec![MilestoneInput {
                title: "All of it".into(),
                amount: 80_000,
                due_on: "2099-01-01".into(),
            }],
        )
        .unwrap();
    app.answer_offer(worker, &k.id, true).unwrap();
    let m = &k.milestones[0];
    app.fund_milestone(client, &k.id, &m.id, &format!("f{}", m.id))
        .unwrap();
    app.submit_milestone(worker, &k.id, &m.id).unwrap();
    app.accept_milestone(client, &k.id, &m.id, &format!("a{}", m.id))
        .unwrap();
}

fn sql_trust(app: &App, who: &Account) -> f64 {
    let reputation = app.my_reputation(who).unwrap();
    reputation
        .trust
        .unwrap()
        .skills
        .iter()
        .find(|s| s.label == "SQL")
        .map_or(0.0, |s| s.value)
}

#[test]
fn a_ring_endorsing_itself_stays_below_a_member_with_three_real_contracts() {
    for db in TestDb::all() {
        let app = app(&db);
        let operator = app
            .create_account(
                SignUp {
                    email: "op@example.org".into(),
                    ..sign_up_input("operator")
                },
                true,
            )
            .unwrap();
        let curator = member(&app, "curator");
        app.create_community(
            &curator,
            CommunityInput {
                name: "Data Guild".into(),
                slug: "data-guild".into(),
                admission: Some(Admission::Invitation),
                ..CommunityInput::default()
            },
        )
        .unwrap();
        let mia = member(&app, "mia");
        admit(&app, &curator, &mia);
        claim_sql(&app, &mia);
        for i in 0..3 {
            let client = member(&app, &format!("client{i}"));
            admit(&app, &curator, &client);
            completed_sql_work(&app, &operator, &client, &mia);
        }

        // Twenty accounts in a ring, each endorsing both neighbours' SQL claims.
        let ring: Vec<Account> = (0..20).map(|i| member(&app, &format!("ring{i}"))).collect();
        let claims: Vec<String> = ring.iter().map(|r| claim_sql(&app, r)).collect();
        for i in 0..20 {
            let next = (i + 1) % 20;
            let asked = app
                .request_connection(&ring[i], &ring[next].handle)
                .unwrap();
            app.accept_connection(&ring[next], &asked.id).unwrap();
        }
        for i in 0..20 {
            for j in [(i + 1) % 20, (i + 19) % 20] {
                app.endorse(&ring[i], &ring[j].handle, &claims[j], "the best")
                    .unwrap();
            }
        }

        let report = |label: &str| {
            let member = sql_trust(&app, &mia);
            let ring_sql: Vec<f64> = ring.iter().map(|r| sql_trust(&app, r)).collect();
            let best = ring_sql.iter().cloned().fold(0.0, f64::max);
            let total: f64 = ring_sql.iter().sum();
            println!(
                "{label}: SQL trust of the member {member:.3}, best ring account {best:.3}, \
                 whole ring {total:.3} (multiples of the average member's trust)"
            );
            (member, best, total)
        };
        let (member_trust, best, total) = report("ring outside the guild");
        assert!(member_trust > 1.0, "three paid contracts: {member_trust}");
        assert!(
            best < 1e-6 && total < 1e-6,
            "no curator vouched for the ring"
        );

        // The explanation names the contracts.
        let trust = app.my_reputation(&mia).unwrap().trust.unwrap();
        let sql = trust.skills.iter().find(|s| s.label == "SQL").unwrap();
        assert_eq!(sql.because.len(), 3, "{sql:?}");
        assert!(sql.because.iter().all(|c| c.entry.is_some()
            && c.from.starts_with("client")
            && c.why.starts_with("completed a contract")));

        // One ring account gets into the guild: the ring now has a path from the seed, yet
        // every ring account stays below the member, and so does the whole ring.
        admit(&app, &curator, &ring[0]);
        let (member_trust, best, total) = report("one ring account admitted");
        assert!(best > 0.0, "trust now reaches the ring");
        assert!(best < member_trust, "{best} against {member_trust}");
        assert!(total < member_trust, "{total} against {member_trust}");
    }
}
