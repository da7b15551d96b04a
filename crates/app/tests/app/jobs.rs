//! Jobs on both databases: who sees them, proposals, invitations and referrals, an offer made
//! from a proposal that fills the job and rewards the referrer, and open demand per skill in a
//! community's application review.

use guildhall_app::AppError;
use guildhall_app::accounts::Account;
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::admission::ApplicationInput;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member, operator};
use guildhall_app::work::jobs::{JobInput, JobSkill, JobStatus, Pricing, ProposalInput};
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_domain::community::Admission;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_store::testdb::TestDb;

pub fn job(title: &str, community: Option<&str>) -> JobInput {
    JobInput {
        title: title.into(),
        description: "Find why the nightly load takes six hours.".into(),
        organisation: "Acme Retail".into(),
        skills: vec![
            JobSkill {
                label: "SQL".into(),
                weight: 5,
                min_level: 4,
                required: true,
                skill_id: None,
            },
            JobSkill {
                label: "Python".into(),
                weight: 2,
                min_level: 2,
                required: false,
                skill_id: None,
            },
        ],
        pricing: Pricing::Fixed,
        budget_min: 200_000,
        budget_max: 400_000,
        currency: "EUR".into(),
        starts_on: "2026-12-01".into(),
        ends_on: "2027-01-31".into(),
        hours_per_week: Some(20),
        remote: true,
        place: String::new(),
        tz_min_offset: -60,
        tz_max_offset: 180,
        community: community.map(str::to_string),
        publish: true,
        occupation: None,
    }
}

pub fn proposal(rate: i64) -> ProposalInput {
    ProposalInput {
        note: "I tuned a similar warehouse last year.".into(),
        rate,
        availability: "From December, 20 h a week".into(),
    }
}

#[test]
fn jobs_are_seen_by_whom_they_are_for() {
    for db in TestDb::all() {
        let app = app(&db);
        let (client, ana, outsider) = (
            member(&app, "client"),
            member(&app, "ana"),
            member(&app, "out"),
        );
        app.communities()
            .create_community(
                &client,
                CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        app.communities()
            .join_community(&ana, "data-guild")
            .unwrap();
        let public = app
            .work()
            .post_job(&client, job("Speed up the nightly load", None))
            .unwrap();
        assert_eq!(public.skills[0].label, "SQL");
        assert!(public.skills[0].skill_id.is_some());
        assert_eq!(public.budget, "€2,000.00 – €4,000.00");
        let guild = app
            .work()
            .post_job(
                &client,
                job("Guild-only dashboard rebuild", Some("data-guild")),
            )
            .unwrap();
        let draft = app
            .work()
            .post_job(
                &client,
                JobInput {
                    publish: false,
                    occupation: None,
                    ..job("A draft for later", None)
                },
            )
            .unwrap();
        let titles = |who: &Account| -> Vec<String> {
            app.work()
                .open_jobs(who)
                .unwrap()
                .into_iter()
                .map(|j| j.title)
                .collect()
        };
        assert_eq!(titles(&ana).len(), 2);
        assert_eq!(titles(&outsider), vec!["Speed up the nightly load"]);
        assert!(matches!(
            app.work().job(&outsider, &guild.id),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.work().job(&ana, &draft.id),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.work().propose(&outsider, &guild.id, proposal(300_000)),
            Err(AppError::NotFound)
        ));
        app.work()
            .set_job_status(&client, &draft.id, JobStatus::Open)
            .unwrap();
        assert!(titles(&outsider).contains(&"A draft for later".to_string()));
        assert!(matches!(
            app.work()
                .set_job_status(&client, &draft.id, JobStatus::Draft),
            Err(AppError::Conflict { .. })
        ));

        let bad = app.work().post_job(
            &client,
            JobInput {
                budget_max: 1,
                ends_on: "2026-02-30".into(),
                remote: false,
                skills: vec![],
                ..job("Bad", None)
            },
        );
        let Err(AppError::Validation(e)) = bad else {
            panic!("{bad:?}")
        };
        let paths: Vec<&str> = e.0.iter().map(|f| f.path.as_str()).collect();
        for p in ["/title", "/skills", "/budget_max", "/ends_on", "/place"] {
            assert!(paths.contains(&p), "{p} in {paths:?}");
        }
    }
}

#[test]
fn a_referred_member_is_hired_and_the_referrer_rewarded() {
    for db in TestDb::all() {
        let app = app(&db);
        let operator = operator(&app, "operator");
        let (client, ana, ben, rita) = (
            member(&app, "client"),
            member(&app, "ana"),
            member(&app, "ben"),
            member(&app, "rita"),
        );
        let eur = Currency::parse("EUR").unwrap();
        app.work()
            .confirm_deposit(&operator, "client", Money::new(1_000_000, eur), "seed")
            .unwrap();
        let j = app
            .work()
            .post_job(&client, job("Speed up the nightly load", None))
            .unwrap();

        // Rita refers Ana; Ben is invited by the client; both propose.
        app.work()
            .refer(&rita, &j.id, "ana", "She did this for a bank")
            .unwrap();
        assert!(matches!(
            app.work().refer(&ben, &j.id, "ana", "me too"),
            Err(AppError::Conflict { .. })
        ));
        assert!(matches!(
            app.work().refer(&rita, &j.id, "rita", ""),
            Err(AppError::Validation(_))
        ));
        let invited = app.work().invite_to_job(&client, &j.id, "ben").unwrap();
        assert_eq!(invited.status, "invited");
        let ana_p = app.work().propose(&ana, &j.id, proposal(300_000)).unwrap();
        assert_eq!(ana_p.referred_by.as_deref(), Some("rita"));
        let ben_p = app.work().propose(&ben, &j.id, proposal(350_000)).unwrap();
        // First come counts: nobody refers a member who proposed or was invited already.
        let late = app.work().refer(&rita, &j.id, "ben", "Ben is great");
        match late {
            Err(AppError::Conflict { message, .. }) => {
                assert!(message.contains("already proposed"), "{message}")
            }
            other => panic!("a late referral is refused: {other:?}"),
        }
        // A direct offer names as referrer only someone who referred that member to one of
        // the client's jobs.
        let direct = |member: &str| OfferInput {
            member: member.into(),
            title: "Index review".into(),
            currency: "EUR".into(),
            milestones: vec![MilestoneInput {
                title: "Review".into(),
                amount: 10_000,
                due_on: "2099-01-15".into(),
                by_learner: false,
            }],
            community: None,
            referrer: Some("rita".into()),
            hourly: None,
            learner: None,
        };
        match app.work().offer_contract(&client, direct("ben")) {
            Err(AppError::Validation(e)) => assert_eq!(e.0[0].path, "/referrer"),
            other => panic!("an arbitrary referrer is refused: {other:?}"),
        }
        let fair = app.work().offer_contract(&client, direct("ana")).unwrap();
        assert!(fair.shares.referral_reward.is_some());
        assert_eq!(
            (ben_p.id.as_str(), ben_p.status.as_str()),
            (invited.id.as_str(), "submitted")
        );
        assert!(matches!(
            app.work().propose(&ana, &j.id, proposal(1)),
            Err(AppError::Conflict { .. })
        ));
        let (_, seen_by_client) = app.work().job(&client, &j.id).unwrap();
        assert_eq!(seen_by_client.len(), 2);
        let (_, seen_by_ana) = app.work().job(&ana, &j.id).unwrap();
        assert_eq!(seen_by_ana.len(), 1, "members see only their own proposal");

        app.work()
            .review_proposal(&client, &ben_p.id, false)
            .unwrap();
        app.work()
            .review_proposal(&client, &ana_p.id, true)
            .unwrap();
        let offer = app
            .work()
            .offer_from_proposal(
                &client,
                &ana_p.id,
                vec![MilestoneInput {
                    title: "Diagnosis and fix".into(),
                    amount: 300_000,
                    due_on: "2099-01-15".into(),
                    by_learner: false,
                }],
                None,
            )
            .unwrap();
        let started = app.work().answer_offer(&ana, &offer.id, true).unwrap();
        let (filled, _) = app.work().job(&client, &j.id).unwrap();
        assert_eq!(filled.status, JobStatus::Filled);
        let m = started.milestones[0].id.clone();
        app.work()
            .fund_milestone(&client, &offer.id, &m, "f")
            .unwrap();
        app.work().submit_milestone(&ana, &offer.id, &m).unwrap();
        app.work()
            .accept_milestone(&client, &offer.id, &m, "a")
            .unwrap();
        let reward = app
            .work()
            .balances(&rita)
            .unwrap()
            .into_iter()
            .find(|b| b.kind == "referral_rewards")
            .unwrap();
        assert_eq!(reward.minor, 15_000, "5 % of €3,000.00");
        let hired = app
            .accounts()
            .my_events(rita.id, &Default::default())
            .unwrap()
            .items
            .into_iter()
            .any(|e| e.event_type == "work.referral_hired");
        assert!(hired);
    }
}

#[test]
fn application_review_counts_open_community_jobs_per_skill() {
    for db in TestDb::all() {
        let app = app(&db);
        let (owner, applicant) = (member(&app, "owner"), member(&app, "applicant"));
        app.communities()
            .create_community(
                &owner,
                CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    admission: Some(Admission::Application),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        app.work()
            .post_job(&owner, job("Guild job one", Some("data-guild")))
            .unwrap();
        app.work()
            .post_job(&owner, job("Guild job two", Some("data-guild")))
            .unwrap();
        app.profiles()
            .add_item(
                &applicant,
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
            .unwrap();
        app.communities()
            .apply_to_community(&applicant, "data-guild", ApplicationInput::default())
            .unwrap();
        let review = app
            .communities()
            .review_applications(&owner, "data-guild")
            .unwrap();
        let sql = &review[0].skills[0];
        assert_eq!(
            (sql.skill.label.as_str(), sql.supply, sql.open_demand),
            ("SQL", 0, 2)
        );
    }
}
