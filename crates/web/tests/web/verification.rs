//! A forgotten password and an unverified address, over the API and on pages: the reset answer
//! never tells whether an account has the address, refusals keep what was typed, and a member
//! whose address is not verified is told so and can have the link sent again.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_reset_request_answers_the_same_for_any_address_and_is_throttled() {
    for t in TestApp::all() {
        t.member("ana").await;
        let ask = |email: &str| {
            let body = json!({ "email": email });
            let t = &t;
            async move {
                t.call(
                    Method::POST,
                    "/api/v1/auth/password-reset",
                    None,
                    Some(body),
                )
                .await
            }
        };
        let known = ask("ana@example.org").await;
        let unknown = ask("nobody@example.org").await;
        assert_eq!(known.status, StatusCode::ACCEPTED, "{}", known.text);
        assert_eq!((known.status, known.text), (unknown.status, unknown.text));
        let r = ask("not an address").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for _ in 0..2 {
            assert_eq!(ask("nobody@example.org").await.status, StatusCode::ACCEPTED);
        }
        assert_eq!(
            ask("nobody@example.org").await.status,
            StatusCode::TOO_MANY_REQUESTS
        );

        // On the page: a refused address comes back as typed, beside its message.
        let r = t.send(get("/forgot-password", "gh_csrf=tok")).await;
        assert_eq!(r.status, StatusCode::OK);
        let r = t
            .send(form(
                "/forgot-password",
                "gh_csrf=tok",
                "csrf=tok&email=ana%40nowhere",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"ana@nowhere\""), "{}", r.text);
        assert!(r.text.contains("Email must have a domain"), "{}", r.text);
        let r = t
            .send(form(
                "/forgot-password",
                "gh_csrf=tok",
                "csrf=tok&email=someone%40example.org",
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.contains("If an account has this address"),
            "{}",
            r.text
        );
        let r = t.send(get("/signin", "gh_csrf=tok")).await;
        assert!(r.text.contains("href=\"/forgot-password\""));
    }
}

#[tokio::test]
async fn an_unverified_member_is_told_and_can_have_the_link_sent_again() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let r = t.call(Method::GET, "/api/v1/me", Some(&ana), None).await;
        assert_eq!(r.json()["email_verified"], false);
        let session = page_session(&t, "ana").await;
        let r = t.send(get("/settings", &session)).await;
        assert!(r.text.contains("not verified yet"), "{}", r.text);
        // Sign-up queued the first link a moment ago: asking again waits a minute.
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/email/verification",
                Some(&ana),
                None,
            )
            .await;
        assert!(
            [StatusCode::ACCEPTED, StatusCode::TOO_MANY_REQUESTS].contains(&r.status),
            "{}",
            r.text
        );
        let r = t
            .send(form("/settings/verify-email", &session, "csrf=tok"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);

        let r = t
            .call(
                Method::POST,
                "/api/v1/auth/verify-email",
                None,
                Some(json!({"token": "not-a-token-we-sent"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t.send(get("/verify-email/not-a-token-we-sent", "")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.text.contains("unknown, already used or expired"));
    }
}

#[tokio::test]
async fn another_address_is_added_on_the_settings_page_and_over_the_api() {
    for t in TestApp::all() {
        let token = t.member("ana").await;
        t.member("bob").await;
        let session = page_session(&t, "ana").await;
        // Refused: the address typed stays, with the reason beside the field.
        let r = t
            .send(form(
                "/settings/emails",
                &session,
                "csrf=tok&action=add&email=bob%40example.org",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"bob@example.org\""), "{}", r.text);
        assert!(
            r.text
                .contains("id=\"email-error\">Another account uses this address."),
            "{}",
            r.text
        );

        let r = t
            .send(form(
                "/settings/emails",
                &session,
                "csrf=tok&action=add&email=ana.work%40example.org",
            ))
            .await;
        assert_eq!(
            r.headers["location"],
            "/settings?done=address-added#addresses"
        );
        let r = t.send(get("/settings", &session)).await;
        assert!(r.text.contains("ana.work@example.org") && r.text.contains("not verified"));

        let r = t
            .call(Method::GET, "/api/v1/me/emails", Some(&token), None)
            .await;
        assert_eq!(
            r.json(),
            json!([
                {"email": "ana@example.org", "primary": true, "verified": false},
                {"email": "ana.work@example.org", "primary": false, "verified": false}
            ])
        );
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/emails/primary",
                Some(&token),
                Some(json!({"email": "ana.work@example.org"})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "not verified yet: {}",
            r.text
        );
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/emails/remove",
                Some(&token),
                Some(json!({"email": "ana.work@example.org"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    }
}
