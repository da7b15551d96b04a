//! API behaviour per audience, accounts and tokens, connections, personas and pagination, on
//! SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common;

use axum::http::{Method, StatusCode, header};
use common::TestApp;
use serde_json::{Value, json};

fn texts(profile: &serde_json::Value) -> Vec<String> {
    profile["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["data"].to_string())
        .collect()
}

#[tokio::test]
async fn each_audience_sees_exactly_its_items() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let bob = t.member("bob").await;
        let eve = t.member("eve").await;
        t.add_item(
            &ada,
            &["public"],
            json!({"kind": "headline", "text": "PUBLIC-HEADLINE"}),
        )
        .await;
        t.add_item(
            &ada,
            &["members"],
            json!({"kind": "summary", "text": "MEMBERS-SUMMARY"}),
        )
        .await;
        t.add_item(&ada, &["connections"], json!({"kind": "work", "title": "CONN-WORK", "organisation": "Acme", "work_kind": "freelance", "start": "2023-01"})).await;
        t.add_item(
            &ada,
            &["private"],
            json!({"kind": "link", "label": "PRIVATE-LINK", "url": "https://example.org"}),
        )
        .await;
        t.add_item(
            &ada,
            &["clients"],
            json!({"kind": "link", "label": "CLIENT-LINK", "url": "https://example.org"}),
        )
        .await;
        t.connect("bob", &ada, "ada", &bob).await;

        let see = |token: Option<String>| {
            let t = &t;
            async move {
                let r = t
                    .call(Method::GET, "/api/v1/profiles/ada", token.as_deref(), None)
                    .await;
                assert_eq!(r.status, StatusCode::OK);
                texts(&r.json()).join(" ")
            }
        };
        let anon = see(None).await;
        assert!(
            anon.contains("PUBLIC-HEADLINE")
                && !anon.contains("MEMBERS-SUMMARY")
                && !anon.contains("CONN-WORK")
        );
        let stranger = see(Some(eve.clone())).await;
        assert!(
            stranger.contains("MEMBERS-SUMMARY")
                && !stranger.contains("CONN-WORK")
                && !stranger.contains("CLIENT-LINK")
        );
        let connection = see(Some(bob.clone())).await;
        assert!(
            connection.contains("CONN-WORK")
                && !connection.contains("PRIVATE-LINK")
                && !connection.contains("CLIENT-LINK")
        );
        let owner = see(Some(ada.clone())).await;
        assert!(owner.contains("PRIVATE-LINK") && owner.contains("CLIENT-LINK"));
        // The sign-in email item is private: nobody else sees it.
        assert!(!connection.contains("ada@example.org"));

        // Preview matches what each viewer really gets.
        for (as_, real) in [
            ("public", &anon),
            ("member", &stranger),
            ("connection", &connection),
        ] {
            let r = t
                .call(
                    Method::GET,
                    &format!("/api/v1/me/preview?as={as_}"),
                    Some(&ada),
                    None,
                )
                .await;
            assert_eq!(&texts(&r.json()).join(" "), real, "preview as {as_}");
        }
    }
}

#[tokio::test]
async fn hidden_and_absent_look_the_same() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let bob = t.member("bob").await;
        let item = t
            .add_item(
                &ada,
                &["private"],
                json!({"kind": "headline", "text": "secret"}),
            )
            .await;
        let absent = t
            .call(
                Method::PUT,
                "/api/v1/me/items/01900000-0000-7000-8000-000000000000",
                Some(&bob),
                Some(json!({"audiences": ["public"], "data": {"kind": "headline", "text": "x"}})),
            )
            .await;
        let hidden = t
            .call(
                Method::PUT,
                &format!("/api/v1/me/items/{item}"),
                Some(&bob),
                Some(json!({"audiences": ["public"], "data": {"kind": "headline", "text": "x"}})),
            )
            .await;
        assert_eq!(
            (absent.status, absent.text.clone()),
            (hidden.status, hidden.text.clone())
        );
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert_eq!(hidden.headers["content-type"], "application/problem+json");
        let none = t
            .call(Method::GET, "/api/v1/profiles/nobody", None, None)
            .await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn tokens_personas_and_pagination() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let r = t.call(Method::GET, "/api/v1/me", Some(&ada), None).await;
        assert_eq!(r.json()["handle"], "ada");
        assert_eq!(
            t.call(Method::GET, "/api/v1/me", Some("gh_nope"), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            t.call(Method::GET, "/api/v1/me", None, None).await.status,
            StatusCode::UNAUTHORIZED
        );

        for i in 0..3 {
            let r = t
                .call(
                    Method::POST,
                    "/api/v1/me/tokens",
                    Some(&ada),
                    Some(json!({"name": format!("t{i}")})),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/me/tokens?limit=2&cursor={c}"),
                None => "/api/v1/me/tokens?limit=2".into(),
            };
            let page = t.call(Method::GET, &path, Some(&ada), None).await.json();
            seen.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["name"].as_str().unwrap().to_string()),
            );
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        assert_eq!(seen, ["t2", "t1", "t0", "test"]);
        assert_eq!(
            t.call(Method::GET, "/api/v1/me/tokens?limit=0", Some(&ada), None)
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            t.call(
                Method::GET,
                "/api/v1/me/tokens?cursor=%00",
                Some(&ada),
                None
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        let public = t
            .add_item(&ada, &["public"], json!({"kind": "headline", "text": "P"}))
            .await;
        let conn = t
            .add_item(
                &ada,
                &["connections"],
                json!({"kind": "headline", "text": "C"}),
            )
            .await;
        let r = t.call(Method::POST, "/api/v1/me/personas", Some(&ada), Some(json!({"name": "Coach", "headline": "Volunteer coach", "item_ids": [conn, public]}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let link = r.json()["link"].as_str().unwrap().to_string();
        assert_eq!(
            r.json()["url"].as_str().unwrap(),
            format!("http://guildhall.test{link}"),
            "the link to share is absolute"
        );
        let link = link.replace("/p/", "/api/v1/personas/");
        let view = t.call(Method::GET, &link, None, None).await.json();
        assert_eq!(view["persona"]["headline"], "Volunteer coach");
        assert_eq!(view["items"].as_array().unwrap().len(), 1, "{view}");

        let events = t
            .call(Method::GET, "/api/v1/me/events?limit=100", Some(&ada), None)
            .await
            .json();
        let types: Vec<&str> = events["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event_type"].as_str().unwrap())
            .collect();
        assert!(
            types.contains(&"persona.created")
                && types.contains(&"profile.item_added")
                && types.contains(&"account.created")
        );
    }
}

#[tokio::test]
async fn password_change_and_revocation() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let r = t
            .call(
                Method::PUT,
                "/api/v1/me/password",
                Some(&ada),
                Some(json!({"current_password": "wrong one here", "new_password": "short"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let paths: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(paths, ["/new_password", "/current_password"]);
        // A common password is refused, whatever its length.
        let r = t.call(Method::PUT, "/api/v1/me/password", Some(&ada), Some(json!({"current_password": common::PASSWORD, "new_password": "password12345678"}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        // Keeping the API tokens is a choice...
        let r = t.call(Method::PUT, "/api/v1/me/password", Some(&ada), Some(json!({"current_password": common::PASSWORD, "new_password": "another long password", "revoke_api_tokens": false}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let list = t
            .call(Method::GET, "/api/v1/me/tokens", Some(&ada), None)
            .await
            .json();
        let id = list["items"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(
            t.call(
                Method::DELETE,
                &format!("/api/v1/me/tokens/{id}"),
                Some(&ada),
                None
            )
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            t.call(Method::GET, "/api/v1/me", Some(&ada), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        // ...and by default every token goes, the one in use too.
        let fresh = t
            .call(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"login": "ada", "password": "another long password", "name": "cli"})),
            )
            .await
            .json()["token"]
            .as_str()
            .unwrap()
            .to_string();
        let r = t.call(Method::PUT, "/api/v1/me/password", Some(&fresh), Some(json!({"current_password": "another long password", "new_password": "a third long passphrase"}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            t.call(Method::GET, "/api/v1/me", Some(&fresh), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn health_and_metrics() {
    let t = TestApp::new(guildhall_store::testdb::TestDb::sqlite().unwrap());
    assert_eq!(t.call(Method::GET, "/healthz", None, None).await.text, "ok");
    assert_eq!(
        t.call(Method::GET, "/readyz", None, None).await.status,
        StatusCode::OK
    );
    t.call(Method::GET, "/api/v1/profiles/nobody", None, None)
        .await;
    let metrics = t.call(Method::GET, "/metrics", None, None).await.text;
    assert!(
        metrics.contains(
            "http_requests_total{method=\"GET\",route=\"/api/v1/profiles/{handle}\",status=\"404\"}"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn openapi_document_is_stable() {
    let doc = serde_json::to_value(guildhall_web::api::openapi()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    // Every tag an operation uses is declared with a description, and none is declared idle.
    let declared: std::collections::BTreeSet<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|t| {
            assert!(
                t["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{t}"
            )
        })
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let used: std::collections::BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|ops| ops.as_object().unwrap().values())
        .flat_map(|op| op["tags"].as_array().into_iter().flatten())
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(used, declared);
    insta::assert_json_snapshot!("openapi", doc);
    let t = TestApp::new(guildhall_store::testdb::TestDb::sqlite().unwrap());
    let served = t
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .json();
    assert_eq!(served, doc);
    assert_eq!(
        t.call(Method::GET, "/api/docs/", None, None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn skill_claims_and_autocomplete() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let r = t.call(Method::POST, "/api/v1/me/items", Some(&ada), Some(json!({"audiences": ["connections"], "data": {"kind": "skill", "label": "Rust", "level": 4, "years": 6, "note": "embedded firmware"}}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let claim = r.json();
        assert!(claim["data"]["skill_id"].is_string());
        assert_eq!(claim["data"]["source"], "self_claimed");
        t.add_item(
            &ada,
            &["public"],
            json!({"kind": "skill", "label": "Public speaking", "level": 3}),
        )
        .await;
        let anon = t
            .call(Method::GET, "/api/v1/profiles/ada", None, None)
            .await
            .text;
        assert!(
            anon.contains("Public speaking") && !anon.contains("embedded firmware"),
            "{anon}"
        );

        let found = t
            .call(
                Method::GET,
                "/api/v1/skills/autocomplete?q=pub&limit=5",
                None,
                None,
            )
            .await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.text);
        let found = found.json();
        assert_eq!(found[0]["label"], "Public speaking");
        assert_eq!(found[0]["matched"], "tag");
        let bad = t
            .call(
                Method::GET,
                "/api/v1/skills/autocomplete?limit=5",
                None,
                None,
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = t.call(Method::POST, "/api/v1/me/items", Some(&ada), Some(json!({"audiences": ["public"], "data": {"kind": "skill", "label": "Go", "level": 6}}))).await;
        assert_eq!(r.json()["errors"][0]["path"], "/data/level");
    }
}

#[tokio::test]
async fn skill_suggestions_and_endorsements() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let bob = t.member("bob").await;
        t.connect("bob", &ada, "ada", &bob).await;
        let r = t
            .call(
                Method::PUT,
                "/api/v1/me/settings/skill-suggestions",
                Some(&ada),
                Some(json!({"from": "connections"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/profiles/ada/skill-suggestions",
                Some(&bob),
                Some(json!({"label": "Rust", "note": "our parser rewrite"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["outcome"], "not_added");
        let inbox = t
            .call(
                Method::GET,
                "/api/v1/me/skill-suggestions",
                Some(&ada),
                None,
            )
            .await
            .json();
        let id = inbox[0]["id"].as_str().unwrap().to_string();
        assert_eq!(inbox[0]["from"], "bob");
        let claim = t
            .call(
                Method::POST,
                &format!("/api/v1/me/skill-suggestions/{id}/accept"),
                Some(&ada),
                Some(json!({"audiences": ["public"], "level": 4})),
            )
            .await;
        assert_eq!(claim.status, StatusCode::OK, "{}", claim.text);
        let claim = claim.json();
        assert_eq!(
            (
                claim["data"]["source"].as_str(),
                claim["data"]["suggested_by"].as_str()
            ),
            (Some("accepted_suggestion"), Some("bob"))
        );
        let sent = t
            .call(
                Method::GET,
                "/api/v1/me/skill-suggestions?box=sent",
                Some(&bob),
                None,
            )
            .await
            .json();
        assert_eq!(sent[0]["outcome"], "added");
        assert!(
            sent[0].get("status").is_none(),
            "the suggester never sees more than the outcome"
        );
        let item = claim["id"].as_str().unwrap();
        let path = format!("/api/v1/profiles/ada/items/{item}/endorsements");
        let endorse = || {
            t.call(
                Method::POST,
                &path,
                Some(&bob),
                Some(json!({"note": "saw it daily"})),
            )
        };
        let r = endorse().await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "a connection alone: {}",
            r.text
        );
        assert!(r.text.contains("worked together"), "{}", r.text);
        // Both in a community an operator vetted: shared evidence to endorse on.
        let op = t.operator("operator").await;
        t.call(
            Method::POST,
            "/api/v1/communities",
            Some(&ada),
            Some(json!({"name": "Rust Guild", "slug": "rust-guild"})),
        )
        .await;
        t.call(
            Method::POST,
            "/api/v1/communities/rust-guild/join",
            Some(&bob),
            None,
        )
        .await;
        let vetted = t
            .call(
                Method::PUT,
                "/api/v1/admin/communities/rust-guild/vetted",
                Some(&op),
                Some(json!({"vetted": true})),
            )
            .await;
        assert_eq!(vetted.status, StatusCode::OK, "{}", vetted.text);
        let r = endorse().await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let again = t
            .call(
                Method::POST,
                &format!("/api/v1/profiles/ada/items/{item}/endorsements"),
                Some(&bob),
                Some(json!({})),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let bad = t
            .call(
                Method::GET,
                "/api/v1/me/skill-suggestions?box=both",
                Some(&ada),
                None,
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn only_operators_merge_tags() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let a = t.call(Method::POST, "/api/v1/me/items", Some(&ada), Some(json!({"audiences": ["public"], "data": {"kind": "skill", "label": "Rustlang", "level": 3}}))).await.json();
        let b = t.call(Method::POST, "/api/v1/me/items", Some(&ada), Some(json!({"audiences": ["public"], "data": {"kind": "skill", "label": "Rust", "level": 3}}))).await.json();
        let body = json!({"tag_id": a["data"]["skill_id"], "skill_id": b["data"]["skill_id"]});
        let refused = t
            .call(
                Method::POST,
                "/api/v1/admin/skill-merges",
                Some(&ada),
                Some(body.clone()),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
        let bad = t
            .call(
                Method::POST,
                "/api/v1/admin/skill-merges",
                Some(&ada),
                Some(json!({"tag_id": "x"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn member_search_hides_what_the_searcher_may_not_see() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let bob = t.member("bob").await;
        let eve = t.member("eve").await;
        t.add_item(
            &ada,
            &["connections"],
            json!({"kind": "skill", "label": "Rust", "level": 5}),
        )
        .await;
        t.add_item(
            &ada,
            &["public"],
            json!({"kind": "headline", "text": "Firmware for wind turbines"}),
        )
        .await;
        t.connect("bob", &ada, "ada", &bob).await;
        let found = |token: Option<String>, query: &'static str| {
            let t = &t;
            async move {
                let r = t
                    .call(
                        Method::GET,
                        &format!("/api/v1/members?{query}"),
                        token.as_deref(),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text);
                r.json()
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h["handle"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert!(
            found(None, "skill=rust").await.is_empty(),
            "a stranger never finds a connections-only skill"
        );
        assert!(found(Some(eve.clone()), "skill=rust").await.is_empty());
        assert_eq!(found(Some(bob.clone()), "skill=rust").await, ["ada"]);
        assert_eq!(found(None, "q=wind%20turbines").await, ["ada"]);
        let bad = t
            .call(Method::GET, "/api/v1/members?limit=0&q=x", None, None)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = t
            .send(
                axum::http::Request::builder()
                    .uri("/directory?skill=rust")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(
            page.text.contains("0 members found"),
            "the page hides her too"
        );
        t.add_item(
            &ada,
            &["public"],
            json!({"kind": "location", "place": "Aarhus", "timezone": "Europe/Copenhagen"}),
        )
        .await;
        let page = t
            .send(
                axum::http::Request::builder()
                    .uri("/directory?q=wind+turbines")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(
            page.text.contains("Europe/Copenhagen (1)"),
            "a time-zone facet narrows the search"
        );
        let narrowed = t
            .send(
                axum::http::Request::builder()
                    .uri("/directory?q=wind+turbines&timezone=Europe%2FCopenhagen")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(narrowed.text.contains("1 member found"));
    }
}

#[tokio::test]
async fn skill_page_lists_only_members_who_show_it_to_you() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let bob = t.member("bob").await;
        let carl = t.member("carl").await;
        // Carl shows Kotlin to every member, so its tag is shared; Ada shows it only to her
        // connections.
        t.call(Method::POST, "/api/v1/me/items", Some(&carl), Some(json!({"audiences": ["members"], "data": {"kind": "skill", "label": "Kotlin", "level": 2}}))).await;
        let claim = t.call(Method::POST, "/api/v1/me/items", Some(&ada), Some(json!({"audiences": ["connections"], "data": {"kind": "skill", "label": "Kotlin", "level": 4}}))).await.json();
        let skill_id = claim["data"]["skill_id"].as_str().unwrap().to_string();
        let details = t
            .call(
                Method::GET,
                &format!("/api/v1/skills/{skill_id}"),
                None,
                None,
            )
            .await;
        assert_eq!(details.status, StatusCode::OK, "{}", details.text);
        assert_eq!(details.json()["label"], "Kotlin");
        assert_eq!(
            t.call(Method::GET, "/api/v1/skills/not-an-id", None, None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let page = |cookie: Option<String>| {
            let t = &t;
            let skill_id = skill_id.clone();
            async move {
                let mut req = axum::http::Request::builder().uri(format!("/skills/{skill_id}"));
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                t.send(req.body(axum::body::Body::empty()).unwrap())
                    .await
                    .text
            }
        };
        assert!(
            page(None)
                .await
                .contains("Nobody shows this skill to you yet.")
        );
        t.connect("bob", &ada, "ada", &bob).await;
        let found = t
            .call(
                Method::GET,
                "/api/v1/members?skill=kotlin",
                Some(&bob),
                None,
            )
            .await
            .json();
        assert!(
            found
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["handle"] == "ada"),
            "{found}"
        );
        assert!(
            page(None)
                .await
                .contains("Nobody shows this skill to you yet."),
            "still hidden from the public"
        );

        // A tag only Ada's connections see is no page at all for anyone else.
        let own = t.call(Method::POST, "/api/v1/me/items", Some(&ada), Some(json!({"audiences": ["connections"], "data": {"kind": "skill", "label": "Ktor internals", "level": 4}}))).await.json();
        let private = own["data"]["skill_id"].as_str().unwrap().to_string();
        let read = |token: Option<&str>| {
            let path = format!("/api/v1/skills/{private}");
            let t = &t;
            let token = token.map(str::to_string);
            async move {
                t.call(Method::GET, &path, token.as_deref(), None)
                    .await
                    .status
            }
        };
        assert_eq!(read(None).await, StatusCode::NOT_FOUND);
        assert_eq!(read(Some(&carl)).await, StatusCode::NOT_FOUND);
        assert_eq!(read(Some(&bob)).await, StatusCode::OK, "bob sees her claim");
        assert_eq!(read(Some(&ada)).await, StatusCode::OK);
    }
}

#[tokio::test]
async fn communities_and_their_audience() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let bob = t.member("bob").await;
        let eve = t.member("eve").await;
        let r = t.call(Method::POST, "/api/v1/communities", Some(&ada), Some(json!({"name": "Data Guild", "slug": "data-guild", "visibility": "listed", "admission": "open"}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let guild = r.json();
        assert_eq!(guild["your_role"], "owner");
        assert_eq!(
            t.call(Method::GET, "/api/v1/communities/data-guild", None, None)
                .await
                .status,
            StatusCode::NOT_FOUND,
            "listed: not for visitors"
        );
        let joined = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/join",
                Some(&bob),
                None,
            )
            .await;
        assert_eq!(joined.status, StatusCode::OK, "{}", joined.text);
        let audience = format!("community:{}", guild["id"].as_str().unwrap());
        t.add_item(
            &ada,
            &[audience.as_str()],
            json!({"kind": "headline", "text": "GUILD-ONLY"}),
        )
        .await;
        let seen = |token: String| {
            let t = &t;
            async move {
                t.call(Method::GET, "/api/v1/profiles/ada", Some(&token), None)
                    .await
                    .text
                    .contains("GUILD-ONLY")
            }
        };
        assert!(seen(bob.clone()).await);
        assert!(!seen(eve.clone()).await);
        let r = t
            .call(
                Method::PUT,
                "/api/v1/communities/data-guild/members/bob/role",
                Some(&eve),
                Some(json!({"role": "curator"})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "an outsider cannot manage roles"
        );
        let r = t
            .call(
                Method::PUT,
                "/api/v1/communities/data-guild/members/bob/role",
                Some(&ada),
                Some(json!({"role": "curator"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/members/ada/remove",
                Some(&bob),
                Some(json!({"reason": "coup"})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "curators cannot remove owners"
        );
        let bad = t.call(Method::POST, "/api/v1/communities", Some(&ada), Some(json!({"name": "x", "slug": "data-guild", "visibility": "secret", "admission": "open"}))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn a_community_admits_talks_and_meets_over_the_api() {
    for t in TestApp::all() {
        let ada = t.member("ada").await;
        let bob = t.member("bob").await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities",
                Some(&ada),
                Some(json!({
                    "name": "Data Guild", "slug": "data-guild", "admission": "application",
                    "questions": [{"prompt": "What have you built?", "required": true}],
                    "focus_skills": ["SQL"]
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["focus_skills"][0]["label"], "SQL");

        // Signed out, nothing inside can be done or read: every community write, and the reads
        // of what is inside.
        let id = "01a20166-4621-7755-b329-aef51f01b572";
        let writes = [
            (Method::PUT, "/api/v1/communities/data-guild".to_string()),
            (Method::POST, "/api/v1/communities/data-guild/join".into()),
            (Method::POST, "/api/v1/communities/data-guild/leave".into()),
            (Method::PUT, "/api/v1/communities/data-guild/persona".into()),
            (
                Method::PUT,
                "/api/v1/communities/data-guild/members/ada/role".into(),
            ),
            (
                Method::POST,
                "/api/v1/communities/data-guild/members/ada/remove".into(),
            ),
            (
                Method::DELETE,
                "/api/v1/communities/data-guild/applications/mine".into(),
            ),
            (
                Method::POST,
                format!("/api/v1/communities/data-guild/applications/{id}/decision"),
            ),
            (
                Method::DELETE,
                format!("/api/v1/communities/data-guild/invitations/{id}"),
            ),
            (Method::POST, format!("/api/v1/invitations/{id}/accept")),
            (
                Method::POST,
                format!("/api/v1/communities/data-guild/threads/{id}/replies"),
            ),
            (
                Method::POST,
                format!("/api/v1/communities/data-guild/posts/{id}/moderation"),
            ),
            (
                Method::POST,
                format!("/api/v1/communities/data-guild/posts/{id}/reports"),
            ),
            (Method::POST, "/api/v1/communities/data-guild/events".into()),
            (
                Method::PUT,
                format!("/api/v1/communities/data-guild/events/{id}"),
            ),
            (
                Method::PUT,
                format!("/api/v1/communities/data-guild/events/{id}/rsvp"),
            ),
            (
                Method::POST,
                "/api/v1/communities/data-guild/mentoring/offers".into(),
            ),
            (
                Method::DELETE,
                format!("/api/v1/communities/data-guild/mentoring/offers/{id}"),
            ),
            (
                Method::POST,
                "/api/v1/communities/data-guild/mentoring/pairs".into(),
            ),
            (
                Method::POST,
                format!("/api/v1/communities/data-guild/mentoring/pairs/{id}/decision"),
            ),
            (
                Method::POST,
                format!("/api/v1/communities/data-guild/mentoring/pairs/{id}/sessions"),
            ),
            (
                Method::POST,
                format!(
                    "/api/v1/communities/data-guild/mentoring/pairs/{id}/sessions/{id}/confirm"
                ),
            ),
            (
                Method::POST,
                "/api/v1/communities/data-guild/resources".into(),
            ),
            (
                Method::DELETE,
                format!("/api/v1/communities/data-guild/resources/{id}"),
            ),
            (
                Method::PUT,
                format!("/api/v1/communities/data-guild/resources/{id}/completion"),
            ),
        ];
        let events_before = t.event_count();
        for (method, path) in &writes {
            let r = t.call(method.clone(), path, None, Some(json!({}))).await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path}: {}",
                r.text
            );
        }
        assert_eq!(t.event_count(), events_before);
        for (method, path, body) in [
            (
                Method::POST,
                "/api/v1/communities/data-guild/applications",
                json!({"answers": ["x"]}),
            ),
            (
                Method::POST,
                "/api/v1/communities/data-guild/threads",
                json!({"title": "Hi all", "body": "x"}),
            ),
            (
                Method::POST,
                "/api/v1/communities/data-guild/invitations",
                json!({"days_valid": 1, "max_uses": 1}),
            ),
            (
                Method::GET,
                "/api/v1/communities/data-guild/threads",
                Value::Null,
            ),
            (
                Method::GET,
                "/api/v1/communities/data-guild/members",
                Value::Null,
            ),
            (
                Method::GET,
                "/api/v1/communities/data-guild/events",
                Value::Null,
            ),
            (
                Method::GET,
                "/api/v1/communities/data-guild/applications",
                Value::Null,
            ),
        ] {
            let body = (!body.is_null()).then_some(body);
            let r = t.call(method.clone(), path, None, body).await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path}: {}",
                r.text
            );
        }

        t.add_item(
            &bob,
            &["members"],
            json!({"kind": "skill", "label": "SQL", "level": 4}),
        )
        .await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/applications",
                Some(&bob),
                Some(json!({"answers": ["A warehouse"]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let application = r.json()["id"].as_str().unwrap().to_string();
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data-guild/applications",
                Some(&bob),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data-guild/applications",
                Some(&ada),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let queue = r.json();
        assert_eq!(queue[0]["handle"], "bob");
        assert_eq!(queue[0]["skills"][0]["skill"]["label"], "SQL");
        assert_eq!(queue[0]["skills"][0]["focus"], true);
        assert!(
            queue[0]["profile"]["items"][0].get("audiences").is_none(),
            "no audiences leak"
        );
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/communities/data-guild/applications/{application}/decision"),
                Some(&ada),
                Some(json!({"decision": "approve"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["status"], "approved");

        let r = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/threads",
                Some(&bob),
                Some(json!({"title": "Hello", "body": "Hi @ada <img src=x onerror=alert(1)>"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let html = r.json()["html"].as_str().unwrap().to_string();
        assert!(
            html.contains("href=\"/u/ada\"") && !html.contains("onerror"),
            "{html}"
        );

        let r = t.call(Method::POST, "/api/v1/communities/data-guild/events", Some(&ada), Some(json!({
            "title": "Meet-up", "starts": "2099-05-01T18:00", "ends": "2099-05-01T20:00",
            "timezone": "Europe/Berlin", "place": "Rosenthaler Str. 1, Berlin", "capacity": 10
        }))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let event = r.json()["id"].as_str().unwrap().to_string();
        let r = t
            .call(
                Method::PUT,
                &format!("/api/v1/communities/data-guild/events/{event}/rsvp"),
                Some(&bob),
                Some(json!({"going": true})),
            )
            .await;
        assert_eq!(r.json()["your_rsvp"], "going");
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/communities/data-guild/events/{event}/ics"),
                Some(&bob),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        assert!(r.text.contains("DTSTART:20990501T160000Z"), "{}", r.text);
        let token = t
            .call(
                Method::GET,
                "/api/v1/communities/data-guild",
                Some(&bob),
                None,
            )
            .await
            .json()["feed_token"]
            .as_str()
            .unwrap()
            .to_string();
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/calendars/{token}"),
                None,
                None,
            )
            .await;
        assert!(r.text.contains("SUMMARY:Meet-up"), "{}", r.text);
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data-guild/calendar",
                None,
                None,
            )
            .await;
        assert!(
            r.text.contains("SUMMARY:Meet-up") && r.status == StatusCode::OK,
            "public community, public feed"
        );
        let members = t
            .call(
                Method::GET,
                "/api/v1/communities/data-guild/members",
                Some(&bob),
                None,
            )
            .await
            .json();
        assert_eq!(members.as_array().unwrap().len(), 2);
    }
}
