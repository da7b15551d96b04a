//! Notifications over the API and on pages, on both databases: an offer reaches the member's
//! inbox and the badge beside "Inbox"; opening it marks it read and leads to the contract;
//! preferences are read and changed, and refused with the field named.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::http::{Method, StatusCode, header};
use serde_json::json;

#[tokio::test]
async fn an_offer_reaches_the_inbox_and_its_badge_and_opens_the_contract() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let ben = t.member("ben").await;
        let r = t
            .call(Method::GET, "/api/v1/me/notifications", None, None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = t
            .call(
                Method::POST,
                "/api/v1/contracts",
                Some(&ana),
                Some(
                    json!({"member": "ben", "title": "Index audit", "currency": "EUR",
                    "milestones": [{"title": "Report", "amount": 50000, "due_on": "2099-01-15"}]}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let contract = r.json()["id"].as_str().unwrap().to_string();

        let r = t
            .call(Method::GET, "/api/v1/me/notifications", Some(&ben), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let page = r.json();
        assert_eq!(page["unread"], 1);
        let first = &page["items"][0];
        assert_eq!(first["topic"], "offers");
        assert_eq!(first["link"], format!("/work/contracts/{contract}"));
        assert_eq!(
            first["text"],
            "@ana offered you a contract, “Index audit”, for €500.00"
        );
        let id = first["id"].as_str().unwrap().to_string();
        let r = t
            .call(Method::GET, "/api/v1/me/notifications", Some(&ana), None)
            .await;
        assert_eq!(
            r.json()["items"],
            json!([]),
            "the one who offered is not told"
        );

        let session = page_session(&t, "ben").await;
        let r = t.send(get("/jobs", &session)).await;
        assert!(
            r.text.contains("aria-label=\"1 unread\""),
            "the badge on every page: {}",
            r.text
        );
        let r = t.send(get("/notifications", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("@ana offered you a contract"), "{}", r.text);
        assert!(r.text.contains("class=\"item unread\""), "{}", r.text);
        let r = t.send(get(&format!("/notifications/{id}"), &session)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers[header::LOCATION],
            format!("/work/contracts/{contract}").as_str()
        );
        let r = t
            .call(
                Method::GET,
                "/api/v1/me/notifications/unread",
                Some(&ben),
                None,
            )
            .await;
        assert_eq!(r.json(), json!({"count": 0}));
        let r = t.send(get("/jobs", &session)).await;
        assert!(!r.text.contains("unread\""), "the badge is gone");
        // Someone else's notification is not found.
        let r = t
            .send(get(
                &format!("/notifications/{id}"),
                &page_session(&t, "ana").await,
            ))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        let r = t
            .call(
                Method::POST,
                "/api/v1/me/notifications/read",
                Some(&ben),
                Some(json!({})),
            )
            .await;
        assert_eq!(r.json(), json!({"marked": 0}));
        let r = t
            .send(form("/notifications/read", &session, "csrf=tok"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn preferences_are_read_changed_and_refused_with_the_field_named() {
    for t in TestApp::all() {
        let ben = t.member("ben").await;
        let path = "/api/v1/me/notifications/preferences";
        let r = t.call(Method::GET, path, Some(&ben), None).await;
        assert_eq!(r.status, StatusCode::OK);
        let offers = r.json()["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["topic"] == "offers")
            .cloned()
            .unwrap();
        assert_eq!(offers["delivery"], "email");
        assert_eq!(offers["default"], true);

        let r = t
            .call(
                Method::PUT,
                path,
                Some(&ben),
                Some(json!({"preferences": [{"topic": "offers", "delivery": "digest"}]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = t
            .call(
                Method::PUT,
                path,
                Some(&ben),
                Some(json!({"preferences": [{"topic": "offers", "delivery": "pigeon"}]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("/preferences/0/delivery"), "{}", r.text);

        let session = page_session(&t, "ben").await;
        let r = t.send(get("/settings/notifications", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text
                .contains("<option value=\"digest\" selected>In the daily digest</option>"),
            "{}",
            r.text
        );
        let r = t
            .send(form(
                "/settings/notifications",
                &session,
                "csrf=tok&offers=off&replies=digest",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = t.call(Method::GET, path, Some(&ben), None).await;
        let chosen: Vec<(String, String)> = r.json()["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["default"] == false)
            .map(|p| {
                (
                    p["topic"].as_str().unwrap().to_string(),
                    p["delivery"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            chosen,
            [
                ("offers".to_string(), "off".to_string()),
                ("replies".to_string(), "digest".to_string())
            ]
        );
    }
}

#[test]
fn the_documented_topics_are_the_domain_s() {
    let names: Vec<&str> = guildhall_domain::notify::Topic::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    let pattern = guildhall_web::api::constraints::TOPIC;
    let mut documented: Vec<&str> = pattern
        .trim_start_matches("^(")
        .trim_end_matches(")$")
        .split('|')
        .collect();
    let mut names = names;
    names.sort();
    documented.sort();
    assert_eq!(names, documented);
}

#[tokio::test]
async fn an_email_s_unsubscribe_link_stops_the_topic_in_one_click() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let ben = t.member("ben").await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/contracts",
                Some(&ana),
                Some(
                    json!({"member": "ben", "title": "Index audit", "currency": "EUR",
                    "milestones": [{"title": "Report", "amount": 50000, "due_on": "2099-01-15"}]}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let metrics = t.call(Method::GET, "/metrics", None, None).await.text;
        // The gauges are the process's, and tests run side by side: their values are checked
        // in the app's queue tests, their presence here.
        for series in [
            "guildhall_queue_tasks{state=\"queued\"}",
            "guildhall_queue_tasks{state=\"failed\"}",
        ] {
            assert!(metrics.contains(series), "{series}: {metrics}");
        }
        let r = t
            .call(Method::GET, "/api/v1/me/notifications", Some(&ben), None)
            .await;
        let id = r.json()["items"][0]["id"].as_str().unwrap().to_string();
        let link = format!("/unsubscribe/{id}");

        // Opening the link changes nothing; it asks.
        let r = t.send(get(&link, "")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Stop these emails"), "{}", r.text);
        // A mail program posts without a session or a form token (RFC 8058).
        let r = t
            .send(
                axum::http::Request::builder()
                    .method(Method::POST)
                    .uri(&link)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(axum::body::Body::from("List-Unsubscribe=One-Click"))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.contains("you will get no more emails about"),
            "{}",
            r.text
        );
        let r = t
            .call(
                Method::GET,
                "/api/v1/me/notifications/preferences",
                Some(&ben),
                None,
            )
            .await;
        let offers = r.json()["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["topic"] == "offers")
            .cloned()
            .unwrap();
        assert_eq!(offers["delivery"], "in_app");
        let r = t.send(get(&link, "")).await;
        assert!(r.text.contains("You get no emails about"), "{}", r.text);

        let r = t
            .send(get("/unsubscribe/0190d3a4-0000-7000-8000-000000000000", ""))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_digest_page_lists_the_day_and_its_mail_is_scheduled_in_settings() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        t.member("ben").await;
        let session = page_session(&t, "ben").await;
        let r = t.send(get("/digest", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Nothing waits for you today"), "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/contracts",
                Some(&ana),
                Some(
                    json!({"member": "ben", "title": "Index audit", "currency": "EUR",
                    "milestones": [{"title": "Report", "amount": 50000, "due_on": "2099-01-15"}]}),
                ),
            )
            .await;
        let contract = r.json()["id"].as_str().unwrap().to_string();
        let r = t.send(get("/digest", &session)).await;
        assert!(r.text.contains("Waiting for your answer"), "{}", r.text);
        assert!(r.text.contains(&format!(
            "<a href=\"/work/contracts/{contract}\">Accept or decline the contract offered to you, “Index audit”</a>"
        )));

        // When it is mailed: on the notification settings page and over the API.
        let r = t.send(get("/settings/notifications", &session)).await;
        assert!(
            r.text.contains("Daily digest email")
                && r.text.contains("<option selected>UTC</option>")
        );
        let r = t
            .send(form(
                "/settings/digest",
                &session,
                "csrf=tok&hour=8&time_zone=Europe%2FLisbon",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = t
            .call(Method::GET, "/api/v1/me/digest-settings", Some(&ana), None)
            .await;
        assert_eq!(
            r.json(),
            json!({"enabled": true, "hour": 7, "time_zone": "UTC"})
        );
        let r = t.send(get("/settings/notifications", &session)).await;
        assert!(r.text.contains("<option selected>Europe/Lisbon</option>"));
        assert!(
            !r.text.contains("name=\"enabled\" value=\"yes\" checked"),
            "left unticked: off"
        );
        let r = t
            .call(
                Method::PUT,
                "/api/v1/me/digest-settings",
                Some(&ana),
                Some(json!({"enabled": true, "hour": 9, "time_zone": "Mars/Olympus"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = t
            .call(Method::GET, "/api/v1/me/digest", Some(&ana), None)
            .await;
        assert_eq!(r.json()["waiting"], json!([]));

        // An unknown one-click link finds nothing.
        let r = t
            .send(get("/unsubscribe/digest/AAAAAAAAAAAAAAAAAAAAAA", &session))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}
