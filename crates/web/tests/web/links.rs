//! Links that leave the browser — persona links, invitation links, calendar feeds — are absolute,
//! starting with the instance's public address, so they work wherever they are pasted.

use crate::common::TestApp;
use crate::pages::{get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn shared_links_are_absolute_and_feeds_open_in_calendar_apps() {
    let t = TestApp::all().remove(0);
    let ada = t.member("ada").await;
    let r = t
        .call(
            Method::POST,
            "/api/v1/me/personas",
            Some(&ada),
            Some(json!({"name": "Coach", "item_ids": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    t.community(&ada, json!({"name": "Data Guild", "slug": "data-guild"}))
        .await;

    let session = page_session(&t, "ada").await;
    let r = t.send(get("/me/personas", &session)).await;
    assert!(
        r.text.contains("href=\"http://guildhall.test/p/"),
        "{}",
        r.text
    );
    let r = t.send(get("/c/data-guild", &session)).await;
    assert!(
        r.text
            .contains("href=\"webcal://guildhall.test/api/v1/calendars/"),
        "{}",
        r.text
    );
}
