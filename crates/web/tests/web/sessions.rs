//! Where a member is signed in, on pages and over the API: the settings page lists each
//! browser, and "Sign out everywhere else" ends the others; the API lists, ends and revokes.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn signing_out_everywhere_else_ends_the_other_browsers() {
    for t in TestApp::all() {
        let token = t.member("ana").await;
        let here = page_session(&t, "ana").await;
        let there = page_session(&t, "ana").await;
        let r = t.send(get("/settings", &here)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Where you are signed in"), "{}", r.text);
        assert_eq!(r.text.matches("This browser").count(), 1);
        assert_eq!(
            r.text.matches("/settings/sessions/").count(),
            2,
            "one other to end, and the everywhere form"
        );

        let r = t
            .send(form("/settings/sessions/end", &here, "csrf=tok"))
            .await;
        assert_eq!(
            r.headers["location"],
            "/settings?done=signed-out-everywhere#where"
        );
        let r = t.send(get("/settings", &there)).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "the other browser is signed out"
        );
        let r = t
            .send(get("/settings?done=signed-out-everywhere", &here))
            .await;
        assert_eq!(r.status, StatusCode::OK, "this one stays");
        assert!(r.text.contains("Every other browser is signed out."));

        // Over the API: the list, then everything ended and the tokens revoked.
        let r = t
            .call(Method::GET, "/api/v1/me/sessions", Some(&token), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json().as_array().unwrap().len(), 1);
        let r = t
            .call(
                Method::DELETE,
                "/api/v1/me/sessions/nosuchsession00",
                Some(&token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/sessions/sign-out-everywhere",
                Some(&token),
                Some(json!({"revoke_tokens": true})),
            )
            .await;
        assert_eq!(r.json()["sessions"], 1, "{}", r.text);
        let r = t.send(get("/settings", &here)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = t
            .call(Method::GET, "/api/v1/me/sessions", Some(&token), None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
}
