//! Member search on both databases: skills through aliases and related skills, words, places,
//! visibility (nobody is found through an item they may not see), and identical results from
//! SQLite FTS5 and PostgreSQL full-text on the same corpus.

use guildhall_app::App;
use guildhall_app::accounts::Account;
use guildhall_app::profiles::ItemInput;
use guildhall_app::search::MemberQuery;
use guildhall_app::testing::{app as test_app, member};
use guildhall_domain::profile::{ClaimSource, ItemData, WorkKind};
use guildhall_store::testdb::TestDb;
use serde_json::json;

fn skill(app: &App, who: &Account, label: &str, aud: &str) {
    let data = ItemData::Skill {
        skill_id: None,
        label: label.into(),
        level: 4,
        years: None,
        note: String::new(),
        source: ClaimSource::SelfClaimed,
        suggested_by: None,
    };
    app.profiles()
        .add_item(
            who,
            ItemInput {
                audiences: vec![aud.into()],
                data,
            },
        )
        .unwrap();
}

fn item(app: &App, who: &Account, aud: &str, data: serde_json::Value) {
    app.profiles()
        .add_item(
            who,
            ItemInput {
                audiences: vec![aud.into()],
                data: serde_json::from_value(data).unwrap(),
            },
        )
        .unwrap();
}

/// The corpus; returns the searcher who is connected to `cora`.
fn corpus(app: &App) -> (Account, Account) {
    let csv = "conceptUri,preferredLabel,altLabels\nhttp://e/py,Python (computer programming),\"Python\npython programming\"\nhttp://e/django,Django,\"django framework\"\nhttp://e/cook,cook meals,\n";
    let related = "originalSkillUri,relatedSkillUri\nhttp://e/django,http://e/py\n";
    app.skills()
        .import_esco(
            csv.as_bytes(),
            None::<&[u8]>,
            Some(related.as_bytes()),
            &|_, _| {},
        )
        .unwrap();
    let (ana, ben, cora, dan) = (
        member(app, "ana"),
        member(app, "ben"),
        member(app, "cora"),
        member(app, "dan"),
    );
    skill(app, &ana, "python programming", "public");
    item(
        app,
        &ana,
        "public",
        json!({"kind": "headline", "text": "Data pipelines for climate research"}),
    );
    item(
        app,
        &ana,
        "public",
        json!({"kind": "location", "place": "Lisbon, Portugal", "timezone": "Europe/Lisbon"}),
    );
    skill(app, &ben, "Django", "members");
    item(
        app,
        &ben,
        "public",
        json!({"kind": "work", "title": "Backend engineer", "organisation": "Climate Data Co", "work_kind": "employment", "start": "2022-01", "description": "pipelines"}),
    );
    skill(app, &cora, "Python", "connections");
    item(
        app,
        &cora,
        "connections",
        json!({"kind": "summary", "text": "Secret climate pipelines project"}),
    );
    item(
        app,
        &cora,
        "public",
        json!({"kind": "location", "place": "Porto, Portugal", "timezone": "Europe/Lisbon"}),
    );
    skill(app, &dan, "cook meals", "public");
    let searcher = member(app, "sam");
    let req = app
        .profiles()
        .request_connection(&searcher, "cora")
        .unwrap();
    app.profiles().accept_connection(&cora, &req.id).unwrap();
    let _ = WorkKind::Freelance;
    (searcher, dan)
}

fn q(
    skill: Option<&str>,
    text: Option<&str>,
    location: Option<&str>,
    tz: Option<&str>,
) -> MemberQuery {
    MemberQuery {
        skill_id: None,
        skill: skill.map(Into::into),
        text: text.map(Into::into),
        location: location.map(Into::into),
        timezone: tz.map(Into::into),
        limit: 20,
    }
}

fn handles(app: &App, who: Option<&Account>, query: &MemberQuery) -> Vec<(String, f64)> {
    app.profiles()
        .search_members(who, query)
        .unwrap()
        .into_iter()
        .map(|h| (h.handle, h.score))
        .collect()
}

#[test]
fn search_respects_audiences_and_agrees_across_databases() {
    let queries = [
        q(Some("PYTHON"), None, None, None),
        q(Some("django framework"), None, None, None),
        q(None, Some("climate pipelines"), None, None),
        q(None, Some("Pipelines"), Some("portugal"), None),
        q(None, None, None, Some("Europe/Lisbon")),
        q(Some("python"), Some("climate"), None, None),
        q(Some("no such skill"), None, None, None),
    ];
    let mut per_db = Vec::new();
    for db in TestDb::all() {
        let app = test_app(&db);
        let (sam, _dan) = corpus(&app);
        let anon = |query: &MemberQuery| handles(&app, None, query);
        let conn = |query: &MemberQuery| handles(&app, Some(&sam), query);

        // A skill through its alias; cora's connections-only Python is invisible to strangers.
        assert_eq!(anon(&queries[0]), [("ana".to_string(), 3.0)]);
        // Her connection finds her; ben's Django, related to Python and shown to members, counts less.
        assert_eq!(
            conn(&queries[0]),
            [
                ("ana".to_string(), 3.0),
                ("cora".to_string(), 3.0),
                ("ben".to_string(), 1.0)
            ]
        );
        assert_eq!(
            conn(&queries[1]),
            [
                ("ben".to_string(), 3.0),
                ("ana".to_string(), 1.0),
                ("cora".to_string(), 1.0)
            ]
        );
        // Words: cora's connections-only summary is found by her connection only.
        assert_eq!(
            anon(&queries[2]),
            [("ana".to_string(), 1.0), ("ben".to_string(), 1.0)]
        );
        assert_eq!(
            conn(&queries[2]),
            [
                ("ana".to_string(), 1.0),
                ("ben".to_string(), 1.0),
                ("cora".to_string(), 1.0)
            ]
        );
        assert_eq!(
            conn(&queries[4])
                .iter()
                .map(|(h, _)| h.as_str())
                .collect::<Vec<_>>(),
            ["ana", "cora"]
        );
        assert!(anon(&queries[6]).is_empty());

        let mut results = Vec::new();
        for query in &queries {
            results.push((anon(query), conn(query)));
        }
        per_db.push((db.backend, results));
        assert!(
            app.profiles()
                .search_members(
                    None,
                    &MemberQuery {
                        limit: 0,
                        ..q(Some("x"), None, None, None)
                    }
                )
                .is_err()
        );
    }
    for (backend, results) in &per_db[1..] {
        assert_eq!(
            results, &per_db[0].1,
            "{backend:?} answers differently from SQLite"
        );
    }
}

#[test]
fn related_skills_rank_below_the_skill_itself() {
    let db = TestDb::sqlite().unwrap();
    let app = test_app(&db);
    let (sam, _) = corpus(&app);
    let ben_public = member(&app, "bea");
    skill(&app, &ben_public, "Django", "public");
    let got = handles(&app, Some(&sam), &q(Some("Python"), None, None, None));
    assert_eq!(
        got,
        [
            ("ana".to_string(), 3.0),
            ("cora".to_string(), 3.0),
            ("bea".to_string(), 1.0),
            ("ben".to_string(), 1.0)
        ]
    );
    let anon = handles(&app, None, &q(Some("Python"), None, None, None));
    assert_eq!(
        anon,
        [("ana".to_string(), 3.0), ("bea".to_string(), 1.0)],
        "members-only and connections-only claims stay hidden"
    );
}
