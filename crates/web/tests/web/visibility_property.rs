//! Property: for random owners, items with random audience sets, and random viewers with random
//! relations, no viewer ever receives an item outside its audiences — in the API's JSON or in
//! the rendered profile page.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, header};
use common::TestApp;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

const AUDIENCES: [&str; 5] = ["public", "members", "connections", "clients", "private"];

#[derive(Debug, Clone, Copy)]
enum Relation {
    Anonymous,
    Stranger,
    Connection,
    Owner,
}

fn admits(audience: &str, relation: Relation) -> bool {
    match relation {
        Relation::Owner => true,
        Relation::Connection => matches!(audience, "public" | "members" | "connections"),
        Relation::Stranger => matches!(audience, "public" | "members"),
        Relation::Anonymous => audience == "public",
    }
}

#[derive(Debug, Clone)]
struct Case {
    /// Per item: which audiences (indexes into AUDIENCES) it has.
    items: Vec<Vec<usize>>,
    relation: Relation,
}

fn case() -> impl Strategy<Value = Case> {
    let items =
        proptest::collection::vec(proptest::collection::vec(0..AUDIENCES.len(), 1..4), 1..8);
    let relation = prop_oneof![
        Just(Relation::Anonymous),
        Just(Relation::Stranger),
        Just(Relation::Connection),
        Just(Relation::Owner)
    ];
    (items, relation).prop_map(|(items, relation)| Case { items, relation })
}

#[test]
fn no_viewer_receives_an_item_outside_its_audiences() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for t in TestApp::all() {
        let mut runner = TestRunner::new(Config {
            cases: 24,
            failure_persistence: None,
            ..Config::default()
        });
        let counter = std::cell::Cell::new(0u32);
        runner
            .run(&case(), |case| {
                counter.set(counter.get() + 1);
                let n = counter.get();
                rt.block_on(check(&t, n, &case));
                Ok(())
            })
            .unwrap();
    }
}

async fn check(t: &TestApp, n: u32, case: &Case) {
    let owner = format!("owner{n}");
    let viewer = format!("viewer{n}");
    let owner_token = t.member(&owner).await;
    let viewer_token = t.member(&viewer).await;
    if let Relation::Connection = case.relation {
        t.connect(&viewer, &owner_token, &owner, &viewer_token)
            .await;
    }
    let mut markers = Vec::new();
    for (i, audiences) in case.items.iter().enumerate() {
        let names: Vec<&str> = audiences.iter().map(|a| AUDIENCES[*a]).collect();
        let marker = format!("mark{n}x{i}z");
        t.add_item(
            &owner_token,
            &names,
            json!({"kind": "link", "label": marker, "url": "https://example.org"}),
        )
        .await;
        markers.push((marker, names));
    }
    let token = match case.relation {
        Relation::Anonymous => None,
        Relation::Stranger | Relation::Connection => Some(viewer_token.as_str()),
        Relation::Owner => Some(owner_token.as_str()),
    };
    let json = t
        .call(
            Method::GET,
            &format!("/api/v1/profiles/{owner}"),
            token,
            None,
        )
        .await
        .text;
    let page = page_as(t, &owner, case.relation, &viewer).await;
    for (marker, names) in &markers {
        let allowed = names.iter().any(|a| admits(a, case.relation));
        assert_eq!(
            json.contains(marker.as_str()),
            allowed,
            "API: {marker} {names:?} for {:?}",
            case.relation
        );
        assert_eq!(
            page.contains(marker.as_str()),
            allowed,
            "page: {marker} {names:?} for {:?}",
            case.relation
        );
    }
}

/// The rendered profile page, signed in through the sign-in form when the relation needs it.
async fn page_as(t: &TestApp, owner: &str, relation: Relation, viewer: &str) -> String {
    let login = match relation {
        Relation::Anonymous => None,
        Relation::Stranger | Relation::Connection => Some(viewer),
        Relation::Owner => Some(owner),
    };
    let mut cookie = String::from("gh_csrf=testtoken");
    if let Some(login) = login {
        let body = format!("csrf=testtoken&login={login}&password=correct+horse+battery&next=%2F");
        let req = Request::builder()
            .method(Method::POST)
            .uri("/signin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(body))
            .unwrap();
        let r = t.send(req).await;
        assert_eq!(r.status.as_u16(), 303, "sign-in: {}", r.text);
        let session = r
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("gh_session="))
            .unwrap();
        cookie = format!("{cookie}; {}", session.split(';').next().unwrap());
    }
    let req = Request::builder()
        .uri(format!("/u/{owner}"))
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let r = t.send(req).await;
    assert_eq!(r.status.as_u16(), 200);
    r.text
}
