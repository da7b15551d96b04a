//! A member's tag used only in private or community-scoped claims stays theirs: nobody else
//! reads it by id, finds it in autocomplete, or learns it exists by typing the same words.

use crate::jobs::job;
use guildhall_app::accounts::Account;
use guildhall_app::communities::CommunityInput;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member};
use guildhall_app::work::jobs::JobSkill;
use guildhall_app::{App, AppError};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_store::testdb::TestDb;

/// Claims the skill `label` shown to `audience`: (skill id, label shown).
pub(crate) fn claim(app: &App, who: &Account, label: &str, audience: &str) -> (String, String) {
    let item = app
        .profiles()
        .add_item(
            who,
            ItemInput {
                audiences: vec![audience.into()],
                data: ItemData::Skill {
                    skill_id: None,
                    label: label.into(),
                    level: 3,
                    years: None,
                    note: String::new(),
                    source: ClaimSource::SelfClaimed,
                    suggested_by: None,
                },
            },
        )
        .unwrap();
    match item.data {
        ItemData::Skill {
            skill_id: Some(id),
            label,
            ..
        } => (id, label),
        other => panic!("{other:?}"),
    }
}

fn readable(app: &App, id: &str, viewer: Option<&Account>) -> bool {
    match app.skills().skill_details(id, viewer) {
        Ok(_) => true,
        Err(AppError::NotFound) => false,
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn a_private_tag_is_not_readable_guessable_or_reused_by_others() {
    for db in TestDb::all() {
        let app = app(&db);
        let (ada, bob, carl) = (
            member(&app, "ada"),
            member(&app, "bob"),
            member(&app, "carl"),
        );
        let (secret, _) = claim(&app, &ada, "Project Nightjar", "private");
        assert!(readable(&app, &secret, Some(&ada)));
        for viewer in [None, Some(&bob)] {
            assert!(!readable(&app, &secret, viewer), "{:?}", db.backend);
        }
        assert!(
            app.skills()
                .suggest_skills("project nigh", 5)
                .unwrap()
                .is_empty()
        );

        // Typing the same words, in a claim or a public job, makes the typist's own tag.
        let (bobs, label) = claim(&app, &bob, "project nightjar", "private");
        assert_ne!(bobs, secret);
        assert_eq!(label, "project nightjar", "bob's words, not ada's");
        let mut input = job("Nightjar follow-up", None);
        input.skills = vec![JobSkill {
            label: "PROJECT NIGHTJAR".into(),
            weight: 3,
            min_level: 2,
            required: true,
            skill_id: None,
        }];
        let posted = app.work().post_job(&carl, input).unwrap();
        let job_skill = posted.skills[0].skill_id.clone().unwrap();
        assert!(job_skill != secret && job_skill != bobs);
        assert_eq!(posted.skills[0].label, "PROJECT NIGHTJAR");
        // Naming the private tag by id gives nothing either.
        let stolen = app
            .profiles()
            .add_item(
                &bob,
                ItemInput {
                    audiences: vec!["private".into()],
                    data: ItemData::Skill {
                        skill_id: Some(secret.clone()),
                        label: "anything".into(),
                        level: 3,
                        years: None,
                        note: String::new(),
                        source: ClaimSource::SelfClaimed,
                        suggested_by: None,
                    },
                },
            )
            .unwrap();
        assert!(
            matches!(&stolen.data, ItemData::Skill { skill_id: Some(id), label, .. } if *id != secret && label == "anything")
        );

        // A claim shown to a community is readable by its members, and by nobody else.
        app.communities()
            .create_community(
                &ada,
                CommunityInput {
                    name: "Birders".into(),
                    slug: "birders".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        app.communities().join_community(&carl, "birders").unwrap();
        let community = app
            .communities()
            .community("birders", Some(&ada))
            .unwrap()
            .id;
        let (scoped, _) = claim(&app, &ada, "Owl survey", &format!("community:{community}"));
        assert!(readable(&app, &scoped, Some(&carl)));
        assert!(!readable(&app, &scoped, Some(&bob)));

        // Once the member shows it publicly it is shared: readable, suggested and reused.
        claim(&app, &ada, "Project Nightjar", "public");
        assert!(readable(&app, &secret, None));
        assert_eq!(
            app.skills().suggest_skills("project nigh", 5).unwrap()[0].skill_id,
            secret
        );
        let (again, _) = claim(&app, &carl, "project nightjar", "members");
        assert_eq!(again, secret);
    }
}

#[test]
fn an_item_is_shown_only_to_communities_its_owner_belongs_to() {
    for db in TestDb::all() {
        let app = app(&db);
        let (ada, bob) = (member(&app, "ada"), member(&app, "bob"));
        app.communities()
            .create_community(
                &ada,
                CommunityInput {
                    name: "Birders".into(),
                    slug: "birders".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        let community = app
            .communities()
            .community("birders", Some(&ada))
            .unwrap()
            .id;
        let to_birders = || ItemInput {
            audiences: vec![format!("community:{community}")],
            data: ItemData::Headline {
                text: "Owl counts at dawn".into(),
            },
        };
        let refused = app.profiles().add_item(&bob, to_birders());
        let Err(AppError::Validation(e)) = refused else {
            panic!("{refused:?} on {:?}", db.backend)
        };
        assert!(e.to_string().contains("communities you belong to"), "{e}");
        let own = app
            .profiles()
            .add_item(
                &bob,
                ItemInput {
                    audiences: vec!["public".into()],
                    data: ItemData::Headline { text: "Hi".into() },
                },
            )
            .unwrap();
        let moved = app
            .profiles()
            .update_item(&bob, &own.id, to_birders(), None);
        assert!(matches!(moved, Err(AppError::Validation(_))), "{moved:?}");
        app.communities().join_community(&bob, "birders").unwrap();
        app.profiles().add_item(&bob, to_birders()).unwrap();
    }
}
