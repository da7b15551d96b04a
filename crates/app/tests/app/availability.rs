//! Availability on both databases: the pattern is a profile item seen only by its audiences,
//! imported calendars take busy hours away and a file that cannot be read stores nothing, and
//! the free/busy feed lists busy times and commitments at an address its owner can replace.

use crate::community_life::vobject_validate;
use guildhall_app::AppError;
use guildhall_app::accounts::Account;
use guildhall_app::availability::{MAX_CALENDARS, REFRESH_MS};
use guildhall_app::clock::ManualClock;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{
    app_with_clock, calendar_server, member, one_milestone_offer, operator, settings,
};
use guildhall_app::{App, AppSettings};
use guildhall_domain::availability::{Day, DaysOff, WorkingHours};
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::profile::ItemData;
use guildhall_store::testdb::TestDb;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// 2026-12-07T00:00:00Z, a Monday.
const NOW: i64 = 1_796_601_600_000;

pub(crate) fn pattern(audience: &str, hours_per_week: u8) -> ItemInput {
    ItemInput {
        audiences: vec![audience.into()],
        data: ItemData::Availability {
            timezone: "Europe/Lisbon".into(),
            weekly: Day::ALL[..5]
                .iter()
                .map(|&day| WorkingHours {
                    day,
                    start: "09:00".into(),
                    end: "17:00".into(),
                })
                .collect(),
            days_off: vec![DaysOff {
                from: "2026-12-24".into(),
                to: "2027-01-01".into(),
                note: "Holidays".into(),
            }],
            hours_per_week,
        },
    }
}

/// Tuesday meetings 10:00–12:00 Lisbon time (UTC in winter), twice.
const MEETINGS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n\
    BEGIN:VEVENT\r\nUID:m@example.com\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:Meeting\r\n\
    DTSTART;TZID=Europe/Lisbon:20261208T100000\r\nDTEND;TZID=Europe/Lisbon:20261208T120000\r\n\
    RRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn free(app: &App, viewer: Option<&Account>, from: &str, to: &str) -> Result<Vec<f64>, AppError> {
    Ok(app
        .availability()
        .free_time(viewer, "ana", from, to)?
        .weeks
        .iter()
        .map(|w| w.free_hours)
        .collect())
}

#[test]
fn availability_reaches_its_audiences_only_and_calendars_take_busy_hours() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (ana, bob, cy) = (
            member(&app, "ana"),
            member(&app, "bob"),
            member(&app, "cyd"),
        );
        let asked = app.profiles().request_connection(&cy, "ana").unwrap();
        app.profiles().accept_connection(&ana, &asked.id).unwrap();

        let set = app
            .availability()
            .set(&ana, pattern("connections", 30))
            .unwrap();
        assert!(matches!(
            app.profiles().add_item(&ana, pattern("public", 20)),
            Err(AppError::Conflict { .. })
        ));
        let again = app
            .availability()
            .set(&ana, pattern("connections", 40))
            .unwrap();
        assert_eq!(again.id, set.id, "setting it again replaces the one item");

        // Strangers and visitors do not learn it exists; a connection sees free hours only.
        for viewer in [None, Some(&bob)] {
            assert!(matches!(
                free(&app, viewer, "2026-12-07", "2026-12-13"),
                Err(AppError::NotFound)
            ));
        }
        let seen = app
            .availability()
            .free_time(Some(&cy), "ana", "2026-12-07", "2026-12-27")
            .unwrap();
        assert_eq!(seen.timezone, "Europe/Lisbon");
        // Two full weeks, then Monday to Wednesday before the holidays begin on Thursday.
        let hours: Vec<f64> = seen.weeks.iter().map(|w| w.free_hours).collect();
        assert_eq!(hours, [40.0, 40.0, 24.0]);
        assert!(
            seen.weeks
                .iter()
                .all(|w| w.working_hours.is_none() && w.busy_hours.is_none())
        );

        // A calendar that cannot be read stores nothing and says what is wrong.
        let refused = app
            .availability()
            .import_calendar(&ana, "Work", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
            .unwrap_err();
        match refused {
            AppError::Validation(e) => {
                assert_eq!(e.0[0].path, "/ics");
                assert!(e.0[0].message.contains("“Lunch” has no start"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        assert!(app.availability().calendars(&ana).unwrap().is_empty());

        let work = app
            .availability()
            .import_calendar(&ana, "Work", MEETINGS)
            .unwrap();
        assert_eq!((work.events, work.url.as_deref()), (1, None));
        assert_eq!(
            free(&app, Some(&cy), "2026-12-07", "2026-12-27").unwrap(),
            [38.0, 38.0, 24.0]
        );
        let own = app
            .availability()
            .free_time(Some(&ana), "ana", "2026-12-07", "2026-12-13")
            .unwrap();
        assert_eq!(own.weeks[0].working_hours, Some(40.0));
        assert_eq!(own.weeks[0].busy_hours, Some(2.0));
        assert_eq!(own.average_free_hours, 38.0);

        // Only the owner removes a calendar; then its hours are free again.
        assert!(matches!(
            app.availability().remove_calendar(&bob, &work.id),
            Err(AppError::NotFound)
        ));
        app.availability().remove_calendar(&ana, &work.id).unwrap();
        assert_eq!(
            free(&app, Some(&cy), "2026-12-07", "2026-12-13").unwrap(),
            [40.0]
        );

        for i in 0..MAX_CALENDARS {
            app.availability()
                .import_calendar(&ana, &format!("Calendar {i}"), MEETINGS)
                .unwrap();
        }
        assert!(matches!(
            app.availability()
                .import_calendar(&ana, "One more", MEETINGS),
            Err(AppError::Conflict { .. })
        ));

        let backwards = free(&app, Some(&cy), "2026-12-13", "2026-12-07").unwrap_err();
        assert!(matches!(backwards, AppError::Validation(ref e) if e.0[0].path == "/to"));
        assert!(matches!(
            free(&app, Some(&cy), "2026-12-07", "2028-01-01"),
            Err(AppError::Validation(_))
        ));
    }
}

#[test]
fn the_feed_lists_busy_times_and_commitments_until_its_address_is_replaced() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let op = operator(&app, "operator");
        let (ana, client) = (member(&app, "ana"), member(&app, "client"));
        app.availability()
            .set(&ana, pattern("private", 30))
            .unwrap();
        app.availability()
            .import_calendar(&ana, "Work", MEETINGS)
            .unwrap();
        let eur = Currency::parse("EUR").unwrap();
        app.work()
            .confirm_deposit(&op, "client", Money::new(1_000_000, eur), "seed")
            .unwrap();
        let contract = app
            .work()
            .offer_contract(
                &client,
                one_milestone_offer("ana", "Schema review", "2026-12-18"),
            )
            .unwrap();
        app.work().answer_offer(&ana, &contract.id, true).unwrap();
        let m = contract.milestones[0].id.clone();
        app.work()
            .fund_milestone(&client, &contract.id, &m, "fund-1")
            .unwrap();

        assert_eq!(app.availability().feed_url(&ana).unwrap(), None);
        let url = app.availability().rotate_feed(&ana).unwrap();
        assert_eq!(
            app.availability().feed_url(&ana).unwrap().as_deref(),
            Some(url.as_str())
        );
        let key = url.rsplit('/').next().unwrap().to_string();
        let feed = app.availability().feed(&key).unwrap();
        for line in [
            "BEGIN:VFREEBUSY",
            // The meetings, and the nights and weekends outside working hours.
            "FREEBUSY;FBTYPE=BUSY:20261208T100000Z/20261208T120000Z",
            "FREEBUSY;FBTYPE=BUSY:20261215T100000Z/20261215T120000Z",
            "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20261207T170000Z/20261208T090000Z",
            "SUMMARY:Due: Count (Schema review)",
        ] {
            assert!(feed.contains(line), "missing {line}:\n{feed}");
        }
        // The feed names no event of the imported calendar.
        assert!(!feed.contains("Meeting"), "{feed}");
        if let Some(events) = vobject_validate(&feed) {
            assert_eq!(events, "1");
        }

        let newer = app.availability().rotate_feed(&ana).unwrap();
        assert_ne!(newer, url);
        assert!(matches!(
            app.availability().feed(&key),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.availability().feed("nonsense"),
            Err(AppError::NotFound)
        ));
    }
}

fn set(answer: &Mutex<(u16, String)>, status: u16, body: &str) {
    *answer.lock().unwrap() = (status, body.to_string());
}

#[test]
fn a_subscribed_calendar_is_refreshed_and_keeps_its_last_good_copy() {
    let (base, answer) = calendar_server();
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let app = app_with_clock(&db, clock.clone());
        let ana = member(&app, "ana");
        let url = format!("{base}/ana.ics");

        // A refusal names what went wrong, and stores nothing.
        set(&answer, 404, "");
        let refused = app
            .availability()
            .subscribe_calendar(&ana, "Work", &url)
            .unwrap_err();
        assert!(
            matches!(&refused, AppError::Validation(e) if e.0[0].path == "/url" && e.0[0].message.contains("answered 404")),
            "{refused:?}"
        );
        set(
            &answer,
            200,
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        );
        let refused = app
            .availability()
            .subscribe_calendar(&ana, "Work", &url)
            .unwrap_err();
        assert!(
            format!("{refused}").contains("answered, but the event “x” has no start"),
            "{refused}"
        );
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let refused = app
            .availability()
            .subscribe_calendar(&ana, "Work", &format!("http://{closed}/x.ics"))
            .unwrap_err();
        assert!(
            format!("{refused}").contains("could not be reached"),
            "{refused}"
        );
        assert!(app.availability().calendars(&ana).unwrap().is_empty());

        set(&answer, 200, MEETINGS);
        let work = app
            .availability()
            .subscribe_calendar(&ana, "Work", &url)
            .unwrap();
        assert_eq!((work.url.as_deref(), work.events), (Some(url.as_str()), 1));
        assert_eq!(
            app.availability().refresh_due_calendars().unwrap(),
            0,
            "not due yet"
        );

        // Due: a new copy replaces the old one.
        let two = MEETINGS.replace(
            "END:VCALENDAR",
            "BEGIN:VEVENT\r\nUID:n@example.com\r\nSUMMARY:Review\r\nDTSTART:20261210T100000Z\r\nDTEND:20261210T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR",
        );
        set(&answer, 200, &two);
        clock.advance(REFRESH_MS);
        assert_eq!(app.availability().refresh_due_calendars().unwrap(), 1);
        let listed = &app.availability().calendars(&ana).unwrap()[0];
        assert_eq!((listed.events, listed.last_error.as_deref()), (2, None));

        // The server fails: the reason is kept beside the last good copy, which still counts.
        set(&answer, 500, "");
        clock.advance(REFRESH_MS);
        assert_eq!(app.availability().refresh_due_calendars().unwrap(), 1);
        let listed = &app.availability().calendars(&ana).unwrap()[0];
        assert_eq!(listed.events, 2);
        assert_eq!(
            listed.last_error.as_deref(),
            Some("the address answered 500 Internal Server Error instead of a calendar")
        );

        // Removed: its next refresh finds nothing and asks for no other.
        app.availability().remove_calendar(&ana, &work.id).unwrap();
        clock.advance(REFRESH_MS);
        assert_eq!(app.availability().refresh_due_calendars().unwrap(), 1);
        clock.advance(REFRESH_MS);
        assert_eq!(app.availability().refresh_due_calendars().unwrap(), 0);
    }
}

#[test]
fn a_calendar_on_a_private_network_is_refused_unless_allowed() {
    let (base, answer) = calendar_server();
    set(&answer, 200, MEETINGS);
    for db in TestDb::all() {
        let app = App::new(
            db.pool(),
            Arc::new(ManualClock::at(NOW)),
            AppSettings {
                calendar_private_addresses: false,
                ..settings()
            },
        );
        let ana = member(&app, "ana");
        let refused = app
            .availability()
            .subscribe_calendar(&ana, "Work", &format!("{base}/ana.ics"))
            .unwrap_err();
        assert!(
            format!("{refused}").contains("private network"),
            "{refused}"
        );
        let refused = app
            .availability()
            .subscribe_calendar(&ana, "Work", "http://localhost:9/ana.ics")
            .unwrap_err();
        assert!(
            format!("{refused}").contains("private network"),
            "{refused}"
        );
        assert!(app.availability().calendars(&ana).unwrap().is_empty());
    }
}

#[test]
fn a_running_contract_books_the_hours_its_job_asks() {
    use crate::jobs::{job, proposal};
    use guildhall_app::work::MilestoneInput;
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (ana, client) = (member(&app, "ana"), member(&app, "client"));
        app.availability()
            .set(&ana, pattern("private", 40))
            .unwrap();
        // 20 hours a week from 2026-12-01 to 2027-01-31.
        let posted = app
            .work()
            .post_job(&client, job("Nightly load", None))
            .unwrap();
        let proposed = app
            .work()
            .propose(&ana, &posted.id, proposal(300_000))
            .unwrap();
        let week = |app: &App| {
            app.availability()
                .free_time(Some(&ana), "ana", "2026-12-07", "2026-12-13")
                .unwrap()
                .weeks[0]
                .clone()
        };
        assert_eq!(
            week(&app).booked_hours,
            Some(0.0),
            "an offer books nothing yet"
        );
        let offer = app
            .work()
            .offer_from_proposal(
                &client,
                &proposed.id,
                vec![MilestoneInput {
                    title: "Diagnosis".into(),
                    amount: 300_000,
                    due_on: "2027-01-15".into(),
                    by_learner: false,
                }],
                None,
            )
            .unwrap();
        assert_eq!(week(&app).booked_hours, Some(0.0));
        app.work().answer_offer(&ana, &offer.id, true).unwrap();
        let booked = week(&app);
        assert_eq!((booked.booked_hours, booked.free_hours), (Some(20.0), 20.0));
        // A week after the job's last day is free again.
        let later = app
            .availability()
            .free_time(Some(&ana), "ana", "2027-02-08", "2027-02-14")
            .unwrap();
        assert_eq!(later.weeks[0].free_hours, 40.0);
    }
}
