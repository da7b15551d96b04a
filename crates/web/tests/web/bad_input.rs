//! Every endpoint that takes input, given malformed JSON, wrong types, unknown fields,
//! oversize bodies and unicode edge cases, answers 4xx with a problem document, never 500, and
//! changes nothing.

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

/// (method, path, a valid body) for every JSON endpoint.
fn endpoints(item: &str, persona: &str, thread: &str) -> Vec<(Method, String, Value)> {
    vec![
        (
            Method::POST,
            "/api/v1/accounts".into(),
            json!({"handle": "zed", "email": "zed@example.org", "password": "correct horse battery"}),
        ),
        (
            Method::POST,
            "/api/v1/auth/token".into(),
            json!({"login": "ada", "password": "correct horse battery", "name": "x"}),
        ),
        (
            Method::PUT,
            "/api/v1/me/password".into(),
            json!({"current_password": "correct horse battery", "new_password": "another long one"}),
        ),
        (
            Method::POST,
            "/api/v1/me/tokens".into(),
            json!({"name": "x"}),
        ),
        (
            Method::POST,
            "/api/v1/me/items".into(),
            json!({"audiences": ["public"], "data": {"kind": "headline", "text": "hi"}}),
        ),
        (
            Method::PUT,
            format!("/api/v1/me/items/{item}"),
            json!({"audiences": ["public"], "data": {"kind": "headline", "text": "hi"}}),
        ),
        (
            Method::POST,
            "/api/v1/me/personas".into(),
            json!({"name": "P"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/me/personas/{persona}"),
            json!({"name": "P"}),
        ),
        (
            Method::POST,
            "/api/v1/me/connections".into(),
            json!({"handle": "bob"}),
        ),
        (
            Method::POST,
            "/api/v1/communities".into(),
            json!({"name": "New guild", "slug": "new-guild", "questions": [{"prompt": "Why?"}], "focus_skills": ["SQL"]}),
        ),
        (
            Method::PUT,
            "/api/v1/communities/guild".into(),
            json!({"name": "Guild", "description": "d"}),
        ),
        (
            Method::POST,
            "/api/v1/communities/guild/threads".into(),
            json!({"title": "Hello there", "body": "Hi **all**"}),
        ),
        (
            Method::POST,
            format!("/api/v1/communities/guild/threads/{thread}/replies"),
            json!({"body": "Hi"}),
        ),
        (
            Method::POST,
            "/api/v1/communities/guild/events".into(),
            json!({"title": "Meet-up", "starts": "2099-01-01T18:00", "ends": "2099-01-01T19:00", "timezone": "Europe/Lisbon", "place": "Lisbon"}),
        ),
        (
            Method::POST,
            "/api/v1/communities/guild/invitations".into(),
            json!({"days_valid": 3, "max_uses": 2, "note": "n"}),
        ),
        (
            Method::POST,
            "/api/v1/communities/guild/mentoring/offers".into(),
            json!({"skills": ["SQL"], "note": "n"}),
        ),
        (
            Method::POST,
            "/api/v1/communities/guild/resources".into(),
            json!({"title": "A course", "url": "https://example.org/c", "skills": ["SQL"]}),
        ),
        (
            Method::POST,
            "/api/v1/me/deposits".into(),
            json!({"amount": 5000, "currency": "EUR"}),
        ),
    ]
}

/// `value` with `suffix` appended to every string in it.
fn taint(value: &Value, suffix: &str) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{s}{suffix}")),
        Value::Array(a) => Value::Array(a.iter().map(|v| taint(v, suffix)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), taint(v, suffix)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Bodies that must all be refused, with the reason.
fn bad_bodies(valid: &Value) -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut unknown = valid.clone();
    if let Some(o) = unknown.as_object_mut() {
        o.insert("surprise".into(), json!(1));
    }
    let wrong_types = match valid {
        Value::Object(o) => Value::Object(
            o.keys()
                .map(|k| (k.clone(), json!([1, {"a": null}])))
                .collect(),
        ),
        _ => json!(42),
    };
    let json = "application/json";
    vec![
        ("malformed", b"{\"handle\": ".to_vec(), json),
        ("not an object", b"[1,2,3]".to_vec(), json),
        ("trailing garbage", format!("{valid} x").into_bytes(), json),
        ("unknown field", unknown.to_string().into_bytes(), json),
        ("wrong types", wrong_types.to_string().into_bytes(), json),
        (
            "oversize",
            format!("{{\"name\": \"{}\"}}", "x".repeat(70 * 1024)).into_bytes(),
            json,
        ),
        (
            "wrong content type",
            valid.to_string().into_bytes(),
            "text/plain",
        ),
        ("lone surrogate", b"{\"name\": \"\\ud800\"}".to_vec(), json),
        (
            "nul characters",
            taint(valid, "\u{0}").to_string().into_bytes(),
            json,
        ),
        (
            "bidi controls",
            taint(valid, "\u{202E}\u{0007}").to_string().into_bytes(),
            json,
        ),
        ("invalid utf-8", b"{\"name\": \"\xff\xfe\"}".to_vec(), json),
    ]
}

#[tokio::test]
async fn bad_input_is_refused_without_side_effects() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let bob = t.member("bob").await;
        let item = t
            .add_item(
                &ada,
                &["public"],
                json!({"kind": "headline", "text": "keep"}),
            )
            .await;
        let persona = t
            .call(
                Method::POST,
                "/api/v1/me/personas",
                Some(&ada),
                Some(json!({"name": "Keep"})),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        t.call(
            Method::POST,
            "/api/v1/me/connections",
            Some(&bob),
            Some(json!({"handle": "ada"})),
        )
        .await;
        t.community(&ada, json!({"name": "Guild", "slug": "guild"}))
            .await;
        let thread = t
            .call(
                Method::POST,
                "/api/v1/communities/guild/threads",
                Some(&ada),
                Some(json!({"title": "Keep this", "body": "kept"})),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let before = t.event_count();
        let profile_before = t
            .call(Method::GET, "/api/v1/profiles/ada", Some(&ada), None)
            .await
            .text;

        for (method, path, valid) in endpoints(&item, &persona, &thread) {
            for (what, body, content_type) in bad_bodies(&valid) {
                let r = t
                    .raw(method.clone(), &path, Some(&ada), content_type, body)
                    .await;
                assert!(
                    r.status.is_client_error(),
                    "{method} {path} {what}: {} {}",
                    r.status,
                    r.text
                );
                assert_eq!(
                    r.headers["content-type"], "application/problem+json",
                    "{method} {path} {what}"
                );
                let problem = r.json();
                assert!(
                    problem["type"]
                        .as_str()
                        .unwrap()
                        .starts_with("urn:guildhall:problem:")
                );
                assert!(!problem["detail"].as_str().unwrap().is_empty());
            }
        }
        // Field paths point at the field at fault.
        let r = t.call(Method::POST, "/api/v1/me/items", Some(&ada), Some(json!({"audiences": ["public", "everyone"], "data": {"kind": "link", "label": "x", "url": "javascript:alert(1)"}}))).await;
        let problem = r.json();
        let paths: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["/audiences/1", "/data/url"]);
        let r = t.call(Method::POST, "/api/v1/me/items", Some(&ada), Some(json!({"audiences": ["public"], "data": {"kind": "rate", "min_minor": "ten", "max_minor": 1, "currency": "EUR"}}))).await;
        // Inside a tagged item the path stops at the item; the message names the problem.
        let problem = r.json();
        assert_eq!(problem["errors"][0]["path"], "/data");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("expected i64"),
            "{problem}"
        );
        // Bad path segments are simply not found.
        for path in [
            "/api/v1/me/items/not-an-id",
            "/api/v1/me/personas/%00",
            "/api/v1/profiles/%F0%9F%92%A9",
            "/api/v1/personas/..%2F..",
            "/api/v1/profiles/ada%00",
        ] {
            let r = t.call(Method::GET, path, Some(&ada), None).await;
            assert!(
                r.status == StatusCode::NOT_FOUND || r.status == StatusCode::METHOD_NOT_ALLOWED,
                "{path}: {}",
                r.status
            );
        }
        let r = t
            .call(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"login": "ada\u{0}", "password": "x", "name": "x"})),
            )
            .await;
        // A NUL is refused as input before any use case: it names the field.
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(r.json()["errors"][0]["path"], "/login");

        assert_eq!(t.event_count(), before, "no bad request changed anything");
        assert_eq!(
            t.call(Method::GET, "/api/v1/profiles/ada", Some(&ada), None)
                .await
                .text,
            profile_before
        );
    }
}

/// Control characters in a path, a query or a redirect target never reach the database or a
/// header: they answer 404 or 400, never 500, on both databases.
#[tokio::test]
async fn control_characters_are_refused_before_any_handler() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        for path in [
            "/api/v1/profiles/ana%00",
            "/api/v1/contracts/%00abc",
            "/api/v1/skills/%0d%0a",
            "/u/ana%00",
            "/jobs/%00",
            "/c/guild%0a",
        ] {
            let r = t.call(Method::GET, path, Some(&ana), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
            if path.starts_with("/api/") {
                assert_eq!(
                    r.headers[axum::http::header::CONTENT_TYPE],
                    "application/problem+json",
                    "{path}"
                );
            }
        }
        let r = t
            .call(Method::GET, "/api/v1/members?q=a%00b", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t
            .call(Method::GET, "/directory?q=%0d%0aSet-Cookie:x", None, None)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        // A connection request whose way back would split the redirect goes to the default.
        t.member("bob").await;
        let cookie = crate::pages::page_session(&t, "ana").await;
        let r = t
            .send(crate::pages::form(
                "/me/connections",
                &cookie,
                "csrf=tok&handle=bob&back=%2Fu%2Fbob%0d%0aSet-Cookie%3A+x%3D1",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(crate::pages::location(&r), "/me/connections?done=requested");
        // A handle nobody has is said beside the field, with what was typed kept.
        let r = t
            .send(crate::pages::form(
                "/me/connections",
                &cookie,
                "csrf=tok&handle=nobody-here",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text
                .contains(r#"<p class="field-error">No member has this handle.</p>"#)
                && r.text.contains(r#"value="nobody-here""#),
            "{}",
            r.text
        );
    }
}
