//! Availability over the API and on its page: the pattern with its audiences, calendars
//! imported (over JSON and as an uploaded file), free hours for those who may see them, and
//! the free/busy feed at an address its owner can replace.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

const MEETING: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n\
    BEGIN:VEVENT\r\nUID:m@example.com\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:Planning\r\n\
    DTSTART:20370105T100000Z\r\nDTEND:20370105T120000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn weekdays() -> serde_json::Value {
    json!(
        ["monday", "tuesday", "wednesday", "thursday", "friday"]
            .iter()
            .map(|d| json!({"day": d, "start": "09:00", "end": "17:00"}))
            .collect::<Vec<_>>()
    )
}

#[tokio::test]
async fn availability_calendars_and_the_feed_over_the_api() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let bob = t.member("bob").await;
        let r = t
            .call(Method::GET, "/api/v1/me/availability", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["item"], json!(null));

        // Problems are named at the body's own fields, every one at once.
        let r = t
            .call(
                Method::PUT,
                "/api/v1/me/availability",
                Some(&ana),
                Some(json!({"audiences": ["public"], "timezone": "Mars/Base",
                    "weekly": [{"day": "monday", "start": "17:00", "end": "09:00"}],
                    "hours_per_week": 30})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let paths: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(paths, ["/timezone", "/weekly/0/end"], "{}", r.text);

        let body = json!({"audiences": ["connections"], "timezone": "UTC",
            "weekly": weekdays(), "hours_per_week": 30});
        let r = t
            .call(
                Method::PUT,
                "/api/v1/me/availability",
                Some(&ana),
                Some(body),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["data"]["kind"], "availability");

        // Hidden from a stranger as if it did not exist; a connection sees the free hours.
        let week = "/api/v1/profiles/ana/free-time?from=2037-01-05&to=2037-01-11";
        let r = t.call(Method::GET, week, Some(&bob), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        t.connect("bob", &ana, "ana", &bob).await;
        let r = t.call(Method::GET, week, Some(&bob), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["weeks"][0]["free_hours"], 30.0);
        assert_eq!(r.json()["weeks"][0]["working_hours"], json!(null));
        let r = t
            .call(
                Method::GET,
                "/api/v1/profiles/ana/free-time?from=2037-01-11&to=2037-01-05",
                Some(&bob),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

        // A calendar that cannot be read is refused and stores nothing; a good one counts.
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/calendars",
                Some(&ana),
                Some(json!({"name": "Work", "ics": "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(r.json()["errors"][0]["path"], "/ics");
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/calendars",
                Some(&ana),
                Some(json!({"name": "Work", "ics": MEETING})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let calendar = r.json()["id"].as_str().unwrap().to_string();
        let r = t
            .call(Method::GET, &week.replace("bob", "ana"), Some(&ana), None)
            .await;
        assert_eq!(r.json()["weeks"][0]["busy_hours"], 2.0, "{}", r.text);
        assert_eq!(r.json()["weeks"][0]["free_hours"], 30.0, "capped at 30");

        // The feed: made, read by its key without a token, replaced.
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/availability/feed",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let url = r.json()["feed_url"].as_str().unwrap().to_string();
        let path = &url[url.find("/api/v1/availability/").unwrap()..];
        let r = t.call(Method::GET, path, None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        assert!(r.text.contains("BEGIN:VFREEBUSY"), "{}", r.text);
        t.call(
            Method::POST,
            "/api/v1/me/availability/feed",
            Some(&ana),
            None,
        )
        .await;
        let r = t.call(Method::GET, path, None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        let r = t
            .call(
                Method::DELETE,
                &format!("/api/v1/me/calendars/{calendar}"),
                Some(&bob),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "only its owner removes it");
        let r = t
            .call(
                Method::DELETE,
                &format!("/api/v1/me/calendars/{calendar}"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
}

/// A `multipart/form-data` post of `fields` and one file.
fn upload(path: &str, cookie: &str, fields: &[(&str, &str)], file: (&str, &[u8])) -> Request<Body> {
    let boundary = "guildhall-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: text/calendar\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend(file.1);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn the_page_keeps_what_was_typed_and_imports_a_file() {
    for t in TestApp::all() {
        t.member("ana").await;
        let session = page_session(&t, "ana").await;
        let r = t.send(get("/availability", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text
                .contains("Save your working hours to see your free hours"),
            "{}",
            r.text
        );

        let typed = "csrf=tok&timezone=Europe%2FLisbon&hours_monday=mornings&hours_tuesday=17%3A00-09%3A00\
            &hours_wednesday=09%3A00-13%3A00%2C+12%3A00-18%3A00&hours_per_week=30\
            &days_off=2026-12-24+to+2027-01-01+Holidays%0Asoon&audiences=public";
        let r = t.send(form("/availability", &session, typed)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for kept in [
            "value=\"mornings\"",
            "value=\"17:00-09:00\"",
            "2026-12-24 to 2027-01-01 Holidays\nsoon",
        ] {
            assert!(r.text.contains(kept), "lost {kept}: {}", r.text);
        }
        assert!(
            r.text.contains("Write hours such as 09:00–17:00"),
            "{}",
            r.text
        );
        assert!(r.text.contains("Line 2: write a date"), "{}", r.text);
        assert!(!r.text.contains("/data/"), "no field paths on a page");

        // Once the form reads, the domain's checks are put beside the day they concern.
        let typed = "csrf=tok&timezone=Europe%2FLisbon&hours_tuesday=17%3A00-09%3A00\
            &hours_wednesday=09%3A00-13%3A00%2C+12%3A00-18%3A00&hours_per_week=30&audiences=public";
        let r = t.send(form("/availability", &session, typed)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text.contains("The hours must be later than the start."),
            "{}",
            r.text
        );
        assert!(
            r.text
                .contains("Hours overlap: one block must end before the next starts."),
            "{}",
            r.text
        );

        let good = "csrf=tok&timezone=Europe%2FLisbon&hours_monday=9-17&hours_tuesday=09%3A00%E2%80%9317%3A00\
            &hours_per_week=30&days_off=2026-12-24+to+2027-01-01+Holidays&audiences=connections";
        let r = t.send(form("/availability", &session, good)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t
            .send(get("/availability?done=availability-saved", &session))
            .await;
        assert!(r.text.contains("Availability saved."));
        assert!(r.text.contains("value=\"09:00–17:00\""), "{}", r.text);
        assert!(r.text.contains("free hours a week"), "{}", r.text);

        // An upload that is not a calendar comes back with the name kept; a real one is listed.
        let r = t
            .send(upload(
                "/availability/calendars",
                &session,
                &[("csrf", "tok"), ("name", "Work")],
                ("notes.ics", b"hello"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"Work\""), "{}", r.text);
        assert!(r.text.contains("not an iCalendar file"), "{}", r.text);
        let r = t
            .send(upload(
                "/availability/calendars",
                &session,
                &[("csrf", "tok"), ("name", "Work")],
                ("work.ics", MEETING.as_bytes()),
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t.send(get("/availability", &session)).await;
        assert!(r.text.contains("<strong>Work</strong>"), "{}", r.text);
        assert!(r.text.contains("1 event "), "{}", r.text);
        // Without the form's token, nothing is imported.
        let r = t
            .send(upload(
                "/availability/calendars",
                &session,
                &[("csrf", "wrong"), ("name", "Other")],
                ("work.ics", MEETING.as_bytes()),
            ))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let r = t
            .send(form("/availability/feed", &session, "csrf=tok"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = t.send(get("/availability?done=feed-made", &session)).await;
        assert!(r.text.contains("/api/v1/availability/"), "{}", r.text);
    }
}

#[tokio::test]
async fn a_calendar_address_is_subscribed_to_over_the_api_and_on_the_page() {
    let (base, answer) = guildhall_app::testing::calendar_server();
    *answer.lock().unwrap() = (200, MEETING.to_string());
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let both = json!({"name": "Work", "ics": MEETING, "url": format!("{base}/a.ics")});
        let r = t
            .call(Method::POST, "/api/v1/me/calendars", Some(&ana), Some(both))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/calendars",
                Some(&ana),
                Some(json!({"name": "Work", "url": format!("{base}/a.ics")})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["url"], format!("{base}/a.ics"));

        // On the page, a refusal keeps the name and the address typed.
        let session = page_session(&t, "ana").await;
        *answer.lock().unwrap() = (404, String::new());
        let body = format!(
            "csrf=tok&name=Personal&url={}",
            format!("{base}/missing.ics")
                .replace(':', "%3A")
                .replace('/', "%2F")
        );
        let r = t
            .send(form("/availability/subscribe", &session, &body))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"Personal\""), "{}", r.text);
        assert!(
            r.text.contains(&format!("value=\"{base}/missing.ics\"")),
            "{}",
            r.text
        );
        assert!(r.text.contains("The address answered 404"), "{}", r.text);
        *answer.lock().unwrap() = (200, MEETING.to_string());
        let r = t
            .send(form("/availability/subscribe", &session, &body))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t.send(get("/availability", &session)).await;
        assert!(r.text.contains("<strong>Personal</strong>"), "{}", r.text);
        assert!(r.text.contains("subscribed, last fetched"), "{}", r.text);
    }
}
