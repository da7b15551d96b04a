//! A curator's shortlist and a client's saved searches on both databases: the curator ranks
//! only their community's members and puts one forward with a note the client reads; nobody
//! else sees the shortlist; a saved search ranks as Find talent does and stays its owner's.

use crate::jobs::job;
use crate::matching::claim;
use guildhall_app::accounts::Account;
use guildhall_app::communities::CommunityInput;
use guildhall_app::matching::{SearchInput, ShortlistInput};
use guildhall_app::testing::{app, member};
use guildhall_app::work::jobs::JobSkill;
use guildhall_app::{App, AppError, PageRequest};
use guildhall_domain::community::Role;
use guildhall_store::testdb::TestDb;

fn field_of(e: AppError) -> String {
    match e {
        AppError::Validation(fe) => fe.0[0].path.clone(),
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn guild(app: &App, founder: &Account, curator: &Account, members: &[&Account]) {
    app.communities()
        .create_community(
            founder,
            CommunityInput {
                name: "Data Guild".into(),
                slug: "data-guild".into(),
                ..CommunityInput::default()
            },
        )
        .unwrap();
    for who in members.iter().chain([&curator]) {
        app.communities().join_community(who, "data-guild").unwrap();
    }
    app.communities()
        .set_community_role(founder, "data-guild", &curator.handle, Role::Curator)
        .unwrap();
}

fn put_forward(handle: &str) -> ShortlistInput {
    ShortlistInput {
        community: "data-guild".into(),
        handle: handle.into(),
        note: "Tuned our own warehouse loads last spring.".into(),
    }
}

#[test]
fn a_curator_puts_community_members_forward_and_the_client_reads_why() {
    for db in TestDb::all() {
        let app = app(&db);
        let (founder, cora, client) = (
            member(&app, "founder"),
            member(&app, "cora"),
            member(&app, "client"),
        );
        let (ana, bob, out) = (
            member(&app, "ana"),
            member(&app, "bob"),
            member(&app, "out"),
        );
        guild(&app, &founder, &cora, &[&ana, &bob]);
        claim(&app, &ana, "SQL", 5, "public");
        claim(&app, &bob, "SQL", 3, "members");
        claim(&app, &out, "SQL", 5, "public");
        let posted = app
            .work()
            .post_job(&client, job("Speed up the nightly load", None))
            .unwrap();

        // The curator ranks the guild's members only, as the curator sees them.
        let candidates: Vec<String> = app
            .matching()
            .shortlist_candidates(&cora, &posted.id, "data-guild", 20)
            .unwrap()
            .into_iter()
            .map(|t| t.handle)
            .collect();
        assert_eq!(candidates, ["ana", "bob"], "outsiders never appear");
        // A plain member of the guild may not shortlist.
        assert!(matches!(
            app.matching()
                .shortlist_candidates(&ana, &posted.id, "data-guild", 20),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            app.matching()
                .add_to_shortlist(&bob, &posted.id, put_forward("ana")),
            Err(AppError::Forbidden(_))
        ));

        let entry = app
            .matching()
            .add_to_shortlist(&cora, &posted.id, put_forward("@ana"))
            .unwrap();
        assert_eq!(entry.handle, "ana");
        assert_eq!(entry.curator, "cora");
        let again = app
            .matching()
            .add_to_shortlist(&cora, &posted.id, put_forward("ana"));
        assert!(matches!(again, Err(AppError::Conflict { .. })), "{again:?}");
        assert_eq!(
            field_of(
                app.matching()
                    .add_to_shortlist(&cora, &posted.id, put_forward("out"))
                    .unwrap_err()
            ),
            "/handle",
            "only the guild's members"
        );
        assert_eq!(
            field_of(
                app.matching()
                    .add_to_shortlist(
                        &cora,
                        &posted.id,
                        ShortlistInput {
                            note: "x".repeat(1001),
                            ..put_forward("bob")
                        }
                    )
                    .unwrap_err()
            ),
            "/note"
        );

        // The client reads the shortlist and the note, and is told of it.
        let seen = app.matching().shortlist(&client, &posted.id).unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].note, "Tuned our own warehouse loads last spring.");
        assert_eq!(seen[0].community_name, "Data Guild");
        assert!(seen[0].removable);
        let told = app
            .notifications()
            .inbox(&client, &PageRequest::default())
            .unwrap()
            .items;
        assert!(
            told.iter()
                .any(|n| n.text.contains("@cora") && n.text.contains("@ana")),
            "{told:?}"
        );
        // Anyone else learns nothing.
        assert!(matches!(
            app.matching().shortlist(&out, &posted.id),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.matching()
                .remove_from_shortlist(&ana, &posted.id, &entry.id),
            Err(AppError::NotFound)
        ));
        app.matching()
            .remove_from_shortlist(&client, &posted.id, &entry.id)
            .unwrap();
        assert!(
            app.matching()
                .shortlist(&cora, &posted.id)
                .unwrap()
                .is_empty()
        );
    }
}

fn search(name: &str, label: &str) -> SearchInput {
    SearchInput {
        name: name.into(),
        skills: vec![JobSkill {
            label: label.into(),
            weight: 5,
            min_level: 3,
            required: true,
            skill_id: None,
        }],
        hourly_budget: Some(9_000),
        currency: "EUR".into(),
        starts_on: Some("2099-01-04".into()),
        ends_on: Some("2099-02-26".into()),
        hours_per_week: Some(20),
        tz_min_offset: -720,
        tz_max_offset: 840,
        community: None,
    }
}

#[test]
fn a_saved_search_ranks_like_find_talent_and_stays_its_owner_s() {
    for db in TestDb::all() {
        let app = app(&db);
        let (client, ana, bob, cyd) = (
            member(&app, "client"),
            member(&app, "ana"),
            member(&app, "bob"),
            member(&app, "cyd"),
        );
        claim(&app, &ana, "SQL", 5, "public");
        claim(&app, &bob, "SQL", 3, "public");
        claim(&app, &cyd, "SQL", 5, "connections");
        let saved = app
            .matching()
            .save_search(&client, search("  Warehouse people ", "sql"))
            .unwrap();
        assert_eq!(saved.search.name, "Warehouse people");
        assert_eq!(saved.search.skills[0].label, "SQL");
        assert!(saved.search.skills[0].skill_id.is_some());
        let (_, talent) = app.matching().run_search(&client, &saved.id, 20).unwrap();
        let handles: Vec<&str> = talent.iter().map(|t| t.handle.as_str()).collect();
        assert_eq!(handles, ["ana", "bob"], "cyd shows SQL to connections only");
        assert_eq!(talent[0].matched, ["SQL, at level 5 (3 asked)"]);

        assert_eq!(app.matching().saved_searches(&client).unwrap().len(), 1);
        assert!(app.matching().saved_searches(&ana).unwrap().is_empty());
        assert!(matches!(
            app.matching().run_search(&ana, &saved.id, 20),
            Err(AppError::NotFound)
        ));
        assert_eq!(
            field_of(
                app.matching()
                    .save_search(&client, search("Nobody", "basket weaving underwater"))
                    .unwrap_err()
            ),
            "/skills/0/label"
        );
        assert_eq!(
            field_of(
                app.matching()
                    .save_search(
                        &client,
                        SearchInput {
                            ends_on: Some("2098-01-01".into()),
                            ..search("Backwards", "SQL")
                        }
                    )
                    .unwrap_err()
            ),
            "/ends_on"
        );
        assert_eq!(
            field_of(
                app.matching()
                    .save_search(
                        &client,
                        SearchInput {
                            community: Some("data-guild".into()),
                            ..search("Not mine", "SQL")
                        }
                    )
                    .unwrap_err()
            ),
            "/community"
        );
        assert!(matches!(
            app.matching().delete_search(&ana, &saved.id),
            Err(AppError::NotFound)
        ));
        app.matching().delete_search(&client, &saved.id).unwrap();
        assert!(app.matching().saved_searches(&client).unwrap().is_empty());
    }
}
