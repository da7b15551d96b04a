//! Credentials over HTTP on both databases: a curated membership requested, shared, checked by
//! anyone, revoked; the status list signed and served; the verifier's answers.

use crate::common::{PASSWORD, TestApp, test_key};
use axum::http::{Method, StatusCode};
use guildhall_domain::credentials::proof;
use guildhall_domain::credentials::status_list::Bitstring;
use serde_json::json;

#[tokio::test]
async fn a_membership_credential_is_issued_shared_verified_and_revoked() {
    for t in TestApp::all() {
        let owner = t.member("owner").await;
        t.community(
            &owner,
            json!({"name": "Data Guild", "slug": "data-guild", "description": "Data engineers",
                   "admission": "application"}),
        )
        .await;
        let r = t
            .call(
                Method::GET,
                "/api/v1/credentials/requestable",
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()[0]["kind"], "membership");
        assert_eq!(r.json()[0]["name"], "Member of Data Guild");

        let ask = json!({"kind": "membership", "about": "data-guild"});
        let r = t
            .call(Method::POST, "/api/v1/credentials", None, Some(ask.clone()))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = t
            .call(
                Method::POST,
                "/api/v1/credentials",
                Some(&owner),
                Some(ask.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let issued = r.json();
        let id = issued["id"].as_str().unwrap().to_string();
        let doc = issued["document"].clone();
        assert_eq!(doc["issuer"]["id"], "did:web:guildhall.test");
        assert_eq!(
            doc["credentialStatus"]["statusListCredential"],
            "http://guildhall.test/credentials/status/1"
        );
        let r = t
            .call(Method::POST, "/api/v1/credentials", Some(&owner), Some(ask))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/credentials",
                Some(&owner),
                Some(json!({"kind": "contract", "about": "0192f0c1-0000-7000-8000-000000000001"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(r.json()["errors"][0]["path"], "/about", "{}", r.text);

        // Shared by link: the credential for anyone, and its page says it verifies.
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/credentials/{id}/share"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let token = r.json()["token"].as_str().unwrap().to_string();
        assert!(
            r.json()["url"]
                .as_str()
                .unwrap()
                .starts_with("http://guildhall.test/credentials/shared/")
        );
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/credentials/shared/{token}"),
                None,
                None,
            )
            .await;
        assert_eq!(r.json(), doc);
        let page = t
            .call(
                Method::GET,
                &format!("/credentials/shared/{token}"),
                None,
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Verified."), "{}", page.text);

        let r = t
            .call(
                Method::POST,
                "/api/v1/credentials/verify",
                None,
                Some(doc.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["verified"], true, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/credentials/verify",
                None,
                Some(json!({"name": "x"})),
            )
            .await;
        assert_eq!(r.json()["verified"], false);
        assert_eq!(r.json()["problem"], "the credential names no issuer");
        let r = t
            .call(
                Method::POST,
                "/api/v1/credentials/verify",
                None,
                Some(json!([1])),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

        // The status list is a signed credential; revoking sets the credential's bit.
        let bit = |list: &serde_json::Value| {
            let index: u64 = doc["credentialStatus"]["statusListIndex"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            Bitstring::decode(list["credentialSubject"]["encodedList"].as_str().unwrap())
                .unwrap()
                .get(index)
        };
        let r = t
            .call(Method::GET, "/credentials/status/1", None, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let list = r.json();
        assert_eq!(list["type"][1], "BitstringStatusListCredential");
        let key = test_key().verifying_key();
        assert!(proof::verify(&list, |_| Some(key)).is_ok());
        assert_eq!(bit(&list), Some(false));
        assert_eq!(
            t.call(Method::GET, "/credentials/status/2", None, None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        let other = t.member("other").await;
        let why = json!({"reason": "Left the guild"});
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/credentials/{id}/revoke"),
                Some(&other),
                Some(why.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/credentials/{id}/revoke"),
                Some(&owner),
                Some(why),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        let list = t
            .call(Method::GET, "/credentials/status/1", None, None)
            .await
            .json();
        assert_eq!(bit(&list), Some(true));
        let r = t
            .call(
                Method::POST,
                "/api/v1/credentials/verify",
                None,
                Some(doc.clone()),
            )
            .await;
        assert_eq!(r.json()["problem"], "it has been revoked", "{}", r.text);
        assert_eq!(
            t.call(
                Method::GET,
                &format!("/api/v1/credentials/shared/{token}"),
                None,
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND,
            "revoking ends the shared link"
        );
        let r = t
            .call(Method::GET, "/api/v1/credentials", Some(&owner), None)
            .await;
        assert_eq!(r.json()[0]["revoked"], true);
        assert_eq!(r.json()[0]["revoked_reason"], "Left the guild");
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/credentials/{id}"),
                Some(&other),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_resume_is_exported_as_an_audience_sees_it_and_imported_private() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        t.add_item(
            &ana,
            &["public"],
            json!({"kind": "headline", "text": "Data engineer"}),
        )
        .await;
        t.add_item(
            &ana,
            &["connections"],
            json!({"kind": "email", "address": "ana@example.org", "label": "work"}),
        )
        .await;
        let r = t
            .call(Method::GET, "/api/v1/me/resume?as=public", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let doc = r.json();
        assert_eq!(doc["basics"]["label"], "Data engineer");
        assert!(doc["basics"].get("email").is_none(), "{doc}");
        assert_eq!(doc["basics"]["url"], "http://guildhall.test/u/ana");
        let r = t
            .call(
                Method::GET,
                "/api/v1/me/resume?as=connection",
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.json()["basics"]["email"], "ana@example.org");
        let r = t
            .call(Method::GET, "/api/v1/me/resume?as=nobody", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        let ben = t.member("ben").await;
        let r = t
            .call(Method::POST, "/api/v1/me/resume", Some(&ben), Some(doc))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(
            r.json()["added"][0]["audiences"],
            json!(["private"]),
            "{}",
            r.text
        );
        let odd =
            json!({"basics": {"name": "Ben", "phone": 5}, "work": [{"name": "Acme"}], "x": [1]});
        let r = t
            .call(Method::POST, "/api/v1/me/resume", Some(&ben), Some(odd))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let aside: Vec<String> = r.json()["kept_aside"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["at"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(aside, ["basics.phone", "work[0]", "x"], "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/resume",
                Some(&ben),
                Some(json!("text")),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t
            .call(Method::GET, "/api/v1/profiles/ben", None, None)
            .await;
        assert!(
            !r.text.contains("Data engineer"),
            "imported items start private: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn a_full_export_is_asked_for_followed_and_downloaded() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let r = t
            .call(Method::POST, "/api/v1/me/exports", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let archive = format!("/api/v1/me/exports/{id}/archive");
        assert_eq!(
            t.call(Method::GET, &archive, Some(&ana), None).await.status,
            StatusCode::CONFLICT
        );
        let app = t.app.clone();
        tokio::task::spawn_blocking(move || app.queue().run_due_exports(&test_key()).unwrap())
            .await
            .unwrap();
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/me/exports/{id}"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.json()["status"], "ready", "{}", r.text);
        let r = t.call(Method::GET, &archive, Some(&ana), None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["content-type"], "application/zip");
        let eve = t.member("eve").await;
        assert_eq!(
            t.call(Method::GET, &archive, Some(&eve), None).await.status,
            StatusCode::NOT_FOUND
        );
        let r = t
            .call(Method::GET, "/api/v1/me/exports", Some(&ana), None)
            .await;
        assert_eq!(r.json()[0]["progress"], 100);
    }
}

#[tokio::test]
async fn an_account_is_erased_after_its_password_and_its_token_stops_working() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let r = t
            .call(Method::GET, "/api/v1/me/erasure", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["blockers"], json!([]));
        let erase = |password: &str| json!({"password": password, "revoke_credentials": true});
        assert_eq!(
            t.call(
                Method::POST,
                "/api/v1/me/erasure",
                None,
                Some(erase(PASSWORD))
            )
            .await
            .status,
            StatusCode::UNAUTHORIZED
        );
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/erasure",
                Some(&ana),
                Some(erase("wrong password")),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("not your password"), "{}", r.text);

        let r = t
            .call(
                Method::POST,
                "/api/v1/me/erasure",
                Some(&ana),
                Some(erase(PASSWORD)),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let placeholder = r.json()["handle"].as_str().unwrap().to_string();
        assert!(placeholder.starts_with("erased-"), "{}", r.text);
        assert_eq!(
            t.call(Method::GET, "/api/v1/me", Some(&ana), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED,
            "its token went with it"
        );
        assert_eq!(
            t.call(Method::GET, "/api/v1/profiles/ana", None, None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // The handle is free again; the placeholder can never be taken.
        t.member("ana").await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/accounts",
                None,
                Some(
                    json!({"handle": placeholder, "email": "x@example.org", "password": PASSWORD}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    }
}

#[tokio::test]
async fn erasure_is_refused_while_money_is_held_naming_why() {
    for t in TestApp::all() {
        t.operator("operator").await;
        let ana = t.member("ana").await;
        let app = t.app.clone();
        tokio::task::spawn_blocking(move || {
            let op = app
                .accounts()
                .account_by_handle("operator")
                .unwrap()
                .unwrap();
            let eur = guildhall_domain::money::Currency::parse("EUR").unwrap();
            let fifty = guildhall_domain::money::Money::new(5_000, eur);
            app.work().confirm_deposit(&op, "ana", fifty, "d1").unwrap();
        })
        .await
        .unwrap();
        let r = t
            .call(Method::GET, "/api/v1/me/erasure", Some(&ana), None)
            .await;
        assert!(
            r.json()["blockers"][0].as_str().unwrap().contains("€50.00"),
            "{}",
            r.text
        );
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/erasure",
                Some(&ana),
                Some(json!({"password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert!(r.text.contains("pay it out first"), "{}", r.text);
    }
}

#[tokio::test]
async fn a_member_chooses_whether_others_credentials_may_name_them() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let path = "/api/v1/me/credential-naming";
        let r = t.call(Method::GET, path, Some(&ana), None).await;
        assert_eq!(r.json(), json!({"allowed": false}), "off until turned on");
        let r = t
            .call(
                Method::PUT,
                path,
                Some(&ana),
                Some(json!({"allowed": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = t.call(Method::GET, path, Some(&ana), None).await;
        assert_eq!(r.json(), json!({"allowed": true}));
        let r = t
            .call(
                Method::PUT,
                path,
                Some(&ana),
                Some(json!({"allowed": "yes"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(
            t.call(Method::GET, path, None, None).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}
