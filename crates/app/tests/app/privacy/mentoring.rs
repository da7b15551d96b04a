//! A mentoring session is evidence only when both partners confirm it, at most one a day for
//! a pair: one partner alone cannot add to the mentor's trust.

use guildhall_app::accounts::Account;
use guildhall_app::clock::ManualClock;
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::mentoring::{Format, OfferInput, RequestInput, SessionInput};
use guildhall_app::testing::{app_with_clock, member};
use guildhall_app::{App, AppError};
use guildhall_domain::community::Role;
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

/// 2026-11-22T00:00:00Z.
const NOW: i64 = 1_795_305_600_000;

/// An active mentorship of `learner` by `mentor` in a new community at `slug`; its id.
pub fn pair(app: &App, slug: &str, mentor: &Account, learner: &Account) -> String {
    let founder = member(app, &format!("{slug}-founder"));
    app.communities()
        .create_community(
            &founder,
            CommunityInput {
                name: format!("Guild {slug}"),
                slug: slug.into(),
                ..CommunityInput::default()
            },
        )
        .unwrap();
    for who in [mentor, learner] {
        app.communities().join_community(who, slug).unwrap();
    }
    app.communities()
        .set_community_role(&founder, slug, &mentor.handle, Role::Mentor)
        .unwrap();
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
    let asked = app
        .communities()
        .request_mentoring(
            learner,
            slug,
            RequestInput {
                offer_id: offer.id,
                goal: "Faster queries".into(),
                skills: vec![],
                format: Format::Sessions,
                work: String::new(),
            },
        )
        .unwrap();
    app.communities()
        .decide_mentorship(mentor, slug, &asked.id, true)
        .unwrap();
    asked.id
}

fn on(day: &str) -> SessionInput {
    SessionInput {
        held_on: day.into(),
        minutes: 60,
        skills: vec![],
        notes: String::new(),
    }
}

fn mentoring_entries(app: &App, who: &Account) -> usize {
    app.evidence()
        .my_evidence(who)
        .unwrap()
        .iter()
        .filter(|e| e.header.kind == "community.mentoring_session")
        .count()
}

#[test]
fn a_session_is_evidence_once_the_other_partner_confirms_it() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (bob, cy) = (member(&app, "bob"), member(&app, "cyd"));
        let id = pair(&app, "data-guild", &bob, &cy);

        // The learner records a session each day for a week: nothing is evidence yet.
        for day in 14..21 {
            app.communities()
                .record_session(&cy, "data-guild", &id, on(&format!("2026-11-{day}")))
                .unwrap();
        }
        assert_eq!(mentoring_entries(&app, &bob), 0, "{:?}", db.backend);
        let again = app
            .communities()
            .record_session(&cy, "data-guild", &id, on("2026-11-14"));
        assert!(
            matches!(again, Err(AppError::Conflict { .. })),
            "one session a day: {again:?}"
        );

        let sessions = app.communities().mentorships(&bob, "data-guild").unwrap()[0]
            .sessions
            .clone();
        assert!(
            sessions
                .iter()
                .all(|s| !s.confirmed && s.recorded_by == "cyd")
        );
        let first = &sessions[0].id;
        let own = app
            .communities()
            .confirm_session(&cy, "data-guild", &id, first);
        assert!(matches!(own, Err(AppError::Forbidden(_))), "{own:?}");
        let stranger = member(&app, "dee");
        app.communities()
            .join_community(&stranger, "data-guild")
            .unwrap();
        let theirs = app
            .communities()
            .confirm_session(&stranger, "data-guild", &id, first);
        assert!(matches!(theirs, Err(AppError::Forbidden(_))), "{theirs:?}");

        let confirmed = app
            .communities()
            .confirm_session(&bob, "data-guild", &id, first)
            .unwrap();
        assert!(confirmed.sessions[0].confirmed);
        assert_eq!(mentoring_entries(&app, &bob), 1);
        assert_eq!(mentoring_entries(&app, &cy), 1);
        let twice = app
            .communities()
            .confirm_session(&bob, "data-guild", &id, first);
        assert!(matches!(twice, Err(AppError::Conflict { .. })), "{twice:?}");
    }
}

#[test]
fn a_pair_has_at_most_one_confirmed_session_a_day_across_communities() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (bob, cy) = (member(&app, "bob"), member(&app, "cyd"));
        let here = pair(&app, "data-guild", &bob, &cy);
        let there = pair(&app, "sql-club", &bob, &cy);
        let a = app
            .communities()
            .record_session(&bob, "data-guild", &here, on("2026-11-20"))
            .unwrap();
        let b = app
            .communities()
            .record_session(&bob, "sql-club", &there, on("2026-11-20"))
            .unwrap();
        app.communities()
            .confirm_session(&cy, "data-guild", &here, &a.sessions[0].id)
            .unwrap();
        let second = app
            .communities()
            .confirm_session(&cy, "sql-club", &there, &b.sessions[0].id);
        assert!(
            matches!(second, Err(AppError::Conflict { .. })),
            "{second:?} on {:?}",
            db.backend
        );
        assert_eq!(mentoring_entries(&app, &bob), 1);
    }
}
