//! The work path over the API on both databases: a job, a proposal, an offer, funding with an
//! idempotency key (replayed), delivery, acceptance and the balances that follow.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_job_becomes_a_paid_contract_over_the_api() {
    for t in TestApp::all() {
        let operator = t.operator("operator").await;
        let client = t.member("client").await;
        let ana = t.member("ana").await;

        for path in ["/api/v1/jobs", "/api/v1/contracts", "/api/v1/me/balances"] {
            let r = t.call(Method::GET, path, None, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
        }
        let deposit =
            json!({"handle": "client", "amount": 500_000, "currency": "EUR", "deposit": true});
        let r = t
            .call(
                Method::POST,
                "/api/v1/admin/transfers",
                Some(&operator),
                Some(deposit.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "the key is required: {}",
            r.text
        );
        let r = t
            .call_keyed(
                Method::POST,
                "/api/v1/admin/transfers",
                &client,
                deposit.clone(),
                "d1",
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "operators only");
        let r = t
            .call_keyed(
                Method::POST,
                "/api/v1/admin/transfers",
                &operator,
                deposit.clone(),
                "d1",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let again = t
            .call_keyed(
                Method::POST,
                "/api/v1/admin/transfers",
                &operator,
                deposit,
                "d1",
            )
            .await;
        assert_eq!(again.json()["replayed"], true);

        let r = t.call(Method::POST, "/api/v1/jobs", Some(&client), Some(json!({
            "title": "Speed up the nightly load", "skills": [{"label": "SQL"}],
            "pricing": "fixed", "budget_min": 100000, "budget_max": 300000, "currency": "EUR",
            "starts_on": "2026-12-01", "ends_on": "2027-01-31"
        }))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let job = r.json()["id"].as_str().unwrap().to_string();
        let listed = t
            .call(Method::GET, "/api/v1/jobs", Some(&ana), None)
            .await
            .json();
        assert_eq!(listed.as_array().unwrap().len(), 1);
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/jobs/{job}/proposals"),
                Some(&ana),
                Some(json!({
                    "note": "I have done this before, twice.", "rate": 200000
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let proposal = r.json()["id"].as_str().unwrap().to_string();
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/proposals/{proposal}/offer"),
                Some(&client),
                Some(json!({
                    "milestones": [{"title": "Fix", "amount": 200000, "due_on": "2027-01-15"}]
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let contract = r.json()["id"].as_str().unwrap().to_string();
        let m = r.json()["milestones"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/contracts/{contract}/answer"),
                Some(&ana),
                Some(json!({"accept": true})),
            )
            .await;
        assert_eq!(r.json()["status"], "active", "{}", r.text);

        let path = format!("/api/v1/contracts/{contract}/milestones/{m}");
        let fund = json!({"action": "fund"});
        let r = t
            .call(Method::POST, &path, Some(&client), Some(fund.clone()))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        for _ in 0..2 {
            let r = t
                .call_keyed(Method::POST, &path, &client, fund.clone(), "fund-1")
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            assert_eq!(r.json()["milestones"][0]["status"], "funded");
        }
        let r = t
            .call_keyed(Method::POST, &path, &client, fund, "fund-2")
            .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "a second funding is refused: {}",
            r.text
        );
        let r = t
            .call(
                Method::POST,
                &path,
                Some(&ana),
                Some(json!({"action": "submit"})),
            )
            .await;
        assert_eq!(r.json()["milestones"][0]["on_time"], true, "{}", r.text);
        let r = t
            .call_keyed(
                Method::POST,
                &path,
                &client,
                json!({"action": "accept"}),
                "acc-1",
            )
            .await;
        assert_eq!(r.json()["status"], "completed", "{}", r.text);

        let balances = t
            .call(Method::GET, "/api/v1/me/balances", Some(&ana), None)
            .await
            .json();
        assert_eq!(balances[0]["display"], "1800.00 EUR", "{balances}");
        let balances = t
            .call(Method::GET, "/api/v1/me/balances", Some(&client), None)
            .await
            .json();
        assert_eq!(balances[0]["minor"], 300_000, "{balances}");
    }
}
