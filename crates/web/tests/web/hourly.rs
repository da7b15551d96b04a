//! Hourly contracts over the API and on the contract page: a week funded with a key, time
//! logged and taken out, the week submitted and approved; a refused time entry keeps what was
//! typed.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use crate::work_api::credit;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

/// Today and this week's Monday, UTC.
fn this_week() -> (String, String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let today = guildhall_domain::calendar::local_input(now, "UTC")[..10].to_string();
    let monday = guildhall_domain::availability::parse_date(&today)
        .map(guildhall_domain::hourly::monday_of)
        .unwrap()
        .to_string();
    (today, monday)
}

/// Ana hires Bob by the hour (€45.00, 20 hours a week); returns the contract.
async fn hired(t: &TestApp, ana: &str, bob: &str) -> Value {
    let offer = json!({"member": "bob", "title": "Data platform support", "currency": "EUR",
        "hourly": {"rate": 4500, "weekly_cap_hours": 20}});
    let r = t
        .call(Method::POST, "/api/v1/contracts", Some(ana), Some(offer))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let k = r.json();
    assert_eq!(k["hourly"]["rate_display"], "€45.00");
    let id = k["id"].as_str().unwrap().to_string();
    let r = t
        .call(
            Method::POST,
            &format!("/api/v1/contracts/{id}/answer"),
            Some(bob),
            Some(json!({"accept": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn a_week_over_the_api() {
    for t in TestApp::all() {
        let op = t.operator("operator").await;
        let ana = t.member("ana").await;
        let bob = t.member("bob").await;
        credit(&t, &op, "ana", 200_000).await;
        let k = hired(&t, &ana, &bob).await;
        let id = k["id"].as_str().unwrap();
        let (today, monday) = this_week();

        let weeks = format!("/api/v1/contracts/{id}/weeks");
        let r = t
            .call(
                Method::POST,
                &weeks,
                Some(&ana),
                Some(json!({"week_of": monday})),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "the key is required");
        let r = t
            .call_keyed(Method::POST, &weeks, &ana, json!({"week_of": monday}), "w1")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let week = &r.json()["hourly"]["weeks"][0];
        assert_eq!(week["status"], "funded");
        let milestone = week["milestone"].as_str().unwrap().to_string();

        let entries = format!("/api/v1/contracts/{id}/time-entries");
        let r = t
            .call(
                Method::POST,
                &entries,
                Some(&bob),
                Some(json!({"worked_on": today, "minutes": 1500})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                &entries,
                Some(&bob),
                Some(json!({"worked_on": today, "minutes": 150, "note": "Index review"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                &entries,
                Some(&bob),
                Some(json!({"worked_on": today, "minutes": 30})),
            )
            .await;
        let extra = r.json()["hourly"]["weeks"][0]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["minutes"] == 30)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = t
            .call(
                Method::DELETE,
                &format!("{entries}/{extra}"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "only the member: {}",
            r.text
        );
        let r = t
            .call(
                Method::DELETE,
                &format!("{entries}/{extra}"),
                Some(&bob),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["hourly"]["weeks"][0]["hours"], "2.5");

        let step = format!("/api/v1/contracts/{id}/milestones/{milestone}");
        let r = t
            .call(
                Method::POST,
                &step,
                Some(&bob),
                Some(json!({"action": "submit"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = t
            .call_keyed(Method::POST, &step, &ana, json!({"action": "accept"}), "a1")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let week = &r.json()["hourly"]["weeks"][0];
        assert_eq!(
            (week["status"].as_str(), week["amount_display"].as_str()),
            (Some("released"), Some("€112.50"))
        );
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/contracts/{id}/end"),
                Some(&bob),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["status"], "completed");
    }
}

#[tokio::test]
async fn the_contract_page_logs_time_and_keeps_what_was_typed() {
    for t in TestApp::all() {
        let op = t.operator("operator").await;
        let ana = t.member("ana").await;
        let bob = t.member("bob").await;
        credit(&t, &op, "ana", 200_000).await;
        let k = hired(&t, &ana, &bob).await;
        let id = k["id"].as_str().unwrap();
        let (today, monday) = this_week();
        let page = format!("/work/contracts/{id}");

        let client = page_session(&t, "ana").await;
        let r = t.send(get(&page, &client)).await;
        assert!(r.text.contains("Fund the week"), "{}", r.text);
        assert!(r.text.contains(&format!("value=\"{monday}\"")));
        let r = t
            .send(form(
                &page,
                &client,
                &format!("csrf=tok&action=fund-week&key=k1&week_of={monday}"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

        let member = page_session(&t, "bob").await;
        let r = t
            .send(form(
                &page,
                &member,
                &format!(
                    "csrf=tok&action=log-time&worked_on={today}&hours=two&entry_note=Index+review"
                ),
            ))
            .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "the contract page's refusal"
        );
        assert!(r.text.contains("value=\"two\""), "{}", r.text);
        assert!(r.text.contains("value=\"Index review\""));
        assert!(r.text.contains("id=\"hours-error\""));
        let r = t
            .send(form(
                &page,
                &member,
                &format!("csrf=tok&action=log-time&worked_on={today}&hours=21&entry_note="),
            ))
            .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "the contract page's refusal"
        );
        assert!(
            r.text.contains("Would pass the weekly cap of 20 hours"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("/minutes"), "no field names on the page");
        let r = t
            .send(form(
                &page,
                &member,
                &format!(
                    "csrf=tok&action=log-time&worked_on={today}&hours=1%2C5&entry_note=Index+review"
                ),
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t.send(get(&page, &member)).await;
        assert!(r.text.contains("1.5 hours logged · €67.50"), "{}", r.text);
        assert!(r.text.contains("Index review"));
    }
}
