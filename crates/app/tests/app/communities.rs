//! Communities on both databases: visibility of communities and the `community:<id>` audience.
//! The permission matrix is in `community_matrix.rs`.

use guildhall_app::AppError;
use guildhall_app::communities::CommunityInput;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member};
use guildhall_domain::community::{Admission, Role, Visibility};
use guildhall_domain::profile::ItemData;
use guildhall_store::testdb::TestDb;

fn input(slug: &str, visibility: Visibility, admission: Admission) -> CommunityInput {
    CommunityInput {
        name: format!("Guild {slug}"),
        slug: slug.into(),
        description: "Data people".into(),
        visibility: Some(visibility),
        admission: Some(admission),
        ..CommunityInput::default()
    }
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
            .communities()
            .create_community(
                &ada,
                input("data-guild", Visibility::Unlisted, Admission::Open),
            )
            .unwrap();
        assert!(
            matches!(
                app.communities().community("data-guild", Some(&bob)),
                Err(AppError::NotFound)
            ),
            "unlisted: hidden from outsiders"
        );
        assert!(app.communities().list(Some(&bob)).unwrap().is_empty());
        let listed = app
            .communities()
            .create_community(
                &ada,
                input("listed-guild", Visibility::Listed, Admission::Open),
            )
            .unwrap();
        assert!(
            matches!(
                app.communities().community("listed-guild", None),
                Err(AppError::NotFound)
            ),
            "listed: members of the instance only"
        );
        app.communities()
            .join_community(&bob, "listed-guild")
            .unwrap();
        assert_eq!(
            app.communities()
                .community("listed-guild", Some(&bob))
                .unwrap()
                .your_role,
            Some(Role::Member)
        );

        // An item for the listed guild is seen by its members and nobody else.
        let audience = format!("community:{}", listed.id);
        let data = ItemData::Headline {
            text: "Guild-only headline".into(),
        };
        app.profiles()
            .add_item(
                &ada,
                ItemInput {
                    audiences: vec![audience],
                    data,
                },
            )
            .unwrap();
        let sees = |who: Option<&guildhall_app::accounts::Account>| {
            app.profiles().view_profile("ada", who).unwrap().headline()
                == Some("Guild-only headline")
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
            app.profiles().search_members(Some(who), &q).unwrap().len()
        };
        assert_eq!(
            (found(&bob), found(&eve)),
            (1, 0),
            "search shows a community item to co-members only"
        );
        app.communities()
            .leave_community(&bob, "listed-guild")
            .unwrap();
        assert!(!sees(Some(&bob)), "leaving ends it");
        let _ = guild;
        assert!(
            matches!(
                app.communities().leave_community(&ada, "data-guild"),
                Err(AppError::Conflict { .. })
            ),
            "the last owner stays"
        );
        let bad = app.communities().create_community(
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
            app.communities().create_community(
                &bob,
                input("data-guild", Visibility::Public, Admission::Open)
            ),
            Err(AppError::Conflict { .. })
        ));
    }
}

#[test]
fn a_member_whose_stored_role_is_unreadable_is_an_error_not_an_outsider() {
    for db in TestDb::all() {
        let app = app(&db);
        let ada = member(&app, "ada");
        app.communities()
            .create_community(
                &ada,
                input("odd-guild", Visibility::Unlisted, Admission::Open),
            )
            .unwrap();
        guildhall_app::testing::execute(&app, "UPDATE community_members SET role = 'overlord'");
        // Read as an outsider, the owner would be told the community does not exist.
        let refused = app
            .communities()
            .community("odd-guild", Some(&ada))
            .unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("a stored community role reads \"overlord\""),
            "{refused}"
        );
    }
}
