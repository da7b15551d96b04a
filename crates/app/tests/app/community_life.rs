//! Life inside a community on both databases: admission by application and by invitation,
//! discussions, events and their calendar files, mentoring, learning resources and the member
//! directory.

use guildhall_app::AppError;
use guildhall_app::accounts::Account;
use guildhall_app::clock::ManualClock;
use guildhall_app::communities::admission::{
    ApplicationInput, ApplicationStatus, Decision, InvitationInput,
};
use guildhall_app::communities::discussions::{Moderation, ThreadInput};
use guildhall_app::communities::gatherings::{EventInput, RsvpStatus};
use guildhall_app::communities::learning::ResourceInput;
use guildhall_app::communities::mentoring::{Format, OfferInput, RequestInput, SessionInput};
use guildhall_app::communities::{CommunityInput, Question};
use guildhall_app::personas::PersonaInput;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, app_with_clock, member};
use guildhall_domain::community::{Admission, Visibility};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

const DAY: i64 = 24 * 3600 * 1000;
/// 2026-11-22T00:00:00Z.
const NOW: i64 = 1_795_305_600_000;

fn guild(admission: Admission, visibility: Visibility, cap: Option<i32>) -> CommunityInput {
    CommunityInput {
        name: "Data Guild".into(),
        slug: "data-guild".into(),
        description: "Data engineers".into(),
        visibility: Some(visibility),
        admission: Some(admission),
        member_cap: cap,
        questions: vec![
            Question {
                prompt: "What have you built?".into(),
                required: true,
            },
            Question {
                prompt: "Anything else?".into(),
                required: false,
            },
        ],
        focus_skills: vec!["SQL".into(), "Rust".into()],
    }
}

fn skill(app: &guildhall_app::App, who: &Account, label: &str, audience: &str) {
    app.profiles()
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
}

fn invite(app: &guildhall_app::App, curator: &Account, days: i64, uses: i32) -> String {
    app.communities()
        .create_invitation(
            curator,
            "data-guild",
            InvitationInput {
                days_valid: days,
                max_uses: uses,
                note: "for the meetup".into(),
            },
        )
        .unwrap()
        .token
        .unwrap()
}

#[test]
fn applications_are_reviewed_against_the_skill_balance() {
    for db in TestDb::all() {
        let app = app(&db);
        let (ada, bob, cy, dee) = (
            member(&app, "ada"),
            member(&app, "bob"),
            member(&app, "cyd"),
            member(&app, "dee"),
        );
        app.communities()
            .create_community(
                &ada,
                guild(Admission::Application, Visibility::Public, Some(3)),
            )
            .unwrap();
        // Ada (a member) shows SQL to members: supply 1. Nobody shows Rust yet.
        skill(&app, &ada, "SQL", "members");
        // Bob applies with a persona that shows SQL and Rust, but not his private Go.
        skill(&app, &bob, "SQL", "public");
        skill(&app, &bob, "Rust", "members");
        skill(&app, &bob, "Go", "private");
        let items = app.profiles().my_items(&bob).unwrap();
        let persona = app
            .profiles()
            .create_persona(
                &bob,
                PersonaInput {
                    name: "Data".into(),
                    headline: "Data engineer".into(),
                    summary: String::new(),
                    item_ids: items.iter().map(|i| i.id.to_string()).collect(),
                    link_audience: "public".into(),
                },
            )
            .unwrap();
        let missing =
            app.communities()
                .apply_to_community(&bob, "data-guild", ApplicationInput::default());
        let Err(AppError::Validation(e)) = missing else {
            panic!("{missing:?}")
        };
        assert_eq!(e.0[0].path, "/answers/0", "the required answer is missing");
        let application = app
            .communities()
            .apply_to_community(
                &bob,
                "data-guild",
                ApplicationInput {
                    answers: vec!["Pipelines for a bank".into()],
                    persona_id: Some(persona.id.to_string()),
                },
            )
            .unwrap();
        assert_eq!(application.status, ApplicationStatus::Pending);
        assert!(matches!(
            app.communities()
                .apply_to_community(&bob, "data-guild", ApplicationInput::default()),
            Err(AppError::Validation(_) | AppError::Conflict { .. })
        ));

        let queue = app
            .communities()
            .review_applications(&ada, "data-guild")
            .unwrap();
        assert_eq!(queue.len(), 1);
        let review = &queue[0];
        assert_eq!(review.handle, "bob");
        assert_eq!(review.application.answers[0].answer, "Pipelines for a bank");
        assert_eq!(review.shown.headline(), Some("Data engineer"));
        let balance: Vec<(String, i64, bool)> = review
            .skills
            .iter()
            .map(|b| (b.skill.label.clone(), b.supply, b.focus))
            .collect();
        assert_eq!(
            balance,
            vec![("Rust".into(), 0, true), ("SQL".into(), 1, true)],
            "scarcest focus skill first; private Go is not shown"
        );
        assert!(matches!(
            app.communities().review_applications(&cy, "data-guild"),
            Err(AppError::Forbidden(_))
        ));

        // Decline needs a reason; the applicant sees it.
        app.communities()
            .apply_to_community(
                &cy,
                "data-guild",
                ApplicationInput {
                    answers: vec!["Dashboards".into()],
                    persona_id: None,
                },
            )
            .unwrap();
        let cy_app = app
            .communities()
            .my_application(&cy, "data-guild")
            .unwrap()
            .unwrap();
        assert!(matches!(
            app.communities().decide_application(
                &ada,
                "data-guild",
                &cy_app.id,
                Decision::Decline { reason: " ".into() }
            ),
            Err(AppError::Validation(_))
        ));
        let declined = app
            .communities()
            .decide_application(
                &ada,
                "data-guild",
                &cy_app.id,
                Decision::Decline {
                    reason: "We need more SQL depth right now".into(),
                },
            )
            .unwrap();
        assert_eq!(declined.status, ApplicationStatus::Declined);
        assert_eq!(declined.reason, "We need more SQL depth right now");

        // Waitlist, then approve: Bob becomes a member showing his persona.
        app.communities()
            .decide_application(&ada, "data-guild", &application.id, Decision::Waitlist)
            .unwrap();
        let approved = app
            .communities()
            .decide_application(&ada, "data-guild", &application.id, Decision::Approve)
            .unwrap();
        assert_eq!(approved.status, ApplicationStatus::Approved);
        let bob_view = app
            .communities()
            .community("data-guild", Some(&bob))
            .unwrap();
        assert_eq!(
            bob_view.your_persona_id.as_deref(),
            Some(persona.id.to_string().as_str())
        );
        assert!(matches!(
            app.communities().decide_application(
                &ada,
                "data-guild",
                &application.id,
                Decision::Approve
            ),
            Err(AppError::Conflict { .. })
        ));

        // The cap: Dee is the third member; a fourth applicant cannot be approved.
        let token = invite(&app, &ada, 7, 5);
        app.communities().accept_invitation(&dee, &token).unwrap();
        let eve = member(&app, "eve");
        let eve_app = app
            .communities()
            .apply_to_community(
                &eve,
                "data-guild",
                ApplicationInput {
                    answers: vec!["ETL".into()],
                    persona_id: None,
                },
            )
            .unwrap();
        assert!(matches!(
            app.communities().decide_application(
                &ada,
                "data-guild",
                &eve_app.id,
                Decision::Approve
            ),
            Err(AppError::Conflict { .. })
        ));
        assert_eq!(
            app.communities()
                .community("data-guild", None)
                .unwrap()
                .members,
            3
        );
    }
}

#[test]
fn invitations_expire_and_run_out() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let app = app_with_clock(&db, clock.clone());
        let ada = member(&app, "ada");
        app.communities()
            .create_community(
                &ada,
                guild(Admission::Invitation, Visibility::Unlisted, None),
            )
            .unwrap();
        let (bob, cy, dee) = (
            member(&app, "bob"),
            member(&app, "cyd"),
            member(&app, "dee"),
        );
        assert!(matches!(
            app.communities().join_community(&bob, "data-guild"),
            Err(AppError::NotFound)
        ));
        let token = invite(&app, &ada, 2, 1);
        assert_eq!(
            app.communities().invitation_community(&token).unwrap().name,
            "Data Guild",
            "a link holder sees the unlisted community"
        );
        app.communities().accept_invitation(&bob, &token).unwrap();
        assert!(matches!(
            app.communities().accept_invitation(&cy, &token),
            Err(AppError::NotFound)
        ));
        let token = invite(&app, &ada, 2, 10);
        clock.advance(3 * DAY);
        assert!(matches!(
            app.communities().accept_invitation(&cy, &token),
            Err(AppError::NotFound)
        ));
        let token = invite(&app, &ada, 2, 10);
        let listed = app.communities().invitations(&ada, "data-guild").unwrap();
        assert_eq!(listed.len(), 3);
        assert!(
            listed.iter().all(|i| i.token.is_none()),
            "secrets are shown once"
        );
        app.communities()
            .revoke_invitation(&ada, "data-guild", &listed[0].id)
            .unwrap();
        assert!(matches!(
            app.communities().accept_invitation(&dee, &token),
            Err(AppError::NotFound)
        ));
        assert_eq!(
            app.communities()
                .community("data-guild", Some(&bob))
                .unwrap()
                .members,
            2
        );
    }
}

#[test]
fn discussions_render_safely_mention_and_leave_traces() {
    for db in TestDb::all() {
        let app = app(&db);
        let (ada, bob, cy) = (
            member(&app, "ada"),
            member(&app, "bob"),
            member(&app, "cyd"),
        );
        app.communities()
            .create_community(&ada, guild(Admission::Open, Visibility::Public, None))
            .unwrap();
        app.communities()
            .join_community(&bob, "data-guild")
            .unwrap();
        app.communities().join_community(&cy, "data-guild").unwrap();
        let thread = app
            .communities().start_thread(
                &bob,
                "data-guild",
                ThreadInput {
                    title: "Pricing audits".into(),
                    body: "Hi @cyd, **how** do you price? <script>alert(1)</script>\n\n[x](javascript:alert(1))".into(),
                },
            )
            .unwrap();
        assert!(thread.html.contains("<strong>how</strong>"));
        assert!(!thread.html.contains("<script"), "{}", thread.html);
        assert!(!thread.html.contains("javascript:"), "{}", thread.html);
        assert!(thread.html.contains("href=\"/u/cyd\""));
        let mentions = app.communities().my_mentions(&cy).unwrap();
        assert_eq!(mentions.len(), 1);
        assert_eq!(mentions[0].thread_id, thread.id);
        assert_eq!(mentions[0].author, "bob");

        let reply = app
            .communities()
            .reply(&cy, "data-guild", &thread.id, "By the day, usually.")
            .unwrap();
        app.communities()
            .report_post(&bob, "data-guild", &reply.id, "rude")
            .unwrap();
        assert!(matches!(
            app.communities()
                .report_post(&bob, "data-guild", &reply.id, "rude again"),
            Err(AppError::Conflict { .. })
        ));
        assert_eq!(
            app.communities().reports(&ada, "data-guild").unwrap().len(),
            1
        );
        assert!(matches!(
            app.communities()
                .moderate_post(&ada, "data-guild", &reply.id, Moderation::Hide, ""),
            Err(AppError::Validation(_))
        ));
        app.communities()
            .moderate_post(&ada, "data-guild", &reply.id, Moderation::Hide, "Off topic")
            .unwrap();
        assert!(
            app.communities()
                .reports(&ada, "data-guild")
                .unwrap()
                .is_empty(),
            "hiding settles reports"
        );
        // Members see that something was hidden, not what; curators see it all.
        let as_member = app
            .communities()
            .thread(Some(&bob), "data-guild", &thread.id)
            .unwrap();
        let hidden = &as_member.replies[0];
        assert!(hidden.html.is_empty());
        let trace = hidden.hidden.as_ref().unwrap();
        assert!(trace.by.is_none() && trace.reason.is_none());
        let as_curator = app
            .communities()
            .thread(Some(&ada), "data-guild", &thread.id)
            .unwrap();
        let trace = as_curator.replies[0].hidden.as_ref().unwrap();
        assert_eq!(trace.by.as_deref(), Some("ada"));
        assert_eq!(trace.reason.as_deref(), Some("Off topic"));
        assert!(as_curator.replies[0].html.contains("By the day"));

        // Pinned threads come first; locked ones take no replies.
        let second = app
            .communities()
            .start_thread(
                &cy,
                "data-guild",
                ThreadInput {
                    title: "Newer thread".into(),
                    body: "text".into(),
                },
            )
            .unwrap();
        assert_eq!(
            app.communities().threads(Some(&bob), "data-guild").unwrap()[0].id,
            second.id
        );
        app.communities()
            .moderate_post(&ada, "data-guild", &thread.id, Moderation::Pin, "")
            .unwrap();
        app.communities()
            .moderate_post(&ada, "data-guild", &thread.id, Moderation::Lock, "")
            .unwrap();
        let threads = app.communities().threads(Some(&bob), "data-guild").unwrap();
        assert_eq!(threads[0].id, thread.id);
        assert!(threads[0].pinned && threads[0].locked);
        assert_eq!(threads[0].replies, 1);
        assert!(matches!(
            app.communities()
                .reply(&bob, "data-guild", &thread.id, "late"),
            Err(AppError::Conflict { .. })
        ));
        assert!(matches!(
            app.communities()
                .moderate_post(&ada, "data-guild", &reply.id, Moderation::Pin, ""),
            Err(AppError::Conflict { .. })
        ));
    }
}

fn event_input(capacity: Option<i32>) -> EventInput {
    EventInput {
        title: "Winter meet-up; talks, food".into(),
        description: "Lightning talks.\nBring a friend.".into(),
        starts: "2026-12-03T18:30".into(),
        ends: "2026-12-03T21:00".into(),
        timezone: "America/New_York".into(),
        online_url: Some("https://meet.example.org/data-guild".into()),
        place: None,
        capacity,
        credit: None,
    }
}

/// Runs Python's vobject over an iCalendar text with validation; `None` when vobject is absent
/// and not required.
pub(crate) fn vobject_validate(ics: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.ics");
    std::fs::write(&path, ics).unwrap();
    let script = "import sys, vobject\n\
        cal = vobject.readOne(open(sys.argv[1], newline='').read(), validate=True)\n\
        cal.validate(raiseException=True)\n\
        print(len(cal.contents.get('vevent', [])))";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output();
    let required = std::env::var("GUILDHALL_REQUIRE_VOBJECT").is_ok_and(|v| v == "1");
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).trim().into()),
        Ok(o) if !required && String::from_utf8_lossy(&o.stderr).contains("No module named") => {
            eprintln!("skipping iCalendar validation: vobject is not installed");
            None
        }
        Ok(o) => panic!(
            "vobject rejected the calendar: {}\n{ics}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) if !required => {
            eprintln!("skipping iCalendar validation: {e}");
            None
        }
        Err(e) => panic!("python3 is needed to validate calendars: {e}"),
    }
}

#[test]
fn events_fill_up_waitlist_and_export_calendars() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let app = app_with_clock(&db, clock.clone());
        let (ada, bob, cy) = (
            member(&app, "ada"),
            member(&app, "bob"),
            member(&app, "cyd"),
        );
        app.communities()
            .create_community(&ada, guild(Admission::Open, Visibility::Unlisted, None))
            .unwrap();
        app.communities()
            .join_community(&bob, "data-guild")
            .unwrap_err();
        let token = invite(&app, &ada, 7, 5);
        app.communities().accept_invitation(&bob, &token).unwrap();
        app.communities().accept_invitation(&cy, &token).unwrap();

        let bad = app.communities().create_event(
            &ada,
            "data-guild",
            EventInput {
                timezone: "Mars/Base".into(),
                ends: "2026-12-03T17:00".into(),
                online_url: None,
                ..event_input(None)
            },
        );
        let Err(AppError::Validation(e)) = bad else {
            panic!("{bad:?}")
        };
        let paths: Vec<&str> = e.0.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["/timezone", "/place"], "{e}");

        let event = app
            .communities()
            .create_event(&ada, "data-guild", event_input(Some(1)))
            .unwrap();
        // 18:30 in New York in December is 23:30 UTC.
        assert_eq!(event.starts_at, 1_796_340_600_000);
        assert!(event.starts_local.starts_with("2026-12-03 18:30"));
        assert_eq!(
            app.communities()
                .rsvp(&bob, "data-guild", &event.id, true)
                .unwrap()
                .your_rsvp,
            Some(RsvpStatus::Going)
        );
        let cy_rsvp = app
            .communities()
            .rsvp(&cy, "data-guild", &event.id, true)
            .unwrap();
        assert_eq!(cy_rsvp.your_rsvp, Some(RsvpStatus::Waitlisted));
        assert_eq!((cy_rsvp.going, cy_rsvp.waitlisted), (1, 1));
        app.communities()
            .rsvp(&bob, "data-guild", &event.id, false)
            .unwrap();
        let now = app
            .communities()
            .event(Some(&cy), "data-guild", &event.id)
            .unwrap();
        assert_eq!(
            now.your_rsvp,
            Some(RsvpStatus::Going),
            "the waitlist moves up"
        );
        assert_eq!((now.going, now.waitlisted), (1, 0));

        // One event's file, and the private feed, both strict iCalendar.
        let one = app
            .communities()
            .event_ics(Some(&bob), "data-guild", &event.id)
            .unwrap();
        assert!(one.contains("DTSTART:20261203T233000Z"), "{one}");
        assert!(
            one.contains("SUMMARY:Winter meet-up\\; talks\\, food"),
            "{one}"
        );
        assert!(one.contains("https://meet.example.org/data-guild"));
        if let Some(count) = vobject_validate(&one) {
            assert_eq!(count, "1");
        }
        app.communities()
            .create_event(
                &ada,
                "data-guild",
                EventInput {
                    title: "Reading group".into(),
                    starts: "2026-12-10T12:00".into(),
                    ends: "2026-12-10T13:00".into(),
                    timezone: "Asia/Kolkata".into(),
                    online_url: None,
                    place: Some("Café Ω, Bengaluru".into()),
                    ..event_input(None)
                },
            )
            .unwrap();
        let feed_token = app
            .communities()
            .community("data-guild", Some(&bob))
            .unwrap()
            .feed_token
            .unwrap();
        let feed = app.communities().private_feed(&feed_token).unwrap();
        if let Some(count) = vobject_validate(&feed) {
            assert_eq!(count, "2");
        }
        assert!(matches!(
            app.communities().private_feed("nope"),
            Err(AppError::NotFound)
        ));
        assert!(
            matches!(
                app.communities().public_feed("data-guild"),
                Err(AppError::NotFound)
            ),
            "an unlisted community has no public feed"
        );
        assert!(app.communities().community("data-guild", None).is_err());

        // Cancelling bumps the sequence so calendars replace their copy.
        let cancelled = app
            .communities()
            .update_event(&ada, "data-guild", &event.id, event_input(Some(1)), true)
            .unwrap();
        assert!(cancelled.cancelled);
        let one = app
            .communities()
            .event_ics(Some(&bob), "data-guild", &event.id)
            .unwrap();
        assert!(
            one.contains("SEQUENCE:1") && one.contains("STATUS:CANCELLED"),
            "{one}"
        );
        assert!(matches!(
            app.communities().rsvp(&bob, "data-guild", &event.id, true),
            Err(AppError::Conflict { .. })
        ));
    }
}

#[test]
fn mentoring_pairs_record_sessions_and_resources_are_completed() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let app = app_with_clock(&db, clock);
        let (ada, bob, cy) = (
            member(&app, "ada"),
            member(&app, "bob"),
            member(&app, "cyd"),
        );
        app.communities()
            .create_community(&ada, guild(Admission::Open, Visibility::Public, None))
            .unwrap();
        app.communities()
            .join_community(&bob, "data-guild")
            .unwrap();
        app.communities().join_community(&cy, "data-guild").unwrap();
        app.communities()
            .set_community_role(
                &ada,
                "data-guild",
                "bob",
                guildhall_domain::community::Role::Mentor,
            )
            .unwrap();
        let offer = app
            .communities()
            .offer_mentoring(
                &bob,
                "data-guild",
                OfferInput {
                    skills: vec!["SQL".into(), "Query tuning".into()],
                    note: "Evenings, CET".into(),
                    on_real_work: false,
                },
            )
            .unwrap();
        assert_eq!(offer.skills.len(), 2);
        let on_work = app.communities().request_mentoring(
            &cy,
            "data-guild",
            RequestInput {
                offer_id: offer.id.clone(),
                goal: "Tune a client's warehouse".into(),
                skills: vec![],
                format: Format::RealWork,
                work: "Warehouse audit for a retailer".into(),
            },
        );
        assert!(
            matches!(on_work, Err(AppError::Validation(_))),
            "this offer is for sessions only: {on_work:?}"
        );
        let request = app
            .communities()
            .request_mentoring(
                &cy,
                "data-guild",
                RequestInput {
                    offer_id: offer.id.clone(),
                    goal: "Write faster queries".into(),
                    skills: vec!["SQL".into()],
                    format: Format::Sessions,
                    work: String::new(),
                },
            )
            .unwrap();
        let session = SessionInput {
            held_on: "2026-11-20".into(),
            minutes: 60,
            skills: vec![],
            notes: "Indexes".into(),
        };
        assert!(
            matches!(
                app.communities()
                    .record_session(&cy, "data-guild", &request.id, session.clone()),
                Err(AppError::Conflict { .. })
            ),
            "not yet accepted"
        );
        app.communities()
            .decide_mentorship(&bob, "data-guild", &request.id, true)
            .unwrap();
        let future = app.communities().record_session(
            &cy,
            "data-guild",
            &request.id,
            SessionInput {
                held_on: "2027-01-01".into(),
                ..session.clone()
            },
        );
        assert!(matches!(future, Err(AppError::Validation(_))), "{future:?}");
        let pair = app
            .communities()
            .record_session(&cy, "data-guild", &request.id, session)
            .unwrap();
        assert_eq!(pair.sessions.len(), 1);
        assert_eq!(pair.sessions[0].skills[0].label, "SQL");
        assert_eq!(
            app.communities()
                .mentorships(&ada, "data-guild")
                .unwrap()
                .len(),
            1
        );
        let outsider = member(&app, "dee");
        app.communities()
            .join_community(&outsider, "data-guild")
            .unwrap();
        assert!(
            app.communities()
                .mentorships(&outsider, "data-guild")
                .unwrap()
                .is_empty()
        );

        // A paid course needs a currency; completions are counted and dated.
        let bad = app.communities().add_resource(
            &ada,
            "data-guild",
            ResourceInput {
                title: "Course".into(),
                url: "javascript:alert(1)".into(),
                provider: String::new(),
                skills: vec![],
                cost_minor: 4900,
                currency: "euro".into(),
                duration_minutes: None,
                credit: None,
            },
        );
        let Err(AppError::Validation(e)) = bad else {
            panic!("{bad:?}")
        };
        assert_eq!(e.0.len(), 2, "{e}");
        // A code of the right shape that Guildhall does not know would show the cost as free.
        let unknown = app.communities().add_resource(
            &ada,
            "data-guild",
            ResourceInput {
                title: "Course".into(),
                url: "https://example.org/course".into(),
                provider: String::new(),
                skills: vec![],
                cost_minor: 4900,
                currency: "XXQ".into(),
                duration_minutes: None,
                credit: None,
            },
        );
        let Err(AppError::Validation(e)) = unknown else {
            panic!("{unknown:?}")
        };
        assert!(e.to_string().contains("/currency"), "{e}");
        let course = app
            .communities()
            .add_resource(
                &ada,
                "data-guild",
                ResourceInput {
                    title: "Use the index, Luke".into(),
                    url: "https://use-the-index-luke.com/".into(),
                    provider: "Markus Winand".into(),
                    skills: vec!["SQL".into()],
                    cost_minor: 0,
                    currency: String::new(),
                    duration_minutes: Some(300),
                    credit: None,
                },
            )
            .unwrap();
        app.communities()
            .complete_resource(&cy, "data-guild", &course.id, "2026-11-01")
            .unwrap();
        let listed = app
            .communities()
            .resources(Some(&cy), "data-guild")
            .unwrap();
        assert_eq!(listed[0].completed_by, 1);
        assert_eq!(listed[0].you_completed_on.as_deref(), Some("2026-11-01"));
        app.communities()
            .remove_resource(&ada, "data-guild", &course.id)
            .unwrap();
        assert!(
            app.communities()
                .resources(Some(&cy), "data-guild")
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn the_directory_shows_each_member_as_they_chose() {
    for db in TestDb::all() {
        let app = app(&db);
        let (ada, bob, eve) = (
            member(&app, "ada"),
            member(&app, "bob"),
            member(&app, "eve"),
        );
        let community = app
            .communities()
            .create_community(&ada, guild(Admission::Open, Visibility::Public, None))
            .unwrap();
        app.communities()
            .join_community(&bob, "data-guild")
            .unwrap();
        let add = |text: &str, audience: String| {
            app.profiles()
                .add_item(
                    &bob,
                    ItemInput {
                        audiences: vec![audience],
                        data: ItemData::Headline { text: text.into() },
                    },
                )
                .unwrap()
        };
        add("Public headline", "public".into());
        let for_guild = add("Guild headline", format!("community:{}", community.id));
        let card = |viewer: &Account| {
            app.communities()
                .community_members(Some(viewer), "data-guild")
                .unwrap()
                .into_iter()
                .find(|m| m.handle == "bob")
                .unwrap()
        };
        let shown = card(&ada).shown;
        let texts: Vec<String> = shown
            .items
            .iter()
            .filter_map(|i| match &i.data {
                ItemData::Headline { text } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, vec!["Public headline", "Guild headline"]);
        let persona = app
            .profiles()
            .create_persona(
                &bob,
                PersonaInput {
                    name: "Guild self".into(),
                    headline: "Analytics lead".into(),
                    summary: String::new(),
                    item_ids: vec![for_guild.id.to_string()],
                    link_audience: "members".into(),
                },
            )
            .unwrap();
        app.communities()
            .set_community_persona(&bob, "data-guild", Some(&persona.id.to_string()))
            .unwrap();
        let shown = card(&ada).shown;
        assert_eq!(shown.headline(), Some("Analytics lead"));
        assert_eq!(shown.items.len(), 1, "only the persona's items");
        assert!(matches!(
            app.communities()
                .set_community_persona(&eve, "data-guild", None),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.communities()
                .set_community_persona(&bob, "data-guild", Some("not-mine")),
            Err(AppError::Validation(_))
        ));
        assert!(matches!(
            app.communities()
                .community_members(Some(&eve), "data-guild"),
            Err(AppError::Forbidden(_))
        ));
    }
}

#[test]
fn concurrent_requests_keep_capacity_and_one_open_application() {
    for db in TestDb::all() {
        // The event is on a fixed date: read time from before it, not from the system clock.
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let ada = member(&app, "ada");
        app.communities()
            .create_community(
                &ada,
                guild(Admission::Application, Visibility::Public, None),
            )
            .unwrap();
        let event = app
            .communities()
            .create_event(&ada, "data-guild", event_input(Some(3)))
            .unwrap();
        let token = invite(&app, &ada, 7, 100);
        let people: Vec<Account> = (0..8)
            .map(|i| {
                let m = member(&app, &format!("racer{i}"));
                app.communities().accept_invitation(&m, &token).unwrap();
                m
            })
            .collect();
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = people
                .iter()
                .map(|m| {
                    let (app, id) = (&app, &event.id);
                    s.spawn(move || app.communities().rsvp(m, "data-guild", id, true))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        let now = app
            .communities()
            .event(Some(&ada), "data-guild", &event.id)
            .unwrap();
        assert_eq!((now.going, now.waitlisted), (3, 5), "{:?}", db.backend);

        // One person submitting the same application from many tabs gets exactly one.
        let eager = member(&app, "eager");
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..6)
                .map(|_| {
                    let (app, eager) = (&app, &eager);
                    s.spawn(move || {
                        app.communities().apply_to_community(
                            eager,
                            "data-guild",
                            ApplicationInput {
                                answers: vec!["Everything".into()],
                                persona_id: None,
                            },
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{results:?}");
        assert!(
            results
                .iter()
                .all(|r| r.is_ok() || matches!(r, Err(AppError::Conflict { .. }))),
            "{results:?}"
        );
        assert_eq!(
            app.communities()
                .review_applications(&ada, "data-guild")
                .unwrap()
                .len(),
            1
        );
    }
}
