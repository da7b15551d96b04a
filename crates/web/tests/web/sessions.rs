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

/// The value of the hidden field or the code block `marker` opens, in a page.
fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {text}"))
        + marker.len();
    let end = start + text[start..].find(['"', '<']).unwrap();
    &text[start..end]
}

#[tokio::test]
async fn two_factor_sign_in_asks_for_a_code_after_the_password() {
    for t in TestApp::all() {
        let token = t.member("ana").await;
        let r = t
            .call(Method::GET, "/api/v1/me/second-factor", Some(&token), None)
            .await;
        assert_eq!(
            r.json(),
            json!({"enabled": false, "recovery_codes_left": 0})
        );
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/second-factor/disable",
                Some(&token),
                Some(json!({"password": "not it"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let session = page_session(&t, "ana").await;
        let r = t
            .send(form("/settings/2fa/start", &session, "csrf=tok"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let secret = after(&r.text, "<code class=\"token\">").to_string();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let code = totp_rs::Builder::new()
            .with_secret(totp_rs::Secret::try_from_base32(&secret).unwrap())
            .with_account_name("ana")
            .build()
            .unwrap()
            .generate(now)
            .to_string();
        let r = t
            .send(form(
                "/settings/2fa/confirm",
                &session,
                &format!("csrf=tok&secret={secret}&uri=x&code=000000"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("id=\"code-error\"") && r.text.contains(&secret));
        let r = t
            .send(form(
                "/settings/2fa/confirm",
                &session,
                &format!("csrf=tok&secret={secret}&uri=x&code={code}"),
            ))
            .await;
        assert!(r.text.contains("Your recovery codes"), "{}", r.text);
        let recovery = after(&r.text, "<li><code>").to_string();

        // The password alone now leads to the code form.
        let r = t
            .send(form(
                "/signin",
                "gh_csrf=tok",
                "csrf=tok&login=ana&password=correct+horse+battery&next=%2Fwork",
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Enter your code"), "{}", r.text);
        assert!(
            crate::pages::cookie_of(&r, "gh_session").is_none(),
            "no session before the code"
        );
        let pending = after(&r.text, "name=\"pending\" value=\"").to_string();
        let r = t
            .send(form(
                "/signin/code",
                "gh_csrf=tok",
                &format!("csrf=tok&pending={pending}&next=%2Fwork&code=111111"),
            ))
            .await;
        assert!(r.text.contains("id=\"code-error\""), "{}", r.text);
        let r = t
            .send(form(
                "/signin/code",
                "gh_csrf=tok",
                &format!("csrf=tok&pending={pending}&next=%2Fwork&code={recovery}"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(r.headers["location"], "/work");

        // The API asks for the code too.
        let r = t
            .call(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"login": "ana", "password": "correct horse battery", "name": "cli"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t.send(get("/settings", &session)).await;
        assert!(r.text.contains("9 recovery codes left"), "{}", r.text);
        let r = t
            .call(Method::GET, "/api/v1/me/second-factor", Some(&token), None)
            .await;
        assert_eq!(r.json(), json!({"enabled": true, "recovery_codes_left": 9}));
    }
}
