//! What a party must know on a community's pages: when each post was written, no Report link
//! on one's own posts, no Leave button for an owner; a refused reply keeps what was typed.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn posts_show_when_and_offer_only_what_applies() {
    let t = TestApp::all().remove(0);
    let ana = t.member("ana").await;
    let bob = t.member("bob").await;
    t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
        .await;
    let r = t
        .call(
            Method::POST,
            "/api/v1/communities/data-guild/join",
            Some(&bob),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let r = t
        .call(
            Method::POST,
            "/api/v1/communities/data-guild/threads",
            Some(&ana),
            Some(json!({"title": "Index advice", "body": "Which index?"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let thread = format!("/c/data-guild/t/{}", r.json()["id"].as_str().unwrap());

    let own = t.send(get(&thread, &page_session(&t, "ana").await)).await;
    assert!(own.text.contains(" UTC</time>"), "{}", own.text);
    assert!(
        !own.text.contains(">Report</summary>"),
        "not on one's own post"
    );
    let bob_session = page_session(&t, "bob").await;
    let theirs = t.send(get(&thread, &bob_session)).await;
    assert!(theirs.text.contains(">Report</summary>"));

    let owner = t
        .send(get("/c/data-guild", &page_session(&t, "ana").await))
        .await;
    assert!(
        !owner.text.contains(">Leave Data Guild</button>")
            && owner.text.contains("Owners do not leave")
    );
    let member = t.send(get("/c/data-guild", &bob_session)).await;
    assert!(member.text.contains(">Leave Data Guild</button>"));

    let long = "x".repeat(20_001);
    let r = t
        .send(form(
            &format!("{thread}/reply"),
            &bob_session,
            &format!("csrf=tok&body={long}"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains(&format!(">{long}</textarea>")),
        "the reply is kept"
    );
    assert!(r.text.contains("id=\"body-error\""));
}

#[tokio::test]
async fn a_persona_warns_about_items_its_link_cannot_show() {
    let t = TestApp::all().remove(0);
    let ana = t.member("ana").await;
    let private = t
        .add_item(
            &ana,
            &["connections"],
            json!({"kind": "headline", "text": "For friends"}),
        )
        .await;
    let r = t
        .call(
            Method::POST,
            "/api/v1/me/personas",
            Some(&ana),
            Some(json!({"name": "Coach", "item_ids": [private], "link_audience": "public"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = t
        .send(get("/me/personas", &page_session(&t, "ana").await))
        .await;
    assert!(
        r.text.contains("left out, shown to: Connections"),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("Some chosen items are not shown through this link")
    );
}

#[tokio::test]
async fn a_mentor_whose_role_is_lowered_is_no_longer_offered_the_decision() {
    for t in TestApp::all() {
        let olga = t.member("olga").await;
        let mia = t.member("mia").await;
        let leo = t.member("leo").await;
        t.community(
            &olga,
            json!({"name": "Data Guild", "slug": "data-guild", "visibility": "listed", "admission": "open"}),
        )
        .await;
        for token in [&mia, &leo] {
            let r = t
                .call(
                    Method::POST,
                    "/api/v1/communities/data-guild/join",
                    Some(token),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let role = |role: &'static str| {
            let (t, olga) = (&t, &olga);
            async move {
                let r = t
                    .call(
                        Method::PUT,
                        "/api/v1/communities/data-guild/members/mia/role",
                        Some(olga),
                        Some(json!({ "role": role })),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
            }
        };
        role("mentor").await;
        let offer = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/mentoring/offers",
                Some(&mia),
                Some(json!({"skills": ["SQL"], "note": "Query plans and indexes"})),
            )
            .await;
        assert_eq!(offer.status, StatusCode::CREATED, "{}", offer.text);
        let pair = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/mentoring/pairs",
                Some(&leo),
                Some(json!({"offer_id": offer.json()["id"], "goal": "Read a query plan", "format": "sessions"})),
            )
            .await;
        assert_eq!(pair.status, StatusCode::CREATED, "{}", pair.text);
        let accept = ">Accept</button>";
        let mia_page = page_session(&t, "mia").await;
        let page = t.send(get("/c/data-guild", &mia_page)).await;
        assert!(page.text.contains(accept), "{}", page.text);

        // A member who is no longer a mentor may not decide, so the page does not offer it.
        role("member").await;
        let page = t.send(get("/c/data-guild", &mia_page)).await;
        assert!(page.text.contains("Read a query plan"), "{}", page.text);
        assert!(!page.text.contains(accept), "{}", page.text);
        let decided = t
            .call(
                Method::POST,
                &format!(
                    "/api/v1/communities/data-guild/mentoring/pairs/{}/decision",
                    pair.json()["id"].as_str().unwrap()
                ),
                Some(&mia),
                Some(json!({"accept": true})),
            )
            .await;
        assert_eq!(decided.status, StatusCode::FORBIDDEN, "{}", decided.text);
    }
}
