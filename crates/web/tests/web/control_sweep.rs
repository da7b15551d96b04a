//! Control characters in every path parameter, query parameter, JSON field and form field: each
//! gets a clear 4xx, never a 500 (PostgreSQL refuses a NUL byte in text, so one that reached a
//! query would fail it). The operations come from the API document and the page routes from the
//! pages' router source, so a new one is swept without being listed here.

use crate::common::TestApp;
use crate::pages::{form, page_session};
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::{Value, json};

/// What text fields are filled with: a NUL (turned away before any use case), then other C0
/// and C1 controls with a line break (which reach the use cases' own checks).
const NASTIES: [&str; 2] = ["a\u{0}b", "a\u{1}b\r\nc\u{85}d\u{7f}"];

/// A body for `schema` with every text field set to [`NASTY`].
fn fill(doc: &Value, schema: &Value, depth: usize, nasty: &str) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or_default();
        return fill(doc, &doc["components"]["schemas"][name], depth + 1, nasty);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema[key].as_array().and_then(|v| v.first()) {
            return fill(doc, first, depth + 1, nasty);
        }
    }
    if let Some(first) = schema["enum"].as_array().and_then(|v| v.first()) {
        return first.clone();
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .find(|k| *k != "null")
            .cloned()
            .unwrap_or_default(),
        other => other.clone(),
    };
    match kind.as_str() {
        Some("object") => {
            let mut out = serde_json::Map::new();
            for (k, v) in schema["properties"].as_object().into_iter().flatten() {
                out.insert(k.clone(), fill(doc, v, depth + 1, nasty));
            }
            Value::Object(out)
        }
        Some("array") => json!([fill(doc, &schema["items"], depth + 1, nasty)]),
        Some("integer") => json!(1),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        _ => json!(nasty),
    }
}

/// Path parameters name things that exist where they can, so the sweep reaches the use cases.
fn path_value(name: &str, job: &str) -> String {
    match name {
        "slug" => "data-guild".into(),
        "handle" => "ana".into(),
        _ => job.into(),
    }
}

fn encoded(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[tokio::test]
async fn control_characters_anywhere_never_cause_a_server_error() {
    let doc = guildhall_web::api::openapi();
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
            .await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/jobs",
                Some(&ana),
                Some(json!({
            "title": "Pipeline review", "skills": [{"label": "SQL"}], "pricing": "fixed",
            "budget_min": 100000, "budget_max": 200000, "currency": "EUR",
            "starts_on": "2027-01-04", "ends_on": "2027-02-26"})),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let job = r.json()["id"].as_str().unwrap().to_string();

        let mut swept = 0;
        for nasty in NASTIES {
            for (path, item) in doc["paths"].as_object().unwrap() {
                for (method, op) in item.as_object().unwrap() {
                    let method: Method = method.to_uppercase().parse().unwrap();
                    let params: Vec<&Value> =
                        op["parameters"].as_array().into_iter().flatten().collect();
                    let with = |nasty_param: Option<&str>| {
                        let mut url = path.clone();
                        let mut query = Vec::new();
                        for p in &params {
                            let name = p["name"].as_str().unwrap();
                            let value = if nasty_param == Some(name) {
                                nasty.to_string()
                            } else if p["in"] == "path" {
                                path_value(name, &job)
                            } else {
                                continue;
                            };
                            match p["in"].as_str() {
                                Some("path") => {
                                    url = url.replace(&format!("{{{name}}}"), &encoded(&value))
                                }
                                Some("query") => query.push(format!("{name}={}", encoded(&value))),
                                _ => {}
                            }
                        }
                        if !query.is_empty() {
                            url = format!("{url}?{}", query.join("&"));
                        }
                        url
                    };
                    let body = op["requestBody"]["content"]["application/json"]["schema"]
                        .as_object()
                        .map(|s| fill(&doc, &Value::Object(s.clone()), 0, nasty));
                    // Each parameter in turn, then the body with every text field at once.
                    let mut urls: Vec<(String, Option<Value>)> = params
                        .iter()
                        .filter(|p| p["in"] == "path" || p["in"] == "query")
                        .map(|p| (with(p["name"].as_str()), body.clone()))
                        .collect();
                    urls.push((with(None), body.clone()));
                    for (url, body) in urls {
                        let r = t.call(method.clone(), &url, Some(&ana), body.clone()).await;
                        assert!(
                            r.status.as_u16() < 500,
                            "{method} {url} with {body:?}: {} {}",
                            r.status,
                            r.text
                        );
                        swept += 1;
                    }
                }
            }
        }
        assert!(swept > 400, "only {swept} API calls were swept");

        // Pages: every form route, with every field name any template uses.
        let page_routes = include_str!("../../src/pages/mod.rs");
        let templates = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect::<String>();
        let mut fields: Vec<&str> = templates
            .split("name=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .filter(|n| *n != "csrf" && !n.contains('{'))
            .collect();
        fields.sort_unstable();
        fields.dedup();
        let session = page_session(&t, "ana").await;
        let mut pages = 0;
        for nasty in NASTIES {
            let body = std::iter::once("csrf=tok".to_string())
                .chain(fields.iter().map(|f| format!("{f}={}", encoded(nasty))))
                .collect::<Vec<_>>()
                .join("&");
            for line in page_routes
                .lines()
                .filter(|l| l.contains(".route(\"") && l.contains("post("))
            {
                let route = line.split('"').nth(1).unwrap();
                let mut url = String::new();
                for segment in route.split('/').skip(1) {
                    url.push('/');
                    match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => url.push_str(&path_value(name, &job)),
                        None => url.push_str(segment),
                    }
                }
                let r = t.send(form(&url, &session, &body)).await;
                assert!(
                    r.status.as_u16() < 500,
                    "POST {url}: {} {}",
                    r.status,
                    r.text
                );
                // The same path with a control character in it.
                let r = t
                    .send(
                        Request::builder()
                            .method(Method::POST)
                            .uri(format!("{url}%00"))
                            .header(header::COOKIE, &session)
                            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                            .body(Body::from(body.clone()))
                            .unwrap(),
                    )
                    .await;
                assert!(r.status.as_u16() < 500, "POST {url}%00: {}", r.status);
                pages += 1;
            }
        }
        assert!(pages > 60, "only {pages} form routes were swept");
    }
}
