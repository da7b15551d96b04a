//! Communities on both databases: the permission matrix for the actions built so far, run
//! against every role, an outsider and a visitor (allowed ones succeed, the rest are refused
//! and change nothing), visibility of communities, and the `community:<id>` audience.

use guildhall_app::AppError;
use guildhall_app::communities::CommunityInput;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member};
use guildhall_domain::community::{Action, Admission, Role, Standing, Visibility, permits};
use guildhall_domain::profile::ItemData;
use guildhall_store::testdb::TestDb;

fn input(slug: &str, visibility: Visibility, admission: Admission) -> CommunityInput {
    CommunityInput {
        name: format!("Guild {slug}"),
        slug: slug.into(),
        description: "Data people".into(),
        visibility,
        admission,
        member_cap: None,
    }
}

fn events(db: &TestDb) -> i64 {
    guildhall_store::repo::events::count(&mut db.pool().get().unwrap()).unwrap()
}

#[test]
fn permission_matrix_for_membership_actions() {
    for db in TestDb::all() {
        let app = app(&db);
        let standings = [
            ("owner", Some(Role::Owner)),
            ("curator", Some(Role::Curator)),
            ("mentor", Some(Role::Mentor)),
            ("member", Some(Role::Member)),
            ("outsider", None),
        ];
        for (n, admission) in [Admission::Open, Admission::Application]
            .into_iter()
            .enumerate()
        {
            let slug = format!("guild-{n}");
            let founder = member(&app, &format!("founder{n}"));
            app.create_community(&founder, input(&slug, Visibility::Public, admission))
                .unwrap();
            for (who, role) in standings {
                for action in [
                    Action::Join,
                    Action::ManageRoles,
                    Action::ManageOwners,
                    Action::RemoveMember,
                    Action::Leave,
                ] {
                    // Fresh actor and target for every cell, so cells do not affect each other.
                    let tag = format!("{who}{n}{}", format!("{action:?}").to_lowercase());
                    let actor = member(&app, &format!("a{tag}"));
                    let target = member(&app, &format!("t{tag}"));
                    for (acc, r) in [(&actor, role), (&target, Some(Role::Member))] {
                        if let Some(r) = r {
                            // Staff admit people directly for the test: open joins, then roles.
                            if admission == Admission::Open {
                                app.join_community(acc, &slug).unwrap();
                            } else {
                                sneak_in(&db, &slug, &acc.id);
                            }
                            if r != Role::Member {
                                app.set_community_role(&founder, &slug, &acc.handle, r)
                                    .unwrap();
                            }
                        }
                    }
                    let standing = role.map_or(Standing::Outsider, Standing::Member);
                    let before = events(&db);
                    let result = match action {
                        Action::Join => app.join_community(&actor, &slug).map(|_| ()),
                        Action::ManageRoles => {
                            app.set_community_role(&actor, &slug, &target.handle, Role::Mentor)
                        }
                        Action::ManageOwners => {
                            app.set_community_role(&actor, &slug, &target.handle, Role::Owner)
                        }
                        Action::RemoveMember => app.remove_community_member(
                            &actor,
                            &slug,
                            &target.handle,
                            "left the field",
                        ),
                        Action::Leave => app.leave_community(&actor, &slug),
                        _ => unreachable!(),
                    };
                    let expected = permits(standing, admission, action);
                    assert_eq!(
                        result.is_ok(),
                        expected,
                        "{who} {action:?} ({admission:?}) on {:?}: {result:?}",
                        db.backend
                    );
                    if !expected {
                        assert!(
                            matches!(
                                result,
                                Err(AppError::Conflict { .. }) | Err(AppError::NotFound)
                            ),
                            "{result:?}"
                        );
                        assert_eq!(
                            events(&db),
                            before,
                            "{who} {action:?}: a refusal changes nothing"
                        );
                    }
                }
            }
            // Visitors (not signed in) can do none of it; they can only see public communities.
            assert!(app.community(&slug, None).is_ok());
        }
    }
}

/// Adds a member without going through admission (applications arrive with a later step).
fn sneak_in(db: &TestDb, slug: &str, user_id: &str) {
    let pool = db.pool();
    let mut c = pool.get().unwrap();
    let row = guildhall_store::repo::communities::by_slug(&mut c, slug)
        .unwrap()
        .unwrap();
    guildhall_store::repo::communities::add_member(&mut c, &row.id, user_id, "member", 0).unwrap();
}

#[test]
fn visibility_and_the_community_audience() {
    for db in TestDb::all() {
        let app = app(&db);
        let (ada, bob, eve) = (
            member(&app, "ada"),
            member(&app, "bob"),
            member(&app, "eve"),
        );
        let guild = app
            .create_community(
                &ada,
                input("data-guild", Visibility::Unlisted, Admission::Open),
            )
            .unwrap();
        assert!(
            matches!(
                app.community("data-guild", Some(&bob)),
                Err(AppError::NotFound)
            ),
            "unlisted: hidden from outsiders"
        );
        assert!(app.communities(Some(&bob)).unwrap().is_empty());
        let listed = app
            .create_community(
                &ada,
                input("listed-guild", Visibility::Listed, Admission::Open),
            )
            .unwrap();
        assert!(
            matches!(app.community("listed-guild", None), Err(AppError::NotFound)),
            "listed: members of the instance only"
        );
        app.join_community(&bob, "listed-guild").unwrap();
        assert_eq!(
            app.community("listed-guild", Some(&bob)).unwrap().your_role,
            Some(Role::Member)
        );

        // An item for the listed guild is seen by its members and nobody else.
        let audience = format!("community:{}", listed.id);
        let data = ItemData::Headline {
            text: "Guild-only headline".into(),
        };
        app.add_item(
            &ada,
            ItemInput {
                audiences: vec![audience],
                data,
            },
        )
        .unwrap();
        let sees = |who: Option<&guildhall_app::accounts::Account>| {
            app.view_profile("ada", who).unwrap().headline() == Some("Guild-only headline")
        };
        assert!(sees(Some(&bob)));
        assert!(!sees(Some(&eve)));
        assert!(!sees(None));
        let found = |who: &guildhall_app::accounts::Account| {
            let q = guildhall_app::search::MemberQuery {
                text: Some("guild-only headline".into()),
                limit: 10,
                ..Default::default()
            };
            app.search_members(Some(who), &q).unwrap().len()
        };
        assert_eq!(
            (found(&bob), found(&eve)),
            (1, 0),
            "search shows a community item to co-members only"
        );
        app.leave_community(&bob, "listed-guild").unwrap();
        assert!(!sees(Some(&bob)), "leaving ends it");
        let _ = guild;
        assert!(
            matches!(
                app.leave_community(&ada, "data-guild"),
                Err(AppError::Conflict { .. })
            ),
            "the last owner stays"
        );
        let bad = app.create_community(
            &ada,
            CommunityInput {
                slug: "-x".into(),
                name: "x".into(),
                member_cap: Some(0),
                ..input("x", Visibility::Public, Admission::Open)
            },
        );
        let Err(AppError::Validation(e)) = bad else {
            panic!("{bad:?}")
        };
        assert_eq!(e.0.len(), 3, "{e}");
        assert!(matches!(
            app.create_community(
                &bob,
                input("data-guild", Visibility::Public, Admission::Open)
            ),
            Err(AppError::Conflict { .. })
        ));
    }
}
