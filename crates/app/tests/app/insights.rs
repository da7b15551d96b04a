//! Skills gaps on both databases: a member's gap for a job, a saved search and an occupation,
//! with the resources, mentors, members and jobs each gap leads to, seen through audiences
//! only; and a community's gaps for its curators, with groups under five kept back.

use crate::community_matrix::admit;
use crate::jobs::job;
use crate::matching::claim;
use guildhall_app::AppError;
use guildhall_app::clock::ManualClock;
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::learning::ResourceInput;
use guildhall_app::communities::mentoring::OfferInput;
use guildhall_app::insights::TargetKind;
use guildhall_app::matching::SearchInput;
use guildhall_app::taxonomy::{ImportReport, SourceSkill};
use guildhall_app::testing::{app_with_clock, member};
use guildhall_app::work::jobs::JobSkill;
use guildhall_domain::community::{Admission, Role, Visibility};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

const DAY: i64 = 24 * 3600 * 1000;

/// The "data" guild, by invitation, founded by `founder`.
fn data_guild(
    app: &guildhall_app::App,
    founder: &guildhall_app::accounts::Account,
) -> guildhall_app::communities::Community {
    app.communities()
        .create_community(
            founder,
            CommunityInput {
                name: "Data guild".into(),
                slug: "data".into(),
                visibility: Some(Visibility::Public),
                admission: Some(Admission::Invitation),
                ..CommunityInput::default()
            },
        )
        .unwrap()
}

fn sql_job(title: &str, level: u8) -> guildhall_app::work::jobs::JobInput {
    let mut input = job(title, None);
    input.skills = vec![JobSkill {
        label: "SQL".into(),
        weight: 3,
        min_level: level,
        required: true,
        skill_id: None,
    }];
    input
}

#[test]
fn a_members_gap_for_a_job_names_the_ways_across_each_skill() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(1_767_225_600_000));
        let app = app_with_clock(&db, clock.clone());
        let founder = member(&app, "founder");
        data_guild(&app, &founder);
        let (lea, mia, old, gro, hid) = (
            member(&app, "lea"),
            member(&app, "mia"),
            member(&app, "old"),
            member(&app, "gro"),
            member(&app, "hid"),
        );
        admit(&app, &founder, "data", &lea, Role::Member);
        admit(&app, &founder, "data", &mia, Role::Mentor);
        // Brought along on joining: a holder, but not someone who closed the gap here.
        claim(&app, &old, "SQL", 5, "public");
        claim(&app, &lea, "Python", 1, "public");
        clock.advance(40 * DAY);
        claim(&app, &gro, "SQL", 4, "public");
        claim(&app, &hid, "SQL", 5, "connections");
        app.communities()
            .offer_mentoring(
                &mia,
                "data",
                OfferInput {
                    skills: vec!["SQL".into()],
                    note: "Query plans, indexes".into(),
                    on_real_work: true,
                },
            )
            .unwrap();
        app.communities()
            .add_resource(
                &founder,
                "data",
                ResourceInput {
                    title: "Use the index, Luke".into(),
                    url: "https://use-the-index-luke.com/".into(),
                    provider: "Markus Winand".into(),
                    skills: vec!["SQL".into()],
                    cost_minor: 0,
                    currency: String::new(),
                    duration_minutes: None,
                    credit: None,
                },
            )
            .unwrap();
        let client = member(&app, "client");
        let target = app
            .work()
            .post_job(&client, job("Nightly load", None))
            .unwrap();
        app.work()
            .post_job(&client, sql_job("Weekly report", 3))
            .unwrap();
        app.work()
            .post_job(&client, sql_job("Query audit", 5))
            .unwrap();

        let report = app.insights().job_gap(&lea, &target.id).unwrap();
        assert_eq!(report.target.kind, TargetKind::Job);
        assert_eq!(report.open_jobs, 2, "the other open jobs");
        let skills: Vec<&str> = report.gaps.iter().map(|g| g.skill.label.as_str()).collect();
        assert_eq!(
            skills,
            ["SQL", "Python"],
            "weight 5 lacking before weight 2 nice"
        );
        let sql = &report.gaps[0];
        assert_eq!((sql.held, sql.wanted, sql.open_jobs_asking), (None, 4, 2));
        // 5 × 4 levels × (1 + 2 of 2 jobs).
        assert_eq!(sql.score, 40.0);
        assert_eq!(
            sql.why,
            "You don't show this skill yet; level 4 is asked (required, weight 5 of 5); \
             2 of the 2 open jobs you can see ask for it."
        );
        let titles = |links: &[guildhall_app::insights::gap::JobLink]| {
            links.iter().map(|j| j.title.clone()).collect::<Vec<_>>()
        };
        assert_eq!(
            titles(&sql.reachable_jobs),
            ["Weekly report"],
            "5 is above 4"
        );
        assert_eq!(sql.resources.len(), 1);
        assert_eq!(sql.resources[0].community, "data");
        assert_eq!(sql.mentors.len(), 1);
        assert_eq!(sql.mentors[0].mentor, "mia");
        assert_eq!(
            sql.closed_by,
            ["gro"],
            "old brought it; hid shows connections only"
        );
        let python = &report.gaps[1];
        assert_eq!(
            (python.held, python.wanted, python.required),
            (Some(1), 2, false)
        );
        assert!(python.mentors.is_empty() && python.resources.is_empty());
        assert!(report.met.is_empty());

        // Connected, lea sees hid's claim too; once she shows SQL at 4 the gap closes.
        let asked = app.profiles().request_connection(&lea, "hid").unwrap();
        app.profiles().accept_connection(&hid, &asked.id).unwrap();
        let report = app.insights().job_gap(&lea, &target.id).unwrap();
        assert_eq!(
            report.gaps[0].closed_by,
            ["hid", "gro"],
            "most recent first"
        );
        claim(&app, &lea, "SQL", 4, "private");
        let report = app.insights().job_gap(&lea, &target.id).unwrap();
        assert_eq!(report.gaps.len(), 1, "her own private claim counts for her");
        assert_eq!(report.met[0].label, "SQL");

        // A saved search is its owner's alone.
        let search = app
            .matching()
            .save_search(
                &client,
                SearchInput {
                    name: "SQL people".into(),
                    ..serde_json::from_value(serde_json::json!({
                        "name": "", "skills": [{"label": "SQL", "min_level": 5}]
                    }))
                    .unwrap()
                },
            )
            .unwrap();
        let own = app.insights().search_gap(&client, &search.id).unwrap();
        assert_eq!(
            (own.target.kind, own.gaps.len()),
            (TargetKind::SavedSearch, 1)
        );
        assert!(matches!(
            app.insights().search_gap(&lea, &search.id),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.insights().job_gap(&lea, "no-such-job"),
            Err(AppError::NotFound)
        ));
    }
}

#[test]
fn an_occupations_gap_measures_the_skills_the_taxonomy_knows() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(1_767_225_600_000)));
        let skill = |key: &str, label: &str| SourceSkill {
            key: format!("esco:{key}"),
            uri: None,
            preferred: label.into(),
            alts: Vec::new(),
            aliases: Vec::new(),
            kind: "skill".into(),
            source: "esco".into(),
        };
        app.skills()
            .import_skills(
                &[skill("q", "query languages"), skill("b", "perform backups")],
                &|_, _| {},
                &mut ImportReport::default(),
            )
            .unwrap();
        let dba = guildhall_app::insights::occupations()
            .unwrap()
            .into_iter()
            .find(|o| o.label == "database administrator")
            .unwrap();
        assert_eq!(dba.id, "8c57af09-719c-42b3-be40-6ed4946236cc");
        let lea = member(&app, "lea");
        claim(&app, &lea, "query languages", 4, "private");
        let report = app.insights().occupation_gap(&lea, &dba.id).unwrap();
        assert_eq!(report.target.title, "database administrator");
        assert_eq!(report.met.len(), 1);
        assert_eq!(report.gaps.len(), 1);
        assert_eq!(report.gaps[0].skill.label, "perform backups");
        assert_eq!((report.gaps[0].wanted, report.gaps[0].weight), (3, 3));
        assert_eq!(report.unmeasured.len(), 25, "27 skills, 2 known");
        assert!(matches!(
            app.insights().occupation_gap(&lea, "not-an-occupation"),
            Err(AppError::NotFound)
        ));
    }
}

#[test]
fn curators_see_their_communitys_gaps_with_small_groups_kept_back() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(1_767_225_600_000)));
        let founder = member(&app, "founder");
        let community = data_guild(&app, &founder);
        let shown = format!("community:{}", community.id);
        for n in 0..5 {
            let m = member(&app, &format!("member{n}"));
            admit(&app, &founder, "data", &m, Role::Member);
            claim(&app, &m, "SQL", 4, &shown);
            claim(&app, &m, "Figma", 1, "public");
        }
        let secret = member(&app, "secret");
        admit(&app, &founder, "data", &secret, Role::Member);
        claim(&app, &secret, "SQL", 5, "private");
        let outsider = member(&app, "outsider");
        claim(&app, &outsider, "SQL", 5, "public");
        let client = member(&app, "client");
        admit(&app, &founder, "data", &client, Role::Member);
        let mut in_guild = sql_job("Guild report", 3);
        in_guild.community = Some("data".into());
        app.work().post_job(&client, in_guild).unwrap();
        let mut figma = job("Guild redesign", Some("data"));
        figma.skills = vec![JobSkill {
            label: "Figma".into(),
            weight: 3,
            min_level: 3,
            required: true,
            skill_id: None,
        }];
        app.work().post_job(&client, figma).unwrap();
        app.work()
            .post_job(&client, sql_job("Public job", 2))
            .unwrap();

        let gaps = app.insights().community_gaps(&founder, "data").unwrap();
        assert_eq!((gaps.open_jobs, gaps.members), (2, Some(8)));
        let labels: Vec<&str> = gaps.gaps.iter().map(|g| g.skill.label.as_str()).collect();
        assert_eq!(labels, ["Figma", "SQL"], "nobody meets Figma at 3");
        let sql = &gaps.gaps[1];
        assert_eq!((sql.open_jobs, sql.level), (1, 3));
        assert_eq!(
            sql.members_meeting,
            Some(5),
            "the private claim and the outsider left out"
        );
        assert_eq!(sql.members_below, None);
        let figma = &gaps.gaps[0];
        assert_eq!(
            (figma.members_meeting, figma.members_below),
            (None, Some(5))
        );

        let curator = member(&app, "curator");
        admit(&app, &founder, "data", &curator, Role::Curator);
        assert!(app.insights().community_gaps(&curator, "data").is_ok());
        assert!(matches!(
            app.insights().community_gaps(&client, "data"),
            Err(AppError::Forbidden(_))
        ));
    }
}

fn available(app: &guildhall_app::App, who: &guildhall_app::accounts::Account, audience: &str) {
    app.availability()
        .set(
            who,
            guildhall_app::profiles::ItemInput {
                audiences: vec![audience.into()],
                data: serde_json::from_value(serde_json::json!({
                    "kind": "availability", "timezone": "UTC", "hours_per_week": 10,
                    "weekly": [{"day": "monday", "start": "09:00", "end": "17:00"},
                               {"day": "tuesday", "start": "09:00", "end": "17:00"}]
                }))
                .unwrap(),
            },
        )
        .unwrap();
}

#[test]
fn liquidity_is_open_hours_against_free_hours_per_skill_day_by_day() {
    for db in TestDb::all() {
        // Monday 1 March 2027: the window runs to Sunday 28 March.
        let clock = Arc::new(ManualClock::at(1_803_859_200_000));
        let app = app_with_clock(&db, clock.clone());
        let founder = member(&app, "founder");
        data_guild(&app, &founder);
        let mut members = Vec::new();
        for n in 0..5 {
            let m = member(&app, &format!("member{n}"));
            admit(&app, &founder, "data", &m, Role::Member);
            claim(&app, &m, "SQL", 3, "public");
            available(&app, &m, "public");
            members.push(m);
        }
        // Neither counts: one hides the skill, the other their hours.
        let quiet = member(&app, "quiet");
        claim(&app, &quiet, "SQL", 5, "private");
        available(&app, &quiet, "public");
        let busy = member(&app, "busy");
        claim(&app, &busy, "SQL", 5, "public");
        available(&app, &busy, "private");
        let client = member(&app, "client");
        admit(&app, &founder, "data", &client, Role::Member);
        let mut four_weeks = sql_job("Guild warehouse", 2);
        four_weeks.community = Some("data".into());
        four_weeks.starts_on = "2027-03-01".into();
        four_weeks.ends_on = "2027-04-30".into();
        app.work().post_job(&client, four_weeks).unwrap();

        let empty = app
            .insights()
            .community_liquidity(&founder, "data")
            .unwrap();
        assert_eq!(
            (empty.taken_on, empty.rows.len()),
            (None, 0),
            "before any snapshot"
        );
        assert!(app.insights().take_liquidity_snapshot().unwrap().is_some());
        assert_eq!(
            app.insights().take_liquidity_snapshot().unwrap(),
            None,
            "once a day"
        );

        let guild = app
            .insights()
            .community_liquidity(&founder, "data")
            .unwrap();
        assert_eq!(guild.taken_on.as_deref(), Some("2027-03-01"));
        let sql = &guild.rows[0];
        assert_eq!(sql.skill.label, "SQL");
        // 20 hours a week for four weeks, against five members' 10 free hours a week.
        assert_eq!(sql.demand_hours, Some(80.0));
        assert_eq!(sql.supply_hours, Some(200.0));
        assert_eq!(sql.words, "0.4 open hours per free hour");

        let mine = app.insights().my_liquidity(&members[0]).unwrap();
        assert_eq!(mine.len(), 2, "the instance and the guild");
        let instance = &mine[0];
        assert_eq!(instance.rows.len(), 1, "only the skills they show");
        assert_eq!(instance.rows[0].supply_hours, Some(200.0));
        assert_eq!(
            instance.rows[0].demand_hours, None,
            "one job: over the instance, too few to show"
        );

        clock.advance(DAY);
        app.insights().take_liquidity_snapshot().unwrap();
        let guild = app
            .insights()
            .community_liquidity(&founder, "data")
            .unwrap();
        assert_eq!(guild.history[0].points.len(), 2, "a point a day");
        assert!(matches!(
            app.insights().community_liquidity(&client, "data"),
            Err(AppError::Forbidden(_))
        ));
    }
}

#[test]
fn the_rates_map_gives_medians_of_five_or_more_people_with_the_us_wages_beside() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(1_803_859_200_000)));
        let dba = guildhall_app::insights::occupations()
            .unwrap()
            .into_iter()
            .find(|o| o.label == "database administrator")
            .unwrap();
        let hourly = |title: &str, rate: i64, occupation: Option<&str>| {
            let mut input = sql_job(title, 3);
            input.pricing = guildhall_app::work::jobs::Pricing::Hourly;
            input.budget_min = rate - 1_000;
            input.budget_max = rate + 1_000;
            input.starts_on = "2027-03-01".into();
            input.ends_on = "2027-03-31".into();
            input.occupation = occupation.map(str::to_string);
            input
        };
        let mut posted = Vec::new();
        for (n, rate) in [6_000, 7_000, 8_000, 9_000, 10_000].into_iter().enumerate() {
            let client = member(&app, &format!("client{n}"));
            let job = app
                .work()
                .post_job(&client, hourly("Tune the warehouse", rate, Some(&dba.id)))
                .unwrap();
            posted.push((client, job.id));
        }
        // One client's many jobs are one person: not enough for a cell of their own.
        let busy = member(&app, "busy");
        for rate in [20_000, 21_000, 22_000] {
            let mut input = hourly("Design the dashboards", rate, None);
            input.skills[0].label = "Figma".into();
            app.work().post_job(&busy, input).unwrap();
        }
        // Fixed price over 31 days at 10 hours a week: €4,429 is about €100 an hour.
        let mut fixed = sql_job("Fixed audit", 3);
        fixed.budget_min = 442_900;
        fixed.budget_max = 442_900;
        fixed.hours_per_week = Some(10);
        fixed.starts_on = "2027-03-01".into();
        fixed.ends_on = "2027-03-31".into();
        app.work().post_job(&busy, fixed).unwrap();

        let viewer = member(&app, "viewer");
        let map = app
            .insights()
            .rate_map(&viewer, &guildhall_app::insights::RateQuery::default())
            .unwrap();
        let before = map.clone();
        assert_eq!(map.currency, "EUR");
        assert_eq!(map.rates_read, 9);
        assert_eq!(map.lengths[1], "2 weeks to 2 months");
        let every = &map.rows[0];
        assert!(every.skill.is_none());
        let sql = map.rows.iter().find(|r| r.skill.is_some()).unwrap();
        assert_eq!(sql.skill.as_ref().unwrap().label, "SQL");
        assert_eq!(map.rows.len(), 2, "Figma: one person");
        let cell = sql.cells[1].as_ref().unwrap();
        // 60, 70, 80, 90, 100 (hourly) and 100 (fixed): six rates from six people.
        assert_eq!((cell.rates, cell.people), (6, 6));
        assert_eq!(cell.median_minor, 8_500);
        assert_eq!(cell.median, "€85.00");
        assert_eq!(cell.range, "€72.50 – €97.50");
        assert!(sql.cells[0].is_none() && sql.cells[3].is_none());

        // Each hourly job hires a different member at €120 an hour: their contracts count too.
        for (n, (client, job)) in posted.iter().enumerate() {
            let hired = member(&app, &format!("hired{n}"));
            let proposed = app
                .work()
                .propose(&hired, job, crate::jobs::proposal(12_000))
                .unwrap();
            let offer = app
                .work()
                .offer_from_proposal(client, &proposed.id, Vec::new(), None)
                .unwrap();
            app.work().answer_offer(&hired, &offer.id, true).unwrap();
        }
        let map = app
            .insights()
            .rate_map(&viewer, &guildhall_app::insights::RateQuery::default())
            .unwrap();
        assert_eq!(map.rates_read, before.rates_read + 5);
        let cell = map.rows[1].cells[1].as_ref().unwrap();
        // 60, 70, 80, 90, 100, the fixed job's 100.01 (€4,429 over 44.3 hours) and five times
        // 120, from eleven people.
        assert_eq!((cell.rates, cell.people), (11, 11));
        assert_eq!(
            (cell.p25_minor, cell.median_minor, cell.p75_minor),
            (8_500, 10_001, 12_000)
        );

        let q = guildhall_app::insights::RateQuery {
            occupation: Some(dba.id.clone()),
            ..Default::default()
        };
        let map = app.insights().rate_map(&viewer, &q).unwrap();
        assert_eq!(
            map.rates_read, 10,
            "only the jobs naming it, and their contracts"
        );
        let wages = map.reference.unwrap();
        assert_eq!(
            (wages.soc_code.as_str(), wages.soc_title.as_str()),
            ("151242", "Database Administrators")
        );
        assert!(wages.hourly_usd[2] > 0.0);

        let bad = guildhall_app::insights::RateQuery {
            days: Some(0),
            currency: Some("euros".into()),
            occupation: Some("nope".into()),
            ..Default::default()
        };
        match app.insights().rate_map(&viewer, &bad) {
            Err(AppError::Validation(e)) => assert_eq!(e.0.len(), 3, "{e:?}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn learning_paths_are_mined_from_evidence_and_shown_from_five_members() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(1_803_859_200_000));
        let app = app_with_clock(&db, clock.clone());
        let founder = member(&app, "founder");
        data_guild(&app, &founder);
        claim(&app, &founder, "SQL", 5, "public");
        let resource = app
            .communities()
            .add_resource(
                &founder,
                "data",
                ResourceInput {
                    title: "Use the index, Luke".into(),
                    url: "https://use-the-index-luke.com/".into(),
                    provider: String::new(),
                    skills: vec!["SQL".into()],
                    cost_minor: 0,
                    currency: String::new(),
                    duration_minutes: None,
                    credit: None,
                },
            )
            .unwrap();
        let mut learners = Vec::new();
        for n in 0..5 {
            let m = member(&app, &format!("learner{n}"));
            admit(&app, &founder, "data", &m, Role::Member);
            learners.push(m);
        }
        let read_then_assessed =
            |app: &guildhall_app::App, who: &guildhall_app::accounts::Account| {
                app.communities()
                    .complete_resource(who, "data", &resource.id, "2027-03-01")
                    .unwrap();
                clock.advance(20 * DAY);
                app.communities()
                    .assess_skill(
                        &founder,
                        "data",
                        &guildhall_app::communities::assessments::AssessmentInput {
                            member: who.handle.clone(),
                            skill: "SQL".into(),
                            note: "Tuned our slowest report".into(),
                        },
                    )
                    .unwrap();
            };
        for who in &learners[..4] {
            read_then_assessed(&app, who);
        }
        let sql = resource.skills[0].id.clone();
        assert!(
            app.insights().learning_paths(&sql).unwrap().is_empty(),
            "four members: not shown"
        );
        read_then_assessed(&app, &learners[4]);
        let paths = app.insights().learning_paths(&sql).unwrap();
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].members, 5);
        assert_eq!(paths[0].median_days, 20);
        assert_eq!(paths[0].steps[0].words, "completed “Use the index, Luke”");
        let text = serde_json::to_string(&paths).unwrap();
        assert!(!text.contains("learner"), "never who: {text}");
        assert!(matches!(
            app.insights().learning_paths("no-such-skill"),
            Err(AppError::NotFound)
        ));
    }
}
