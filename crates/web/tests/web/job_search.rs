//! The jobs list searched over the API and on its page: filters narrow it, pages continue it,
//! and a bad criterion is a field error on the API and a message beside its field on the page,
//! with everything typed kept.

use crate::common::TestApp;
use crate::pages::{get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_jobs_list_is_searched_filtered_and_paged() {
    for t in TestApp::all() {
        let client = t.member("client").await;
        let ana = t.member("ana").await;
        for title in ["Pipeline review", "Warehouse tuning", "Dashboard rebuild"] {
            let body = json!({"title": title, "skills": [{"label": "SQL"}],
                "pricing": "hourly", "budget_min": 6000, "budget_max": 9000,
                "currency": "EUR", "starts_on": "2099-01-04", "ends_on": "2099-02-26", "remote": true});
            let r = t
                .call(Method::POST, "/api/v1/jobs", Some(&client), Some(body))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }

        let r = t
            .call(Method::GET, "/api/v1/jobs?limit=2", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let first = r.json();
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let cursor = first["next_cursor"].as_str().unwrap().to_string();
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/jobs?limit=2&cursor={cursor}"),
                Some(&ana),
                None,
            )
            .await;
        let second = r.json();
        assert_eq!(second["items"][0]["title"], "Pipeline review");
        assert!(second["next_cursor"].is_null());

        let r = t
            .call(
                Method::GET,
                "/api/v1/jobs?q=warehouse&skill=sql&pays_at_least=85.50&currency=EUR&remote=true",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let found = r.json();
        let titles: Vec<&str> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Warehouse tuning"]);
        let r = t
            .call(
                Method::GET,
                "/api/v1/jobs?pays_at_least=95",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["errors"][0]["path"], "/currency", "{}", r.text);

        // The page: a refused search keeps what was typed, the message beside its field.
        let session = page_session(&t, "ana").await;
        let r = t
            .send(get(
                "/jobs?q=warehouse&pays_at_least=lots&currency=EUR&remote=yes",
                &session,
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for kept in [
            "value=\"warehouse\"",
            "value=\"lots\"",
            "value=\"yes\" checked",
            "id=\"pays_at_least-error\"",
        ] {
            assert!(r.text.contains(kept), "{kept}: {}", r.text);
        }
        assert!(!r.text.contains("/pays_at_least"), "no JSON pointer");
        let r = t.send(get("/jobs?q=tuning", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Warehouse tuning"));
        assert!(!r.text.contains("Dashboard rebuild"));
        assert!(r.text.contains("Clear the search"));
    }
}
