//! The front page tells a visitor what the instance is; a member's home lists what waits for
//! their answer, and every page counts it beside "Home".

use crate::common::TestApp;
use crate::pages::{get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn visitors_see_the_instance_and_members_see_what_waits() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let ben = t.member("ben").await;
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild", "visibility": "public", "admission": "application"})).await;
        t.pipeline_job(&ana).await;

        let r = t.send(get("/", "")).await;
        assert_eq!(r.status, StatusCode::OK);
        for words in [
            "<h1>Test Guild</h1>",
            "For <strong>testers</strong> of Guildhall.",
            "2 members",
            "ops@example.org",
            "Data Guild",
            "Pipeline review",
        ] {
            assert!(r.text.contains(words), "{words}: {}", r.text);
        }

        // Ben is offered a contract, and applies to the guild Ana curates.
        let r = t
            .call(
                Method::POST,
                "/api/v1/contracts",
                Some(&ana),
                Some(
                    json!({"member": "ben", "title": "Index audit", "currency": "EUR",
                    "milestones": [{"title": "Report", "amount": 50000, "due_on": "2099-01-15"}]}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/applications",
                Some(&ben),
                Some(json!({"answers": []})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

        let session = page_session(&t, "ben").await;
        let r = t.send(get("/", &session)).await;
        assert!(
            r.text.contains("1 contract offer to accept or decline"),
            "{}",
            r.text
        );
        assert!(
            r.text.contains("aria-label=\"1 waiting for you\""),
            "{}",
            r.text
        );
        let r = t.send(get("/jobs", &session)).await;
        assert!(
            r.text.contains("aria-label=\"1 waiting for you\""),
            "counted on every page"
        );

        let session = page_session(&t, "ana").await;
        let r = t.send(get("/", &session)).await;
        assert!(r.text.contains("1 application to Data Guild"), "{}", r.text);
        let r = t
            .send(get("/communities", &page_session(&t, "ana").await))
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_job_form_suggests_skills_as_the_profile_does() {
    let t = TestApp::all().remove(0);
    let ana = t.member("ana").await;
    t.add_item(
        &ana,
        &["public"],
        json!({"kind": "skill", "label": "Python", "level": 4}),
    )
    .await;
    let session = page_session(&t, "ana").await;
    let r = t.send(get("/jobs/new", &session)).await;
    assert!(
        r.text.contains("hx-get=\"/skills/suggest\"")
            && r.text.contains("list=\"skill-1-options\""),
        "{}",
        r.text
    );
    let r = t
        .send(get("/skills/suggest?skill_label=python", &session))
        .await;
    assert!(r.text.contains("<option value=\"Python"), "{}", r.text);
}
