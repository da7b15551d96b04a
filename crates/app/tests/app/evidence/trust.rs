//! Trust over real accounts on both databases: a ring of twenty accounts endorsing each other's
//! SQL claims against one member with three completed contracts for SQL work for clients a curator
//! admitted. The figures are printed.

use crate::community_matrix::admit;
use crate::jobs::{job, proposal};
use guildhall_app::App;
use guildhall_app::accounts::Account;
use guildhall_app::communities::CommunityInput;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member, operator};
use guildhall_app::work::MilestoneInput;
use guildhall_domain::community::{Admission, Role};
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_store::testdb::TestDb;

fn claim_sql(app: &App, who: &Account) -> String {
    app.profiles()
        .add_item(
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

/// A job posted by `client`, filled by `worker` and completed with a mark of 5.
fn completed_sql_work(app: &App, operator: &Account, client: &Account, worker: &Account) {
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(
            operator,
            &client.handle,
            Money::new(80_000, eur),
            &client.handle,
        )
        .unwrap();
    let job = app
        .work()
        .post_job(client, job("Speed up the load", None))
        .unwrap();
    let proposal = app
        .work()
        .propose(worker, &job.id, proposal(80_000))
        .unwrap();
    let k = app
        .work()
        .offer_from_proposal(
            client,
            &proposal.id,
            vec![MilestoneInput {
                title: "All of it".into(),
                amount: 80_000,
                due_on: "2099-01-01".into(),
                by_learner: false,
            }],
            None,
        )
        .unwrap();
    app.work().answer_offer(worker, &k.id, true).unwrap();
    let m = &k.milestones[0];
    app.work()
        .fund_milestone(client, &k.id, &m.id, &format!("f{}", m.id))
        .unwrap();
    app.work().submit_milestone(worker, &k.id, &m.id).unwrap();
    app.work()
        .accept_milestone(client, &k.id, &m.id, &format!("a{}", m.id))
        .unwrap();
}

fn sql_trust(app: &App, who: &Account) -> f64 {
    let reputation = app.evidence().my_reputation(who).unwrap();
    reputation
        .trust
        .unwrap()
        .skills
        .iter()
        .find(|s| s.label == "SQL")
        .map_or(0.0, |s| s.value)
}

/// A vetted guild whose curator admitted `mia` and three clients who each paid her for SQL
/// work, and a ring of twenty accounts vouching for both neighbours' SQL claims.
pub struct Guild {
    pub app: App,
    pub operator: Account,
    pub curator: Account,
    pub mia: Account,
    pub clients: Vec<Account>,
    pub ring: Vec<Account>,
}

pub fn guild(db: &TestDb) -> Guild {
    let app = app(db);
    let operator = operator(&app, "operator");
    let curator = member(&app, "curator");
    app.communities()
        .create_community(
            &curator,
            CommunityInput {
                name: "Data Guild".into(),
                slug: "data-guild".into(),
                admission: Some(Admission::Invitation),
                ..CommunityInput::default()
            },
        )
        .unwrap();
    app.instance()
        .set_vetted(&operator, "data-guild", true)
        .unwrap();
    let mia = member(&app, "mia");
    admit(&app, &curator, "data-guild", &mia, Role::Member);
    claim_sql(&app, &mia);
    let clients: Vec<Account> = (0..3)
        .map(|i| {
            let client = member(&app, &format!("client{i}"));
            admit(&app, &curator, "data-guild", &client, Role::Member);
            completed_sql_work(&app, &operator, &client, &mia);
            client
        })
        .collect();

    let ring: Vec<Account> = (0..20).map(|i| member(&app, &format!("ring{i}"))).collect();
    let claims: Vec<String> = ring.iter().map(|r| claim_sql(&app, r)).collect();
    for i in 0..20 {
        let next = (i + 1) % 20;
        let asked = app
            .profiles()
            .request_connection(&ring[i], &ring[next].handle)
            .unwrap();
        app.profiles()
            .accept_connection(&ring[next], &asked.id)
            .unwrap();
    }
    // Endorsing needs shared evidence the ring does not have, so each suggests SQL to both
    // neighbours, who accept.
    for i in 0..20 {
        for j in [(i + 1) % 20, (i + 19) % 20] {
            assert!(
                app.skills()
                    .endorse(&ring[i], &ring[j].handle, &claims[j], "the best")
                    .is_err()
            );
            let sent = app
                .skills()
                .suggest_skill(&ring[i], &ring[j].handle, "SQL", "the best")
                .unwrap();
            app.skills()
                .accept_suggestion(&ring[j], &sent.id, vec!["members".into()], 5)
                .unwrap();
        }
    }
    Guild {
        app,
        operator,
        curator,
        mia,
        clients,
        ring,
    }
}

/// Prints and returns the member's SQL trust, the best ring account's and the whole ring's.
fn report(g: &Guild, label: &str) -> (f64, f64, f64) {
    let member = sql_trust(&g.app, &g.mia);
    let ring_sql: Vec<f64> = g.ring.iter().map(|r| sql_trust(&g.app, r)).collect();
    let best = ring_sql.iter().cloned().fold(0.0, f64::max);
    let total: f64 = ring_sql.iter().sum();
    println!(
        "{label}: SQL trust of the member {member:.3}, best ring account {best:.3}, \
         whole ring {total:.3} (multiples of the average member's trust)"
    );
    (member, best, total)
}

#[test]
fn a_ring_endorsing_itself_stays_below_a_member_with_three_real_contracts() {
    for db in TestDb::all() {
        let g = guild(&db);
        let (member_trust, best, total) = report(&g, "ring outside the guild");
        assert!(member_trust > 1.0, "three paid contracts: {member_trust}");
        assert!(
            best < 1e-6 && total < 1e-6,
            "no curator vouched for the ring"
        );

        // The explanation names the contracts to the member.
        let trust = g
            .app
            .evidence()
            .my_reputation(&g.mia)
            .unwrap()
            .trust
            .unwrap();
        let sql = trust.skills.iter().find(|s| s.label == "SQL").unwrap();
        assert_eq!(sql.because.len(), 3, "{sql:?}");
        assert!(sql.because.iter().all(|c| c.entry.is_some()
            && c.from.as_deref().is_some_and(|f| f.starts_with("client"))
            && c.why.starts_with("completed a contract")));

        // One ring account gets into the guild: the ring now has a path from the seed, yet
        // every ring account stays below the member, and so does the whole ring.
        admit(&g.app, &g.curator, "data-guild", &g.ring[0], Role::Member);
        let (member_trust, best, total) = report(&g, "one ring account admitted");
        assert!(best > 0.0, "trust now reaches the ring");
        assert!(best < member_trust, "{best} against {member_trust}");
        assert!(total < member_trust, "{total} against {member_trust}");
    }
}

#[test]
fn a_ring_with_its_own_invitation_only_community_seeds_nothing() {
    for db in TestDb::all() {
        let g = guild(&db);
        let owner = &g.ring[0];
        g.app
            .communities()
            .create_community(
                owner,
                CommunityInput {
                    name: "Ring Guild".into(),
                    slug: "ring-guild".into(),
                    admission: Some(Admission::Invitation),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        for (i, r) in g.ring.iter().enumerate().skip(1) {
            let role = if i < 4 { Role::Curator } else { Role::Member };
            admit(&g.app, owner, "ring-guild", r, role);
        }
        let (member_trust, best, total) = report(&g, "ring with its own curated community");
        assert!(best < member_trust, "{best} against {member_trust}");
        assert!(total < member_trust, "{total} against {member_trust}");
        assert!(total < 1e-6, "a community nobody vetted seeds no trust");

        // Once an operator vets it, its curators are seeds like any vetted curator.
        g.app
            .instance()
            .set_vetted(&g.operator, "ring-guild", true)
            .unwrap();
        let (_, best, _) = report(&g, "the ring's community vetted");
        assert!(best > 0.0);
    }
}
