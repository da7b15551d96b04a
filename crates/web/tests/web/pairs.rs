//! A senior member with a learner over the API and on pages: Find talent proposes the pair
//! when nobody covers the job alone, the client offers the work to the pair from the senior's
//! proposal, a refused pair offer keeps what was typed, and each side's contract page says
//! whose turn it is.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

/// A job asking SQL and Figma, each at level 3.
async fn two_skill_job(t: &TestApp, client: &str) -> String {
    let body = json!({"title": "Dashboard", "skills": [
            {"label": "SQL", "min_level": 3}, {"label": "Figma", "min_level": 3}],
        "pricing": "fixed", "budget_min": 100000, "budget_max": 200000,
        "currency": "EUR", "starts_on": "2099-01-04", "ends_on": "2099-02-26", "remote": true});
    let r = t
        .call(Method::POST, "/api/v1/jobs", Some(client), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

async fn skill(t: &TestApp, token: &str, label: &str, level: u8, audience: &str) {
    t.add_item(
        token,
        &[audience],
        json!({"kind": "skill", "label": label, "level": level}),
    )
    .await;
}

#[tokio::test]
async fn find_talent_proposes_a_pair_when_nobody_covers_the_job() {
    for t in TestApp::all() {
        let client = t.member("client").await;
        let sam = t.member("sam").await;
        let lea = t.member("lea").await;
        let hid = t.member("hid").await;
        skill(&t, &sam, "SQL", 5, "public").await;
        skill(&t, &sam, "Figma", 2, "public").await;
        skill(&t, &lea, "Figma", 3, "public").await;
        // Hid shows Figma only to connections: never part of a pair for this client.
        skill(&t, &hid, "Figma", 5, "connections").await;
        let job = two_skill_job(&t, &client).await;
        let path = format!("/api/v1/jobs/{job}/pairs");

        let r = t.call(Method::GET, &path, Some(&client), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let pairs = r.json();
        assert_eq!(pairs.as_array().unwrap().len(), 1, "{pairs}");
        assert_eq!(pairs[0]["senior"]["handle"], "sam");
        assert_eq!(pairs[0]["learner"]["handle"], "lea");
        assert_eq!(pairs[0]["learner_brings"], json!(["Figma"]));
        assert_eq!(pairs[0]["learns"], json!(["SQL"]));
        assert!(!r.text.contains("hid"), "{}", r.text);

        let r = t.call(Method::GET, &path, Some(&sam), None).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "only the job's client asks"
        );

        let session = page_session(&t, "client").await;
        let r = t.send(get(&format!("/jobs/{job}/talent"), &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        for shown in [
            "Hire a pair",
            "@sam with @lea",
            "@lea brings Figma, and learns SQL from @sam",
            "Invite @lea to propose",
        ] {
            assert!(r.text.contains(shown), "{shown}: {}", r.text);
        }

        // Once one member covers the job, no pair is proposed.
        skill(&t, &lea, "SQL", 3, "public").await;
        let r = t.call(Method::GET, &path, Some(&client), None).await;
        assert_eq!(r.json(), json!([]), "{}", r.text);
    }
}

#[tokio::test]
async fn a_pair_offer_keeps_what_was_typed_and_each_side_sees_whose_turn_it_is() {
    for t in TestApp::all() {
        let client = t.member("client").await;
        let sam = t.member("sam").await;
        t.member("lea").await;
        let job = t.pipeline_job(&client).await;
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/jobs/{job}/proposals"),
                Some(&sam),
                Some(json!({"note": "With a learner", "rate": 150000})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let proposal = r.json()["id"].as_str().unwrap().to_string();
        let session = page_session(&t, "client").await;
        let offer = |learner: &str| {
            format!(
                "csrf=tok&action=offer&proposal={proposal}&m_title=Queries&m_amount=1000\
                 &m_due=2099-01-20&m_by=member&m_title=Tests&m_amount=300&m_due=2099-02-01\
                 &m_by=learner&learner={learner}"
            )
        };
        let url = format!("/jobs/{job}/proposals/{proposal}");
        let r = t.send(form(&url, &session, &offer("leah"))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        for kept in [
            "value=\"leah\"",
            "value=\"Tests\"",
            "<option value=\"learner\" selected>",
            "<details class=\"pair\" open>",
            "No member has this handle.",
        ] {
            assert!(r.text.contains(kept), "{kept}: {}", r.text);
        }
        assert!(!r.text.contains("/learner"), "no JSON pointer on the page");

        let r = t.send(form(&url, &session, &offer("%40lea"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let contract = r.headers["location"]
            .to_str()
            .unwrap()
            .trim_start_matches("/work/contracts/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let page = format!("/work/contracts/{contract}");
        let r = t.send(get(&page, &session)).await;
        assert!(
            r.text.contains("Waiting for @lea to accept their part"),
            "{}",
            r.text
        );
        let sam_session = page_session(&t, "sam").await;
        let r = t.send(get(&page, &sam_session)).await;
        assert!(
            r.text.contains("It can start once @lea accepts their part")
                && !r.text.contains("Accept the contract"),
            "{}",
            r.text
        );
        let lea_session = page_session(&t, "lea").await;
        let r = t.send(get(&page, &lea_session)).await;
        assert!(
            r.text.contains("Accept my part") && r.text.contains("done by @lea, the learner"),
            "{}",
            r.text
        );
        let r = t
            .send(form(&page, &lea_session, "csrf=tok&action=accept-offer"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t.send(get(&page, &sam_session)).await;
        assert!(r.text.contains("Accept the contract"), "{}", r.text);
        let r = t
            .send(form(&page, &sam_session, "csrf=tok&action=accept-offer"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/contracts/{contract}"),
                Some(&client),
                None,
            )
            .await;
        assert_eq!(r.json()["status"], "active", "{}", r.text);
        assert_eq!(r.json()["learner"], "lea");
        assert_eq!(r.json()["milestones"][1]["worker"], "lea");
    }
}
