//! The operators' pages for accounts, the audit log and the published texts; the reset-link
//! page; the footer every page carries; and the source the server offers.

use crate::common::{TEST_SOURCE_ARCHIVE, TestApp};
use crate::pages::{form, get, location, page_session};
use axum::http::{Method, StatusCode, header};

#[tokio::test]
async fn operators_suspend_and_reset_from_their_page_and_the_log_says_so() {
    for t in TestApp::all() {
        t.operator("ops").await;
        let mallory = t.member("mallory").await;
        t.member("ada").await;
        let member = page_session(&t, "ada").await;
        assert_eq!(
            t.send(get("/admin/accounts", &member)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.send(get("/admin/audit", &member)).await.status,
            StatusCode::FORBIDDEN
        );
        let ops = page_session(&t, "ops").await;
        let r = t.send(get("/admin/accounts", &ops)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Nobody is suspended."), "{}", r.text);

        // A refusal keeps what was typed, with the message beside the field.
        let r = t
            .send(form(
                "/admin/accounts",
                &ops,
                "csrf=tok&handle=nobody&action=suspend&reason=spam+from+a+new+account",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"nobody\""), "{}", r.text);
        assert!(r.text.contains(">spam from a new account</textarea>"));
        assert!(
            r.text.contains("Nobody has the handle @nobody."),
            "{}",
            r.text
        );
        let r = t
            .send(form(
                "/admin/accounts",
                &ops,
                "csrf=tok&handle=mallory&action=suspend&reason=",
            ))
            .await;
        assert!(r.text.contains("Say why, for the audit log"), "{}", r.text);

        let r = t
            .send(form(
                "/admin/accounts",
                &ops,
                "csrf=tok&handle=%40mallory&action=suspend&reason=forged+reviews",
            ))
            .await;
        assert_eq!(location(&r), "/admin/accounts?done=suspended");
        let r = t.send(get("/admin/accounts?done=suspended", &ops)).await;
        assert!(r.text.contains("@mallory <span class=\"muted\">since"));
        let r = t
            .call(Method::GET, "/api/v1/me", Some(&mallory), None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the token stopped");
        let r = t
            .send(form(
                "/signin",
                "gh_csrf=tok",
                "csrf=tok&login=mallory&password=correct+horse+battery&next=%2F",
            ))
            .await;
        assert!(r.text.contains("This account is suspended"), "{}", r.text);

        // A reset link is shown once, with the instance's public address.
        let r = t
            .send(form(
                "/admin/accounts",
                &ops,
                "csrf=tok&handle=ada&action=reset&reason=lost+her+phone",
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let start = r
            .text
            .find("http://guildhall.test/reset-password/")
            .unwrap();
        let link = &r.text[start..];
        let path =
            link[link.find("/reset-password/").unwrap()..link.find('"').unwrap()].to_string();
        let r = t.send(get(&path, "gh_csrf=tok")).await;
        assert!(r.text.contains("For <strong>@ada</strong>"), "{}", r.text);
        let r = t
            .send(form(&path, "gh_csrf=tok", "csrf=tok&password=short"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("field-error"), "{}", r.text);
        let r = t
            .send(form(
                &path,
                "gh_csrf=tok",
                "csrf=tok&password=violet+tractor+umbrella+sings",
            ))
            .await;
        assert_eq!(location(&r), "/signin?done=password-reset");
        let r = t.send(get("/signin?done=password-reset", "")).await;
        assert!(r.text.contains("Your new password is set"));
        let r = t.send(get(&path, "gh_csrf=tok")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "used up");
        assert!(r.text.contains("already used or expired"));

        let r = t.send(get("/admin/audit", &ops)).await;
        assert_eq!(r.status, StatusCode::OK);
        for words in [
            "password-reset link issued",
            "lost her phone",
            "suspended",
            "forged reviews",
            "@ops",
        ] {
            assert!(r.text.contains(words), "{words}: {}", r.text);
        }
        assert_eq!(
            t.send(get("/admin/audit?after=%%%", &ops)).await.status,
            StatusCode::BAD_REQUEST
        );
    }
}

#[tokio::test]
async fn the_footer_links_the_texts_and_the_source() {
    let t = TestApp::all().remove(0);
    t.operator("ops").await;
    for path in ["/", "/signin", "/signup", "/communities"] {
        let r = t.send(get(path, "")).await;
        for href in ["/privacy", "/terms", "/source"] {
            assert!(
                r.text.contains(&format!("href=\"{href}\"")),
                "{path} lacks {href}"
            );
        }
    }
    let r = t.send(get("/privacy", "")).await;
    assert!(r.text.contains("have not published this yet"));

    let ops = page_session(&t, "ops").await;
    let r = t
        .send(form(
            "/admin/texts",
            &ops,
            "csrf=tok&privacy=We+keep+**little**.&terms=",
        ))
        .await;
    assert_eq!(location(&r), "/admin/texts?done=texts-published");
    let r = t.send(get("/privacy", "")).await;
    assert!(
        r.text.contains("We keep <strong>little</strong>."),
        "{}",
        r.text
    );
    let long = "x".repeat(50_001);
    let r = t
        .send(form(
            "/admin/texts",
            &ops,
            &format!("csrf=tok&privacy={long}&terms=Be+kind"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains(">Be kind</textarea>"), "the input is kept");
    assert!(r.text.contains("Keep it under 50000 characters."));

    let r = t.send(get("/source", "")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/gzip");
    assert_eq!(r.text.as_bytes(), TEST_SOURCE_ARCHIVE);
}
