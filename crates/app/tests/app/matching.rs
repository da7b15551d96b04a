//! Find talent on both databases: members ranked for a job and explained, a community job never
//! returning outsiders, a skill shown to connections surfacing to a connection only, blocks
//! and suspensions keeping members out, and changes reaching the index through the feed.

use crate::jobs::job;
use guildhall_app::App;
use guildhall_app::AppError;
use guildhall_app::accounts::Account;
use guildhall_app::communities::CommunityInput;
use guildhall_app::oversight::Actor;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member, operator};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_store::testdb::TestDb;

pub fn claim(app: &App, who: &Account, label: &str, level: u8, audience: &str) -> String {
    app.profiles()
        .add_item(
            who,
            ItemInput {
                audiences: vec![audience.into()],
                data: ItemData::Skill {
                    skill_id: None,
                    label: label.into(),
                    level,
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

fn found(app: &App, client: &Account, job: &str) -> Vec<String> {
    app.matching()
        .find_talent(client, job, 20)
        .unwrap()
        .into_iter()
        .map(|t| t.handle)
        .collect()
}

#[test]
fn talent_is_ranked_explained_and_seen_through_audiences_only() {
    for db in TestDb::all() {
        let app = app(&db);
        let client = member(&app, "client");
        let (ana, bob, cyd) = (
            member(&app, "ana"),
            member(&app, "bob"),
            member(&app, "cyd"),
        );
        // Loaded before anyone claims anything: what follows reaches it through the feed.
        app.matching().load(&|_, _| {}).unwrap();
        claim(&app, &ana, "SQL", 5, "public");
        claim(&app, &ana, "Python", 3, "public");
        claim(&app, &bob, "SQL", 2, "public");
        let hidden = claim(&app, &cyd, "SQL", 5, "connections");
        let posted = app
            .work()
            .post_job(&client, job("Nightly load", None))
            .unwrap();

        let talent = app.matching().find_talent(&client, &posted.id, 20).unwrap();
        let handles: Vec<&str> = talent.iter().map(|t| t.handle.as_str()).collect();
        assert_eq!(handles, ["ana", "bob"], "cyd's SQL is for connections");
        assert_eq!(
            talent[0].matched,
            ["SQL, at level 5 (4 asked)", "Python, at level 3 (2 asked)"]
        );
        assert!(talent[0].missing.is_empty());
        assert_eq!(talent[1].matched, ["SQL, at level 2, below the 4 asked"]);
        assert_eq!(talent[1].missing, ["Python"]);
        assert!(talent[0].score > talent[1].score);
        assert_eq!(
            app.matching().find_talent(&client, &posted.id, 20).unwrap(),
            talent,
            "asked again with nothing new, the shared index answers the same"
        );

        // Availability shown to the client says how the member's free hours meet the job's.
        app.availability()
            .set(
                &ana,
                ItemInput {
                    audiences: vec!["public".into()],
                    data: serde_json::from_value(serde_json::json!({
                        "kind": "availability", "timezone": "UTC", "hours_per_week": 10,
                        "weekly": [{"day": "monday", "start": "09:00", "end": "17:00"},
                                   {"day": "tuesday", "start": "09:00", "end": "17:00"}]
                    }))
                    .unwrap(),
                },
            )
            .unwrap();
        let talent = app.matching().find_talent(&client, &posted.id, 20).unwrap();
        // Ten hours a week, a little less over the job's first, cut week (one working day).
        assert_eq!(talent[0].free_hours, Some(9.9));
        assert_eq!(
            talent[0].availability.as_deref(),
            Some(
                "about 9.9 free hours a week in the job's dates, fewer than the 20 asked: a partial fit"
            )
        );
        assert_eq!(talent[1].availability, None, "bob shows no availability");

        // Connected, the client sees cyd's claim: SQL at 5 and a connection, above bob, below
        // ana who also shows Python.
        let asked = app.profiles().request_connection(&client, "cyd").unwrap();
        app.profiles().accept_connection(&cyd, &asked.id).unwrap();
        let talent = app.matching().find_talent(&client, &posted.id, 20).unwrap();
        let handles: Vec<&str> = talent.iter().map(|t| t.handle.as_str()).collect();
        assert_eq!(handles, ["ana", "cyd", "bob"]);
        assert_eq!(talent[1].network.as_deref(), Some("a connection of yours"));
        assert_eq!(talent[1].missing, ["Python"]);
        // A second-degree contact says through whom.
        let dan = member(&app, "dan");
        claim(&app, &dan, "SQL", 1, "public");
        let asked = app.profiles().request_connection(&cyd, "dan").unwrap();
        app.profiles().accept_connection(&dan, &asked.id).unwrap();
        let talent = app.matching().find_talent(&client, &posted.id, 20).unwrap();
        let d = talent.iter().find(|t| t.handle == "dan").unwrap();
        assert_eq!(d.network.as_deref(), Some("second degree, via @cyd"));

        // Removing the claim, blocking and suspending each take a member out.
        app.profiles().delete_item(&cyd, &hidden).unwrap();
        assert!(!found(&app, &client, &posted.id).contains(&"cyd".to_string()));
        app.conversations().block(&bob, "client").unwrap();
        assert!(!found(&app, &client, &posted.id).contains(&"bob".to_string()));
        let op = operator(&app, "operator");
        let op = Actor::operator(&op).unwrap();
        app.instance()
            .suspend(&op, "ana", "Spam in three communities")
            .unwrap();
        assert_eq!(found(&app, &client, &posted.id), ["dan"]);

        // Only the job's client asks; a bad limit is refused.
        assert!(matches!(
            app.matching().find_talent(&dan, &posted.id, 20),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.matching().find_talent(&client, &posted.id, 0),
            Err(AppError::Validation(_))
        ));
    }
}

#[test]
fn a_community_job_never_returns_outsiders() {
    for db in TestDb::all() {
        let app = app(&db);
        let client = member(&app, "client");
        let (ana, bob) = (member(&app, "ana"), member(&app, "bob"));
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
        claim(&app, &ana, "SQL", 3, "public");
        claim(&app, &bob, "SQL", 5, "public");
        let posted = app
            .work()
            .post_job(&client, job("Guild work", Some("data-guild")))
            .unwrap();
        let talent = app.matching().find_talent(&client, &posted.id, 20).unwrap();
        assert_eq!(
            talent.iter().map(|t| t.handle.as_str()).collect::<Vec<_>>(),
            ["ana"]
        );
        assert_eq!(
            talent[0].network.as_deref(),
            Some("in a community of yours")
        );
    }
}

#[test]
fn work_for_you_ranks_open_jobs_by_the_member_s_skills() {
    use guildhall_domain::job::JobSkill;
    for db in TestDb::all() {
        let app = app(&db);
        let client = member(&app, "client");
        let ana = member(&app, "ana");
        claim(&app, &ana, "SQL", 5, "members");
        let sql_and_python = app
            .work()
            .post_job(&client, job("Nightly load", None))
            .unwrap();
        let mut figma = job("A new logo", None);
        figma.skills = vec![JobSkill {
            label: "Figma".into(),
            weight: 3,
            min_level: 3,
            required: true,
            skill_id: None,
        }];
        app.work().post_job(&client, figma).unwrap();
        let mut sql_only = job("Query review", None);
        sql_only.skills.truncate(1);
        let sql_only = app.work().post_job(&client, sql_only).unwrap();

        let fits = app.matching().work_for_you(&ana, 10).unwrap();
        let titles: Vec<&str> = fits.iter().map(|f| f.title.as_str()).collect();
        // The logo asks nothing she shows; the review asks only what she has.
        assert_eq!(titles, ["Query review", "Nightly load"]);
        assert_eq!(fits[0].job, sql_only.id);
        assert_eq!(fits[1].job, sql_and_python.id);
        assert_eq!(fits[1].matched, ["SQL, at level 5 (4 asked)"]);
        assert_eq!(fits[1].missing, ["Python"]);
        assert!(
            app.matching().work_for_you(&client, 10).unwrap().is_empty(),
            "not one's own jobs"
        );
        assert!(matches!(
            app.matching().work_for_you(&ana, 0),
            Err(AppError::Validation(_))
        ));
    }
}

#[test]
fn a_job_s_time_zone_window_leaves_out_those_shown_outside_it() {
    for db in TestDb::all() {
        let app = app(&db);
        let client = member(&app, "client");
        let place = |who: &Account, place: &str, timezone: &str, audience: &str| {
            app.profiles()
                .add_item(
                    who,
                    ItemInput {
                        audiences: vec![audience.into()],
                        data: ItemData::Location {
                            place: place.into(),
                            timezone: timezone.into(),
                        },
                    },
                )
                .unwrap();
        };
        let (eve, fay, gus) = (
            member(&app, "eve"),
            member(&app, "fay"),
            member(&app, "gus"),
        );
        for who in [&eve, &fay, &gus] {
            claim(&app, who, "SQL", 4, "public");
        }
        place(&eve, "New York", "America/New_York", "public");
        place(&fay, "Lisbon", "Europe/Lisbon", "public");
        place(&gus, "New York", "America/New_York", "private");
        // The job takes UTC−01:00 to UTC+03:00.
        let posted = app
            .work()
            .post_job(&client, job("Nightly load", None))
            .unwrap();
        let talent = app.matching().find_talent(&client, &posted.id, 20).unwrap();
        let handles: Vec<&str> = talent.iter().map(|t| t.handle.as_str()).collect();
        assert_eq!(
            handles,
            ["fay", "gus"],
            "gus's zone is his own: kept, never explained"
        );
        assert!(
            talent[0]
                .zone
                .as_deref()
                .is_some_and(|z| z.starts_with("works in UTC+0")
                    && z.ends_with("inside your time-zone window")),
            "{:?}",
            talent[0].zone
        );
        assert_eq!(talent[1].zone, None);
    }
}

#[test]
fn evidence_a_member_shows_the_client_counts_and_is_explained_with_its_entries() {
    for db in TestDb::all() {
        let app = app(&db);
        let client = member(&app, "client");
        let (ana, bob) = (member(&app, "ana"), member(&app, "bob"));
        claim(&app, &ana, "SQL", 5, "public");
        claim(&app, &bob, "SQL", 5, "public");
        let show = |who: &Account, audience: &str| {
            app.profiles()
                .add_item(
                    who,
                    ItemInput {
                        audiences: vec![audience.into()],
                        data: ItemData::Reputation {
                            figure: "on_time".into(),
                        },
                    },
                )
                .unwrap();
        };
        // Bob shows his figure to connections only: to this client it is as if he showed none.
        show(&ana, "public");
        show(&bob, "connections");
        let posted = app
            .work()
            .post_job(&client, job("Nightly load", None))
            .unwrap();
        let talent = app.matching().find_talent(&client, &posted.id, 20).unwrap();
        let handles: Vec<&str> = talent.iter().map(|t| t.handle.as_str()).collect();
        assert_eq!(handles, ["ana", "bob"], "ana's shown evidence lifts her");
        assert!(talent[0].score > talent[1].score);
        assert_eq!(talent[0].evidence.len(), 1);
        assert!(
            talent[0].evidence[0].starts_with("On-time delivery: "),
            "{:?}",
            talent[0].evidence
        );
        assert!(talent[1].evidence.is_empty(), "nothing bob hides is named");
    }
}

/// A job asking for each of `labels` at weight 3, level 3.
fn job_asking(title: &str, labels: &[&str]) -> guildhall_domain::job::JobInput {
    use guildhall_domain::job::JobSkill;
    let mut j = job(title, None);
    j.skills = labels
        .iter()
        .map(|label| JobSkill {
            label: (*label).into(),
            weight: 3,
            min_level: 3,
            required: true,
            skill_id: None,
        })
        .collect();
    j
}

#[test]
fn skills_learned_from_claims_jobs_and_occupations_count_and_say_where() {
    use guildhall_app::taxonomy::{ImportReport, SourceSkill};
    for db in TestDb::all() {
        let app = app(&db);
        // Two skills ESCO's ICT occupations always list together (in three occupations).
        let esco = |key: &str, label: &str| SourceSkill {
            key: format!("esco:test/{key}"),
            uri: None,
            preferred: label.into(),
            alts: Vec::new(),
            aliases: Vec::new(),
            kind: "skill".into(),
            source: "esco".into(),
        };
        app.skills()
            .import_skills(
                &[
                    esco("abstract", "think abstractly"),
                    esco("publish", "write scientific publications"),
                ],
                &|_, _| {},
                &mut ImportReport::default(),
            )
            .unwrap();
        let client = member(&app, "client");
        // Four members show Docker and Kubernetes together; others show other things.
        for i in 0..4 {
            let m = member(&app, &format!("ops{i}"));
            claim(&app, &m, "Docker", 3, "public");
            claim(&app, &m, "Kubernetes", 3, "public");
        }
        for i in 0..4 {
            let m = member(&app, &format!("design{i}"));
            claim(&app, &m, "Figma", 3, "public");
        }
        // Rust and Wasm go together too, but only where connections look: nothing learned.
        for i in 0..4 {
            let m = member(&app, &format!("quiet{i}"));
            claim(&app, &m, "Rust", 3, "connections");
            claim(&app, &m, "Wasm", 3, "connections");
        }
        let dora = member(&app, "dora");
        claim(&app, &dora, "Docker", 4, "public");
        let eve = member(&app, "eve");
        claim(&app, &eve, "Wasm", 5, "public");
        let fay = member(&app, "fay");
        claim(&app, &fay, "Ansible", 4, "public");
        let gus = member(&app, "gus");
        claim(&app, &gus, "write scientific publications", 4, "public");
        // Three jobs ask for Terraform and Ansible together.
        for i in 0..3 {
            app.work()
                .post_job(
                    &client,
                    job_asking(&format!("Infra {i}"), &["Terraform", "Ansible"]),
                )
                .unwrap();
        }

        let talent = |labels: &[&str]| {
            let posted = app
                .work()
                .post_job(&client, job_asking("Wanted", labels))
                .unwrap();
            app.matching().find_talent(&client, &posted.id, 20).unwrap()
        };
        let kubernetes = talent(&["Kubernetes"]);
        let handles: Vec<&str> = kubernetes.iter().map(|t| t.handle.as_str()).collect();
        assert_eq!(handles, ["ops0", "ops1", "ops2", "ops3", "dora"]);
        assert_eq!(
            kubernetes[4].matched,
            ["Docker, often claimed with Kubernetes by members here, at level 4 (3 asked)"]
        );
        assert!(kubernetes[4].score < kubernetes[3].score);

        let rust = talent(&["Rust"]);
        assert!(
            rust.iter().all(|t| t.handle != "eve"),
            "claims shown to connections teach nothing: {rust:?}"
        );

        let terraform = talent(&["Terraform"]);
        assert_eq!(terraform.len(), 1, "{terraform:?}");
        assert_eq!(
            terraform[0].matched,
            ["Ansible, often asked for with Terraform by jobs here, at level 4 (3 asked)"]
        );

        let abstractly = talent(&["think abstractly"]);
        assert_eq!(abstractly.len(), 1, "{abstractly:?}");
        assert_eq!(
            abstractly[0].matched,
            [
                "write scientific publications, listed with think abstractly by ESCO's occupations, at level 4 (3 asked)"
            ]
        );
    }
}

#[test]
fn work_for_you_counts_how_close_each_client_is() {
    for db in TestDb::all() {
        let app = app(&db);
        let ana = member(&app, "ana");
        claim(&app, &ana, "SQL", 5, "public");
        let (stranger, friend, friends_friend, via) = (
            member(&app, "stranger"),
            member(&app, "friend"),
            member(&app, "far"),
            member(&app, "via"),
        );
        let connect = |a: &Account, b: &Account| {
            let asked = app.profiles().request_connection(a, &b.handle).unwrap();
            app.profiles().accept_connection(b, &asked.id).unwrap();
        };
        connect(&ana, &friend);
        connect(&ana, &via);
        connect(&via, &friends_friend);
        for who in [&stranger, &friends_friend, &friend] {
            app.work()
                .post_job(who, job_asking(&format!("Job of {}", who.handle), &["SQL"]))
                .unwrap();
        }
        let fits = app.matching().work_for_you(&ana, 10).unwrap();
        let seen: Vec<(&str, Option<&str>)> = fits
            .iter()
            .map(|f| (f.title.as_str(), f.network.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("Job of friend", Some("posted by a connection of yours")),
                ("Job of far", Some("posted by a connection of @via")),
                ("Job of stranger", None),
            ]
        );
        assert!(fits[0].score > fits[1].score && fits[1].score > fits[2].score);
    }
}
