//! The permission matrix on both databases: every community action, tried by an owner, a
//! curator, a mentor, a member and an outsider (and a signed-out visitor where a use case takes
//! one), in an open community and one that admits by application. Allowed cells succeed; refused
//! ones fail with a refusal and leave the change feed untouched.

use guildhall_app::accounts::Account;
use guildhall_app::communities::admission::{ApplicationInput, Decision, InvitationInput};
use guildhall_app::communities::discussions::{Moderation, ThreadInput};
use guildhall_app::communities::gatherings::EventInput;
use guildhall_app::communities::learning::ResourceInput;
use guildhall_app::communities::mentoring::{Format, OfferInput, RequestInput};
use guildhall_app::communities::{CommunityInput, Question};
use guildhall_app::matching::ShortlistInput;
use guildhall_app::testing::{app, member};
use guildhall_app::{App, AppError};
use guildhall_domain::community::{Action, Admission, Role, Standing, Visibility, permits};
use guildhall_store::testdb::TestDb;

fn events(db: &TestDb) -> i64 {
    guildhall_store::repo::events::count(&mut db.pool().get().unwrap()).unwrap()
}

pub fn event_input() -> EventInput {
    EventInput {
        title: "Monthly meet-up".into(),
        description: "Talks and food".into(),
        starts: "2099-03-01T18:00".into(),
        ends: "2099-03-01T21:00".into(),
        timezone: "Europe/Lisbon".into(),
        place: Some("Rua Augusta 1, Lisbon".into()),
        online_url: None,
        capacity: Some(50),
        credit: None,
    }
}

fn resource_input() -> ResourceInput {
    ResourceInput {
        title: "Rust book".into(),
        url: "https://doc.rust-lang.org/book/".into(),
        provider: "The Rust Project".into(),
        skills: vec!["Rust".into()],
        cost_minor: 0,
        currency: String::new(),
        duration_minutes: Some(600),
        credit: None,
    }
}

/// Brings `who` into the community with `role` the way a real member arrives.
pub fn admit(app: &App, founder: &Account, slug: &str, who: &Account, role: Role) {
    let invitation = app
        .communities()
        .create_invitation(
            founder,
            slug,
            InvitationInput {
                days_valid: 1,
                max_uses: 1,
                note: String::new(),
            },
        )
        .unwrap();
    app.communities()
        .accept_invitation(who, invitation.token.as_deref().unwrap())
        .unwrap();
    if role != Role::Member {
        app.communities()
            .set_community_role(founder, slug, &who.handle, role)
            .unwrap();
    }
}

fn thread(app: &App, founder: &Account, slug: &str) -> String {
    app.communities()
        .start_thread(
            founder,
            slug,
            ThreadInput {
                title: "Welcome".into(),
                body: "Say hello".into(),
            },
        )
        .unwrap()
        .id
}

/// Sets up what the action needs and returns the action itself, done as `actor`.
#[allow(clippy::too_many_arguments)]
fn prepare<'a>(
    app: &'a App,
    founder: &'a Account,
    slug: &'a str,
    actor: &'a Account,
    target: &'a Account,
    role: Option<Role>,
    action: Action,
    admission: Admission,
) -> Box<dyn FnOnce() -> Result<(), AppError> + 'a> {
    match action {
        Action::ViewMembers => Box::new(move || {
            app.communities()
                .community_members(Some(actor), slug)
                .map(|_| ())
        }),
        Action::Join => Box::new(move || app.communities().join_community(actor, slug).map(|_| ())),
        Action::Apply => Box::new(move || {
            app.communities()
                .apply_to_community(
                    actor,
                    slug,
                    ApplicationInput {
                        answers: vec!["Ten years of data engineering".into()],
                        persona_id: None,
                    },
                )
                .map(|_| ())
        }),
        Action::Leave => Box::new(move || app.communities().leave_community(actor, slug)),
        Action::EditSettings => Box::new(move || {
            let current = app.communities().community(slug, Some(actor))?;
            app.communities()
                .edit_community(
                    actor,
                    slug,
                    CommunityInput {
                        name: current.name,
                        slug: current.slug,
                        description: "New words".into(),
                        questions: current.questions,
                        ..CommunityInput::default()
                    },
                )
                .map(|_| ())
        }),
        Action::ReviewApplications if admission == Admission::Application => {
            let application = app
                .communities()
                .apply_to_community(
                    target,
                    slug,
                    ApplicationInput {
                        answers: vec!["Some".into()],
                        persona_id: None,
                    },
                )
                .unwrap();
            Box::new(move || {
                app.communities()
                    .decide_application(actor, slug, &application.id, Decision::Waitlist)
                    .map(|_| ())
            })
        }
        Action::ReviewApplications => Box::new(move || {
            app.communities()
                .review_applications(actor, slug)
                .map(|_| ())
        }),
        Action::Invite => Box::new(move || {
            app.communities()
                .create_invitation(
                    actor,
                    slug,
                    InvitationInput {
                        days_valid: 7,
                        max_uses: 3,
                        note: String::new(),
                    },
                )
                .map(|_| ())
        }),
        Action::ManageRoles | Action::ManageOwners | Action::RemoveMember => {
            admit(app, founder, slug, target, Role::Member);
            Box::new(move || match action {
                Action::ManageRoles => {
                    app.communities()
                        .set_community_role(actor, slug, &target.handle, Role::Mentor)
                }
                Action::ManageOwners => {
                    app.communities()
                        .set_community_role(actor, slug, &target.handle, Role::Owner)
                }
                _ => app.communities().remove_community_member(
                    actor,
                    slug,
                    &target.handle,
                    "moved on",
                ),
            })
        }
        Action::Post => Box::new(move || {
            app.communities()
                .start_thread(
                    actor,
                    slug,
                    ThreadInput {
                        title: "Question".into(),
                        body: "How do you price audits?".into(),
                    },
                )
                .map(|_| ())
        }),
        Action::Moderate => {
            let id = thread(app, founder, slug);
            Box::new(move || {
                app.communities()
                    .moderate_post(actor, slug, &id, Moderation::Pin, "")
            })
        }
        Action::Report => {
            let id = thread(app, founder, slug);
            Box::new(move || app.communities().report_post(actor, slug, &id, "off topic"))
        }
        Action::ManageEvents => Box::new(move || {
            app.communities()
                .create_event(actor, slug, event_input())
                .map(|_| ())
        }),
        Action::Rsvp => {
            let id = app
                .communities()
                .create_event(founder, slug, event_input())
                .unwrap()
                .id;
            Box::new(move || app.communities().rsvp(actor, slug, &id, true).map(|_| ()))
        }
        Action::OfferMentoring => Box::new(move || {
            app.communities()
                .offer_mentoring(
                    actor,
                    slug,
                    OfferInput {
                        skills: vec!["SQL".into()],
                        note: String::new(),
                        on_real_work: true,
                    },
                )
                .map(|_| ())
        }),
        Action::RequestMentoring => {
            let offer = app
                .communities()
                .offer_mentoring(
                    founder,
                    slug,
                    OfferInput {
                        skills: vec!["SQL".into()],
                        note: String::new(),
                        on_real_work: false,
                    },
                )
                .unwrap();
            Box::new(move || {
                app.communities()
                    .request_mentoring(
                        actor,
                        slug,
                        RequestInput {
                            offer_id: offer.id.clone(),
                            goal: "Write faster queries".into(),
                            skills: vec![],
                            format: Format::Sessions,
                            work: String::new(),
                        },
                    )
                    .map(|_| ())
            })
        }
        Action::AcceptMentoring => {
            // Mentors decide requests to their own offers; others face the founder's.
            let may_offer = role.is_some_and(|r| r <= Role::Mentor);
            let mentor = if may_offer { actor } else { founder };
            let offer = app
                .communities()
                .offer_mentoring(
                    mentor,
                    slug,
                    OfferInput {
                        skills: vec!["SQL".into()],
                        note: String::new(),
                        on_real_work: false,
                    },
                )
                .unwrap();
            admit(app, founder, slug, target, Role::Member);
            let request = app
                .communities()
                .request_mentoring(
                    target,
                    slug,
                    RequestInput {
                        offer_id: offer.id,
                        goal: "Learn indexing".into(),
                        skills: vec![],
                        format: Format::Sessions,
                        work: String::new(),
                    },
                )
                .unwrap();
            Box::new(move || {
                app.communities()
                    .decide_mentorship(actor, slug, &request.id, true)
                    .map(|_| ())
            })
        }
        Action::ManageResources => Box::new(move || {
            app.communities()
                .add_resource(actor, slug, resource_input())
                .map(|_| ())
        }),
        Action::Shortlist => {
            let job = app
                .work()
                .post_job(founder, crate::jobs::job("Speed up the nightly load", None))
                .unwrap();
            admit(app, founder, slug, target, Role::Member);
            Box::new(move || {
                app.matching()
                    .add_to_shortlist(
                        actor,
                        &job.id,
                        ShortlistInput {
                            community: slug.to_string(),
                            handle: target.handle.clone(),
                            note: "Tuned our own warehouse".into(),
                        },
                    )
                    .map(|_| ())
            })
        }
        Action::ManageMoney => {
            Box::new(move || app.work().community_money(actor, slug).map(|_| ()))
        }
        Action::ManagePerks => Box::new(move || {
            let perk = guildhall_app::communities::perks::PerkInput {
                title: "Desk at the co-working space".into(),
                ..Default::default()
            };
            app.communities().add_perk(actor, slug, &perk).map(|_| ())
        }),
        Action::RevokeCredentials => {
            Box::new(move || app.credentials().of_community(actor, slug).map(|_| ()))
        }
        Action::AssessSkills => {
            admit(app, founder, slug, target, Role::Member);
            Box::new(move || {
                let input = guildhall_app::communities::assessments::AssessmentInput {
                    member: target.handle.clone(),
                    skill: "SQL".into(),
                    note: "Tuned our slowest report query".into(),
                };
                app.communities()
                    .assess_skill(actor, slug, &input)
                    .map(|_| ())
            })
        }
        Action::SeeInsights => {
            Box::new(move || app.insights().community_gaps(actor, slug).map(|_| ()))
        }
        Action::CompleteResource => {
            let id = app
                .communities()
                .add_resource(founder, slug, resource_input())
                .unwrap()
                .id;
            Box::new(move || {
                app.communities()
                    .complete_resource(actor, slug, &id, "2024-05-01")
            })
        }
    }
}

/// The matrix as the community rules describe it, written out by hand so the test does not
/// merely repeat `permits`. Columns: owner, curator, mentor, member, outsider of an open
/// community, outsider of one that admits by application.
const MATRIX: [(Action, &str); 26] = [
    (Action::ViewMembers, "yyyy--"),
    (Action::Join, "----y-"),
    (Action::Apply, "-----y"),
    (Action::Leave, "yyyy--"),
    (Action::EditSettings, "y-----"),
    (Action::ReviewApplications, "yy----"),
    (Action::Invite, "yy----"),
    (Action::ManageRoles, "yy----"),
    (Action::ManageOwners, "y-----"),
    (Action::RemoveMember, "yy----"),
    (Action::Post, "yyyy--"),
    (Action::Moderate, "yy----"),
    (Action::Report, "yyyy--"),
    (Action::ManageEvents, "yy----"),
    (Action::Rsvp, "yyyy--"),
    (Action::OfferMentoring, "yyy---"),
    (Action::RequestMentoring, "yyyy--"),
    (Action::AcceptMentoring, "yyy---"),
    (Action::ManageResources, "yy----"),
    (Action::CompleteResource, "yyyy--"),
    (Action::Shortlist, "yy----"),
    (Action::ManageMoney, "y-----"),
    (Action::ManagePerks, "yy----"),
    (Action::RevokeCredentials, "yy----"),
    (Action::AssessSkills, "yy----"),
    (Action::SeeInsights, "yy----"),
];

fn expected(role: Option<Role>, admission: Admission, action: Action) -> bool {
    let row = MATRIX
        .iter()
        .find(|(a, _)| *a == action)
        .unwrap()
        .1
        .as_bytes();
    let column = match (role, admission) {
        (Some(Role::Owner), _) => 0,
        (Some(Role::Curator), _) => 1,
        (Some(Role::Mentor), _) => 2,
        (Some(Role::Member), _) => 3,
        (None, Admission::Open) => 4,
        (None, _) => 5,
    };
    row[column] == b'y'
}

#[test]
fn every_action_against_every_standing() {
    for db in TestDb::all() {
        let app = app(&db);
        let standings = [
            ("owner", Some(Role::Owner)),
            ("curator", Some(Role::Curator)),
            ("mentor", Some(Role::Mentor)),
            ("member", Some(Role::Member)),
            ("outsider", None),
        ];
        let mut cells = 0;
        for (n, admission) in [Admission::Open, Admission::Application]
            .into_iter()
            .enumerate()
        {
            let slug = format!("guild-{n}");
            let founder = member(&app, &format!("founder{n}"));
            app.communities()
                .create_community(
                    &founder,
                    CommunityInput {
                        name: format!("Guild {n}"),
                        slug: slug.clone(),
                        visibility: Some(Visibility::Public),
                        admission: Some(admission),
                        questions: vec![Question {
                            prompt: "What have you built?".into(),
                            required: true,
                        }],
                        ..CommunityInput::default()
                    },
                )
                .unwrap();
            for (who, role) in standings {
                for (a, action) in Action::ALL.into_iter().enumerate() {
                    // A fresh actor and target for every cell, so cells cannot affect each other.
                    let actor = member(&app, &format!("a{n}{who}{a}"));
                    let target = member(&app, &format!("t{n}{who}{a}"));
                    if let Some(role) = role {
                        admit(&app, &founder, &slug, &actor, role);
                    }
                    let standing = role.map_or(Standing::Outsider, Standing::Member);
                    let expected = expected(role, admission, action);
                    assert_eq!(
                        permits(standing, admission, action),
                        expected,
                        "the rules and the table disagree on {who} {action:?} ({admission:?})"
                    );
                    let act = prepare(
                        &app, &founder, &slug, &actor, &target, role, action, admission,
                    );
                    let before = events(&db);
                    let result = act();
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
                                Err(AppError::Forbidden(_)
                                    | AppError::Conflict { .. }
                                    | AppError::NotFound)
                            ),
                            "{who} {action:?}: {result:?}"
                        );
                        assert_eq!(
                            events(&db),
                            before,
                            "{who} {action:?}: a refusal changes nothing"
                        );
                    }
                    cells += 1;
                }
            }
            // Signed-out visitors see a public community exists, and nothing inside it.
            assert!(app.communities().community(&slug, None).is_ok());
            for result in [
                app.communities().community_members(None, &slug).map(|_| ()),
                app.communities().threads(None, &slug).map(|_| ()),
                app.communities().events(None, &slug).map(|_| ()),
                app.communities().mentoring_offers(None, &slug).map(|_| ()),
                app.communities().resources(None, &slug).map(|_| ()),
            ] {
                assert!(
                    matches!(result, Err(AppError::Unauthenticated)),
                    "{result:?}"
                );
            }
        }
        assert_eq!(cells, 2 * 5 * Action::ALL.len());
    }
}
