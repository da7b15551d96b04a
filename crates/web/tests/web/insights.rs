//! Skills gaps over the API and on pages: a member's gap for a job and an occupation, with
//! the way to ask a mentor; a community's gaps for its curators only.

use crate::common::TestApp;
use crate::pages::{get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_member_sees_their_gap_for_a_job_and_an_occupation() {
    for t in TestApp::all() {
        let client = t.member("client").await;
        let ana = t.member("ana").await;
        t.add_item(
            &client,
            &["public"],
            json!({"kind": "skill", "label": "SQL", "level": 2}),
        )
        .await;
        let job = t.pipeline_job(&client).await;

        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/jobs/{job}/gap"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let report = r.json();
        assert_eq!(report["target"]["kind"], "job");
        assert_eq!(report["gaps"][0]["skill"]["label"], "SQL");
        assert_eq!(report["gaps"][0]["held"], json!(null));
        assert_eq!(report["open_jobs"], 0);
        let sql = report["gaps"][0]["skill"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(report["gaps"][0]["paths"], json!([]));
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/skills/{sql}/paths"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json(), json!([]), "nobody has evidence of it yet");
        let r = t
            .call(
                Method::GET,
                "/api/v1/skills/0190d6a2-0000-7000-8000-000000000000/paths",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = t
            .call(
                Method::GET,
                "/api/v1/jobs/0190d6a2-0000-7000-8000-000000000000/gap",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = t
            .call(Method::GET, &format!("/api/v1/jobs/{job}/gap"), None, None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        let r = t
            .call(Method::GET, "/api/v1/occupations", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let occupations = r.json();
        assert_eq!(occupations.as_array().unwrap().len(), 91);
        let first = occupations[0]["id"].as_str().unwrap().to_string();
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/occupations/{first}/gap"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["target"]["kind"], "occupation");

        let session = page_session(&t, "ana").await;
        let r = t.send(get(&format!("/jobs/{job}"), &session)).await;
        assert!(
            r.text.contains(&format!("href=\"/jobs/{job}/gap\"")),
            "{}",
            r.text
        );
        let r = t.send(get(&format!("/jobs/{job}/gap"), &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.contains("show this skill yet; level 1 is asked"),
            "{}",
            r.text
        );
        assert!(r.text.contains("None of your communities lists a resource"));
        let r = t.send(get("/me/growth", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("database administrator"));
        let r = t.send(get(&format!("/skills/{sql}"), &session)).await;
        assert!(r.text.contains("How members came to it"), "{}", r.text);
        let r = t
            .send(get(&format!("/me/growth?occupation={first}"), &session))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Your gap to"), "{}", r.text);
        let r = t
            .send(get("/me/growth?occupation=nonsense", &session))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("Choose an occupation from the list."));
        assert!(r.text.contains(r#"<option value="" >"#) || r.text.contains("Choose one"));
    }
}

#[tokio::test]
async fn a_communitys_gaps_are_for_its_curators() {
    for t in TestApp::all() {
        let owner = t.member("owner").await;
        let ana = t.member("ana").await;
        t.community(
            &owner,
            json!({"name": "Data guild", "slug": "data", "admission": "open", "visibility": "public"}),
        )
        .await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities/data/join",
                Some(&ana),
                None,
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data/gaps",
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let gaps = r.json();
        assert_eq!(gaps["open_jobs"], 0);
        assert_eq!(
            gaps["members"],
            json!(null),
            "two members: too few to count"
        );
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data/gaps",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let session = page_session(&t, "owner").await;
        let r = t.send(get("/c/data", &session)).await;
        assert!(r.text.contains("href=\"/c/data/insights\""));
        let r = t.send(get("/c/data/insights", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Gaps appear here once clients post jobs"));
        let session = page_session(&t, "ana").await;
        let r = t.send(get("/c/data", &session)).await;
        assert!(!r.text.contains("href=\"/c/data/insights\""));
        let r = t.send(get("/c/data/insights", &session)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn liquidity_is_shown_to_members_for_their_skills_and_to_curators_in_full() {
    for t in TestApp::all() {
        let owner = t.member("owner").await;
        let ana = t.member("ana").await;
        t.community(
            &owner,
            json!({"name": "Data guild", "slug": "data", "admission": "open", "visibility": "public"}),
        )
        .await;
        t.add_item(
            &ana,
            &["public"],
            json!({"kind": "skill", "label": "SQL", "level": 3}),
        )
        .await;
        t.pipeline_job(&owner).await;
        let taken = tokio::task::spawn_blocking({
            let app = t.app.clone();
            move || app.insights().take_liquidity_snapshot()
        })
        .await
        .unwrap()
        .unwrap();
        assert!(taken.is_some());

        let r = t
            .call(Method::GET, "/api/v1/me/liquidity", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let mine = r.json();
        assert_eq!(mine[0]["scope"], "instance");
        assert_eq!(mine[0]["rows"][0]["skill"]["label"], "SQL");
        assert_eq!(
            mine[0]["rows"][0]["supply_hours"],
            json!(null),
            "one member: held back"
        );
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data/liquidity",
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data/liquidity",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

        let session = page_session(&t, "ana").await;
        let r = t.send(get("/me/growth", &session)).await;
        assert!(r.text.contains("Your skills in demand"), "{}", r.text);
        assert!(
            r.text.contains("too few people or jobs to show"),
            "{}",
            r.text
        );
        let r = t.send(get("/me/growth?csv=liquidity", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.starts_with("scope,day,skill,open hours,free hours"),
            "{}",
            r.text
        );
        let session = page_session(&t, "owner").await;
        let r = t.send(get("/c/data/insights", &session)).await;
        assert!(r.text.contains("Liquidity"), "{}", r.text);
        let r = t.send(get("/c/data/insights?csv=gaps", &session)).await;
        assert!(r.text.starts_with("skill,open jobs asking"), "{}", r.text);
    }
}

#[tokio::test]
async fn the_rates_map_filters_and_a_job_names_its_occupation() {
    for t in TestApp::all() {
        let client = t.member("client").await;
        let occupations = t
            .call(Method::GET, "/api/v1/occupations", Some(&client), None)
            .await
            .json();
        let dba = occupations
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["label"] == "database administrator")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let body = json!({"title": "Tune the warehouse", "skills": [{"label": "SQL"}],
            "pricing": "hourly", "budget_min": 6000, "budget_max": 9000, "currency": "EUR",
            "starts_on": "2099-01-04", "ends_on": "2099-02-26", "remote": true,
            "occupation": dba});
        let r = t
            .call(
                Method::POST,
                "/api/v1/jobs",
                Some(&client),
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["occupation"]["label"], "database administrator");
        let mut wrong = body;
        wrong["occupation"] = json!("0190d6a2-0000-7000-8000-000000000000");
        let r = t
            .call(Method::POST, "/api/v1/jobs", Some(&client), Some(wrong))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("/occupation"), "{}", r.text);

        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/insights/rates?occupation={dba}"),
                Some(&client),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let map = r.json();
        assert_eq!(map["rates_read"], 1);
        assert_eq!(
            map["rows"].as_array().unwrap().len(),
            0,
            "one person: nothing shown"
        );
        assert_eq!(map["reference"]["soc_code"], "151242");
        let r = t
            .call(
                Method::GET,
                "/api/v1/insights/rates?currency=ZZZ1",
                Some(&client),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        for blank in ["occupation=", "currency="] {
            let path = format!("/api/v1/insights/rates?{blank}");
            let r = t.call(Method::GET, &path, Some(&client), None).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{blank}: {}",
                r.text
            );
        }
        let r = t
            .call(Method::GET, "/api/v1/insights/rates", None, None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        let session = page_session(&t, "client").await;
        let r = t.send(get("/jobs/new", &session)).await;
        assert!(
            r.text
                .contains(r#"<select id="occupation" name="occupation""#),
            "{}",
            r.text
        );
        let r = t
            .send(get(
                &format!("/insights/rates?occupation={dba}&pricing=hourly"),
                &session,
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.contains("Against US wages: Database Administrators"),
            "{}",
            r.text
        );
        assert!(
            r.text.contains(r#"<option value="hourly" selected>"#),
            "{}",
            r.text
        );
        let r = t
            .send(get("/insights/rates?days=soon&currency=EU", &session))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text.contains("Choose a period from the list."),
            "{}",
            r.text
        );
        assert!(
            r.text.contains(r#"value="EU""#),
            "what was typed stays: {}",
            r.text
        );
    }
}
