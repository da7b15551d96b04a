//! The work path over the API on both databases: a job, a proposal, an offer, funding with an
//! idempotency key (replayed), delivery, acceptance and the balances that follow.

use crate::common;

use axum::http::{Method, StatusCode, header};
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
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
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
                    "milestones": [{"title": "Fix", "amount": 200000, "due_on": "2099-01-15"}]
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
        assert_eq!(balances[0]["display"], "€1,800.00", "{balances}");
        let balances = t
            .call(Method::GET, "/api/v1/me/balances", Some(&client), None)
            .await
            .json();
        assert_eq!(balances[0]["minor"], 300_000, "{balances}");
    }
}

#[tokio::test]
async fn deposits_and_disputes_over_the_api() {
    for t in TestApp::all() {
        let operator = t.operator("operator").await;
        let client = t.member("client").await;
        let ana = t.member("ana").await;

        // The client asks to deposit, learns how to pay, and an operator confirms it once.
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/deposits",
                Some(&client),
                Some(json!({"amount": 100_000, "currency": "EUR"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let d = r.json();
        assert!(
            d["instructions"]
                .as_str()
                .unwrap()
                .contains(d["reference"].as_str().unwrap())
        );
        let confirm = format!(
            "/api/v1/admin/deposits/{}/confirm",
            d["id"].as_str().unwrap()
        );
        let r = t
            .call(Method::GET, "/api/v1/admin/deposits", Some(&client), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(Method::GET, "/api/v1/admin/deposits", Some(&operator), None)
            .await;
        assert_eq!(r.json().as_array().unwrap().len(), 1);
        let r = t.call(Method::POST, &confirm, Some(&operator), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "the key is required");
        for _ in 0..2 {
            let r = t
                .call_keyed(Method::POST, &confirm, &operator, json!(null), "dep-1")
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let r = t
            .call(Method::GET, "/api/v1/me/balances", Some(&client), None)
            .await;
        assert_eq!(r.json()[0]["minor"], 100_000, "{}", r.text);

        // A funded milestone is disputed; the operator gives the member 300.00 of 500.00.
        let k = t
            .call(
                Method::POST,
                "/api/v1/contracts",
                Some(&client),
                Some(
                    json!({"member": "ana", "title": "Index audit", "currency": "EUR",
                    "milestones": [{"title": "Report", "amount": 50_000, "due_on": "2099-01-01"}]}),
                ),
            )
            .await
            .json();
        let (id, m) = (
            k["id"].as_str().unwrap().to_string(),
            k["milestones"][0]["id"].as_str().unwrap().to_string(),
        );
        t.call(
            Method::POST,
            &format!("/api/v1/contracts/{id}/answer"),
            Some(&ana),
            Some(json!({"accept": true})),
        )
        .await;
        let r = t
            .call_keyed(
                Method::POST,
                &format!("/api/v1/contracts/{id}/milestones/{m}"),
                &client,
                json!({"action": "fund"}),
                "fund-1",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/contracts/{id}/disputes"),
                Some(&ana),
                Some(json!({"milestone": m, "reason": "The client changed the scope twice"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["status"], "disputed");
        let r = t
            .call(Method::GET, "/api/v1/admin/disputes", Some(&operator), None)
            .await;
        let dispute = r.json()[0]["id"].as_str().unwrap().to_string();
        let resolve = format!("/api/v1/admin/disputes/{dispute}/resolve");
        let body = json!({"member_amount": 30_000, "note": "Scope changed after the start"});
        let r = t
            .call_keyed(Method::POST, &resolve, &ana, body.clone(), "res")
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call_keyed(
                Method::POST,
                &resolve,
                &operator,
                json!({"member_amount": 50_001, "note": "x"}),
                "res-0",
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t
            .call_keyed(Method::POST, &resolve, &operator, body, "res-1")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let k = r.json();
        assert_eq!(
            k["status"], "completed",
            "its only milestone is settled and paid"
        );
        assert_eq!(k["milestones"][0]["status"], "released");
        assert_eq!(k["disputes"][0]["member_amount"], 30_000);
        let r = t
            .call(Method::GET, "/api/v1/me/balances", Some(&client), None)
            .await;
        assert_eq!(r.json()[0]["minor"], 100_000 - 30_000, "{}", r.text);

        // The resolution is evidence: each entry is proved against a signed checkpoint.
        let r = t
            .call(Method::GET, "/api/v1/evidence/checkpoint", None, None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "none signed yet");
        let r = t
            .call(
                Method::POST,
                "/api/v1/evidence/checkpoint",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(
                Method::POST,
                "/api/v1/evidence/checkpoint",
                Some(&operator),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let checkpoint: guildhall_domain::evidence::Checkpoint =
            serde_json::from_str(&r.text).unwrap();
        assert!(checkpoint.verify(&common::test_key().verifying_key()));
        let size = checkpoint.body.size;
        let r = t
            .call(Method::GET, "/api/v1/evidence/key", None, None)
            .await;
        assert_eq!(r.json()["key_id"], checkpoint.body.key_id);
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/evidence/entries?from=0&to={size}"),
                None,
                None,
            )
            .await;
        let entries: Vec<serde_json::Value> = serde_json::from_str(&r.text).unwrap();
        assert!(
            entries
                .iter()
                .any(|e| e["header"]["kind"] == "work.dispute_resolved"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("Scope changed"), "payloads are not public");
        for e in &entries {
            let header: guildhall_domain::evidence::EntryHeader =
                serde_json::from_value(e["header"].clone()).unwrap();
            let r = t
                .call(
                    Method::GET,
                    &format!(
                        "/api/v1/evidence/inclusion?index={}&size={size}",
                        header.index
                    ),
                    None,
                    None,
                )
                .await;
            let path: Vec<[u8; 32]> = r.json()["path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| guildhall_domain::evidence::decode_hash(h.as_str().unwrap()).unwrap())
                .collect();
            assert!(guildhall_domain::evidence::merkle::verify_inclusion(
                &header.leaf_hash(),
                header.index,
                size,
                &path,
                &checkpoint.root().unwrap()
            ));
        }
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/evidence/inclusion?index={size}&size={size}"),
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

        // The member takes their evidence away as a bundle, then erases what it says.
        let r = t
            .call(Method::GET, "/api/v1/me/evidence/bundle", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let bundle: guildhall_domain::evidence::bundle::Bundle =
            serde_json::from_str(&r.text).unwrap();
        let report = bundle.verify(&common::test_key().verifying_key());
        assert!(report.ok() && report.verified > 0, "{report:?}");
        let r = t
            .call(Method::GET, "/api/v1/me/reputation", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(
            r.json()["figures"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["name"] == "on_time"),
            "{}",
            r.text
        );
        // Ana shows on-time delivery to her clients and her trust to everyone; nobody sees
        // a figure she did not choose for them.
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/items",
                Some(&ana),
                Some(json!({"audiences": ["public"], "data": {"kind": "reputation", "figure": "salary"}})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("/data/figure"), "{}", r.text);
        t.add_item(
            &ana,
            &["clients"],
            json!({"kind": "reputation", "figure": "on_time"}),
        )
        .await;
        t.add_item(
            &ana,
            &["public"],
            json!({"kind": "reputation", "figure": "trust"}),
        )
        .await;
        let stranger = t.member("stranger").await;
        let shown = |who: Option<&str>| {
            let who = who.map(str::to_string);
            let t = &t;
            async move {
                let r = t
                    .call(
                        Method::GET,
                        "/api/v1/profiles/ana/reputation",
                        who.as_deref(),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text);
                let names: Vec<String> = r.json()["figures"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["name"].as_str().unwrap().to_string())
                    .collect();
                (names, r.json()["trust"].is_object())
            }
        };
        // Completion and reviews are shown to clients from the start.
        assert_eq!(
            shown(Some(&client)).await,
            (
                vec![
                    "on_time".to_string(),
                    "review_score".to_string(),
                    "completion".to_string()
                ],
                true
            )
        );
        assert_eq!(shown(Some(&stranger)).await, (vec![], true));
        assert_eq!(shown(None).await, (vec![], true));
        let r = t
            .call(
                Method::GET,
                "/api/v1/profiles/nobody/reputation",
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // One entry's proof, as a bundle of one that verifies offline; only for its member.
        let mine = t
            .call(Method::GET, "/api/v1/me/evidence", Some(&ana), None)
            .await
            .json();
        let index = mine[0]["header"]["index"].as_u64().unwrap();
        let path = format!("/api/v1/me/evidence/{index}/bundle");
        let r = t.call(Method::GET, &path, Some(&ana), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let one: guildhall_domain::evidence::bundle::Bundle =
            serde_json::from_str(&r.text).unwrap();
        let checked = one.verify(&common::test_key().verifying_key());
        assert!(checked.ok() && one.entries.len() == 1, "{checked:?}");
        assert_eq!(one.entries[0].header.index, index);
        let r = t.call(Method::GET, &path, Some(&stranger), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let r = t
            .call(
                Method::GET,
                "/api/v1/me/evidence/x/bundle",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

        let r = t
            .call(Method::DELETE, "/api/v1/me/evidence", Some(&ana), None)
            .await;
        assert_eq!(r.json()["erased"], report.verified as u64, "{}", r.text);
        let r = t
            .call(Method::GET, "/api/v1/me/evidence", Some(&ana), None)
            .await;
        assert_eq!(r.json().as_array().unwrap().len(), 0);
    }
}

/// An operator records `minor` euro cents arriving for `handle`.
pub(crate) async fn credit(t: &TestApp, operator: &str, handle: &str, minor: i64) {
    let r = t
        .call_keyed(
            Method::POST,
            "/api/v1/admin/transfers",
            operator,
            json!({"handle": handle, "amount": minor, "currency": "EUR", "deposit": true}),
            &format!("in-{handle}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn payouts_over_the_api_hold_then_send_or_return_the_money() {
    for t in TestApp::all() {
        let operator = t.operator("operator").await;
        let ana = t.member("ana").await;
        credit(&t, &operator, "ana", 30_000).await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/payout-methods",
                Some(&ana),
                Some(json!({"label": "Savings", "details": "A. Nunes, IBAN PT50 0002 0123 1234 5678 9015 4"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let method = r.json()["id"].as_str().unwrap().to_string();
        let ask = |amount: i64| json!({"from": "wallet", "amount": amount, "currency": "EUR", "method": method});
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/payouts",
                Some(&ana),
                Some(ask(10_000)),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "the key is required");
        let r = t
            .call_keyed(Method::POST, "/api/v1/me/payouts", &ana, ask(50_000), "p0")
            .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "more than the wallet: {}",
            r.text
        );
        let r = t
            .call_keyed(Method::POST, "/api/v1/me/payouts", &ana, ask(10_000), "p1")
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let p = r.json();
        assert_eq!(p["status"], "pending");
        let r = t
            .call_keyed(Method::POST, "/api/v1/me/payouts", &ana, ask(5_000), "p2")
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "one in flight: {}", r.text);

        let money = t
            .call(Method::GET, "/api/v1/me/money", Some(&ana), None)
            .await
            .json();
        assert_eq!(money["balances"][0]["available"], 20_000, "{money}");
        assert_eq!(money["balances"][0]["on_its_way"]["id"], p["id"]);

        let id = p["id"].as_str().unwrap();
        let r = t
            .call(Method::GET, "/api/v1/admin/payouts", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let failed = format!("/api/v1/admin/payouts/{id}/failed");
        let r = t
            .call_keyed(
                Method::POST,
                &failed,
                &operator,
                json!({"reason": " "}),
                "f1",
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t
            .call_keyed(
                Method::POST,
                &failed,
                &operator,
                json!({"reason": "The bank refused the account number"}),
                "f1",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["status"], "failed");
        let paid = format!("/api/v1/admin/payouts/{id}/paid");
        let r = t
            .call_keyed(Method::POST, &paid, &operator, json!({}), "c1")
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "already failed: {}", r.text);

        let r = t
            .call_keyed(Method::POST, "/api/v1/me/payouts", &ana, ask(30_000), "p3")
            .await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "the money came back: {}",
            r.text
        );
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = t
            .call_keyed(
                Method::POST,
                &format!("/api/v1/admin/payouts/{id}/paid"),
                &operator,
                json!({"reference": "SEPA 118"}),
                "c2",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let mine = t
            .call(Method::GET, "/api/v1/me/payouts", Some(&ana), None)
            .await
            .json();
        assert_eq!(mine[0]["status"], "paid");
        assert_eq!(mine[0]["reference"], "SEPA 118");
        assert_eq!(mine[1]["reason"], "The bank refused the account number");
        let r = t
            .call(
                Method::DELETE,
                &format!("/api/v1/me/payout-methods/{method}"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/nowhere/money",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_delivery_with_a_file_over_the_api() {
    for t in TestApp::all() {
        let operator = t.operator("operator").await;
        let client = t.member("client").await;
        let ana = t.member("ana").await;
        let stranger = t.member("stranger").await;
        credit(&t, &operator, "client", 50_000).await;
        let k = t
            .call(
                Method::POST,
                "/api/v1/contracts",
                Some(&client),
                Some(
                    json!({"member": "ana", "title": "Index audit", "currency": "EUR",
                    "milestones": [{"title": "Report", "amount": 20_000, "due_on": "2099-01-01"}]}),
                ),
            )
            .await
            .json();
        let id = k["id"].as_str().unwrap().to_string();
        let m = k["milestones"][0]["id"].as_str().unwrap().to_string();
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/contracts/{id}/answer"),
                Some(&ana),
                Some(json!({"accept": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let milestone = format!("/api/v1/contracts/{id}/milestones/{m}");
        let r = t
            .call_keyed(
                Method::POST,
                &milestone,
                &client,
                json!({"action": "fund"}),
                "f1",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        let upload = |name: &str| format!("/api/v1/contracts/{id}/files?name={name}");
        let notes = b"# Findings\nIndex the orders table by day.\n".to_vec();
        let r = t
            .raw(
                Method::POST,
                &upload("notes.md"),
                Some(&stranger),
                "application/octet-stream",
                notes.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let r = t
            .raw(
                Method::POST,
                &upload("tool.exe"),
                Some(&ana),
                "application/octet-stream",
                b"MZ\x90\x00\x03\x00\x00\x00".to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let too_big = vec![b'a'; guildhall_app::files::MAX_FILE_BYTES + 2048];
        let r = t
            .raw(
                Method::POST,
                &upload("big.txt"),
                Some(&ana),
                "application/octet-stream",
                too_big,
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
        let r = t
            .raw(
                Method::POST,
                &upload("notes.md"),
                Some(&ana),
                "application/octet-stream",
                notes.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let file = r.json();
        assert_eq!(file["content_type"], "text/plain; charset=utf-8");

        let r = t
            .call(
                Method::POST,
                &milestone,
                Some(&ana),
                Some(json!({"action": "submit", "message": "Notes attached.",
                    "links": ["https://example.org/plans"], "files": [file["id"]]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let delivery = &r.json()["milestones"][0]["deliveries"][0];
        assert_eq!(delivery["message"], "Notes attached.");
        assert_eq!(delivery["files"][0]["sha256"], file["sha256"]);

        let download = format!(
            "/api/v1/contracts/{id}/files/{}",
            file["id"].as_str().unwrap()
        );
        let r = t.call(Method::GET, &download, Some(&client), None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.text.as_bytes(), notes.as_slice());
        assert!(
            r.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"notes.md\"")
        );
        let r = t.call(Method::GET, &download, Some(&stranger), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}
