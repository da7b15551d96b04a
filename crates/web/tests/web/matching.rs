//! Find talent over the API and on its page: the job's client sees who fits and why, invites
//! one in a click; anyone else learns nothing.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_client_finds_talent_for_their_job_and_invites_in_one_click() {
    for t in TestApp::all() {
        let client = t.member("client").await;
        let ana = t.member("ana").await;
        let bob = t.member("bob").await;
        t.add_item(
            &ana,
            &["public"],
            json!({"kind": "skill", "label": "SQL", "level": 4}),
        )
        .await;
        t.add_item(
            &bob,
            &["connections"],
            json!({"kind": "skill", "label": "SQL", "level": 5}),
        )
        .await;
        let job = t.pipeline_job(&client).await;
        let path = format!("/api/v1/jobs/{job}/talent");

        let r = t.call(Method::GET, &path, Some(&client), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let found = r.json();
        assert_eq!(
            found.as_array().unwrap().len(),
            1,
            "bob shows SQL to connections: {found}"
        );
        assert_eq!(found[0]["handle"], "ana");
        assert_eq!(found[0]["matched"][0], "SQL, at level 4 (1 asked)");

        let r = t.call(Method::GET, &path, Some(&ana), None).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "only the job's client asks"
        );
        let r = t
            .call(Method::GET, &format!("{path}?limit=0"), Some(&client), None)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

        let session = page_session(&t, "client").await;
        let r = t.send(get(&format!("/jobs/{job}"), &session)).await;
        assert!(
            r.text.contains(&format!("href=\"/jobs/{job}/talent\"")),
            "{}",
            r.text
        );
        let r = t.send(get(&format!("/jobs/{job}/talent"), &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.contains("@ana") && r.text.contains("SQL, at level 4 (1 asked)"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("@bob"));
        // A handle nobody has comes back beside the field, as typed.
        let r = t
            .send(form(
                &format!("/jobs/{job}"),
                &session,
                "csrf=tok&action=invite&handle=anna",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text.contains(r#"placeholder="ana" value="anna">"#)
                && r.text.contains("no member has this handle"),
            "{}",
            r.text
        );
        let r = t
            .send(form(
                &format!("/jobs/{job}"),
                &session,
                "csrf=tok&action=invite&handle=ana",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t
            .send(get(&format!("/jobs/{job}?done=invited"), &session))
            .await;
        assert!(r.text.contains("invited"), "{}", r.text);

        let other = page_session(&t, "ana").await;
        let r = t.send(get(&format!("/jobs/{job}/talent"), &other)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_member_sees_the_work_that_fits_them() {
    for t in TestApp::all() {
        let client = t.member("client").await;
        let ana = t.member("ana").await;
        t.add_item(
            &ana,
            &["members"],
            json!({"kind": "skill", "label": "SQL", "level": 4}),
        )
        .await;
        let job = t.pipeline_job(&client).await;
        let r = t
            .call(Method::GET, "/api/v1/me/work-for-you", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()[0]["job"], job.as_str());
        assert_eq!(r.json()[0]["matched"][0], "SQL, at level 4 (1 asked)");
        let r = t
            .call(
                Method::GET,
                "/api/v1/me/work-for-you?limit=51",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        let session = page_session(&t, "ana").await;
        let r = t.send(get("/jobs", &session)).await;
        assert!(r.text.contains("href=\"/jobs/for-you\""), "{}", r.text);
        let r = t.send(get("/jobs/for-you", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.contains("Pipeline review") && r.text.contains("SQL, at level 4 (1 asked)"),
            "{}",
            r.text
        );
        let quiet = page_session(&t, "client").await;
        let r = t.send(get("/jobs/for-you", &quiet)).await;
        assert!(
            r.text.contains("No open job asks for a skill you show yet"),
            "{}",
            r.text
        );
    }
}
