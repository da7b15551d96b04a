//! The operators' vetting of communities, over the API and on the operators' desk.

use crate::common::TestApp;
use crate::pages::{form, get, location, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn only_operators_vet_communities() {
    for t in TestApp::all() {
        let op = t.operator("operator").await;
        let ana = t.member("ana").await;
        t.community(
            &ana,
            json!({"name": "Data Guild", "slug": "data-guild", "admission": "invitation"}),
        )
        .await;

        let path = "/api/v1/admin/communities/data-guild/vetted";
        let r = t
            .call(Method::PUT, path, Some(&ana), Some(json!({"vetted": true})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let r = t
            .call(Method::PUT, path, Some(&op), Some(json!({"vetted": true})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["vetted"], true);
        let r = t
            .call(
                Method::PUT,
                "/api/v1/admin/communities/nowhere/vetted",
                Some(&op),
                Some(json!({"vetted": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let r = t
            .call(Method::GET, "/api/v1/admin/communities", Some(&op), None)
            .await;
        assert_eq!(r.json()[0]["slug"], "data-guild");
        assert_eq!(r.json()[0]["vetted"], true);

        // The desk: operators only, one button per community.
        let member = page_session(&t, "ana").await;
        let r = t.send(get("/admin", &member)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let operator = page_session(&t, "operator").await;
        let r = t.send(get("/admin", &operator)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Data Guild") && r.text.contains("Stop vetting"));
        let r = t
            .send(form(
                "/admin/communities/data-guild",
                &operator,
                "csrf=tok&vetted=no",
            ))
            .await;
        assert_eq!(location(&r), "/admin?done=unvetted");
        let r = t.send(get("/admin?done=unvetted", &operator)).await;
        assert!(r.text.contains("Community no longer vetted.") && r.text.contains(">Vet<"));
    }
}

#[tokio::test]
async fn operators_set_who_may_join_and_the_rate_limits() {
    for t in TestApp::all() {
        let op = t.operator("operator").await;
        let ana = t.member("ana").await;
        let r = t
            .call(Method::GET, "/api/v1/admin/policy", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(Method::GET, "/api/v1/admin/policy", Some(&op), None)
            .await;
        assert_eq!(r.json()["registration"], "open", "{}", r.text);

        // The desk: a refused value comes back as typed, with its message beside it.
        let operator = page_session(&t, "operator").await;
        let r = t
            .send(form(
                "/admin/policy",
                &operator,
                "csrf=tok&registration=closed&per_token=0&per_address=lots",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"lots\""), "{}", r.text);
        assert!(
            r.text.contains("Write a whole number of calls"),
            "{}",
            r.text
        );
        assert!(r.text.contains("value=\"closed\" checked"), "{}", r.text);
        let r = t
            .send(form(
                "/admin/policy",
                &operator,
                "csrf=tok&registration=closed&per_token=0&per_address=100",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text.contains("Must be between 1 and 1000000."),
            "{}",
            r.text
        );
        let r = t
            .send(form(
                "/admin/policy",
                &operator,
                "csrf=tok&registration=closed&per_token=600&per_address=1200",
            ))
            .await;
        assert_eq!(location(&r), "/admin?done=policy");

        // Closed: the sign-up page says so, and the API refuses.
        let r = t.send(get("/signup", "")).await;
        assert!(r.text.contains("not taking new members") && !r.text.contains("name=\"handle\""));
        let r = t
            .call(
                Method::POST,
                "/api/v1/accounts",
                None,
                Some(json!({"handle": "bo", "email": "bo@example.org", "password": "correct horse battery"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
}
