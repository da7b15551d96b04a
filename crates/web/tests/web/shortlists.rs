//! A curator's shortlist and saved talent searches over the API and on their pages: the
//! curator puts a member forward with a note the client reads on the job; a refused entry
//! keeps its note; a saved search opens as a ranked list and stays its owner's.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_curator_puts_a_member_forward_and_the_client_reads_the_note_on_the_job() {
    for t in TestApp::all() {
        let founder = t.member("founder").await;
        let cora = t.member("cora").await;
        let ana = t.member("ana").await;
        let client = t.member("client").await;
        t.community(
            &founder,
            json!({"name": "Data Guild", "slug": "data-guild"}),
        )
        .await;
        for token in [&cora, &ana] {
            let r = t
                .call(
                    Method::POST,
                    "/api/v1/communities/data-guild/join",
                    Some(token),
                    None,
                )
                .await;
            assert!(r.status.is_success(), "{}", r.text);
        }
        let r = t
            .call(
                Method::PUT,
                "/api/v1/communities/data-guild/members/cora/role",
                Some(&founder),
                Some(json!({"role": "curator"})),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
        t.add_item(
            &ana,
            &["public"],
            json!({"kind": "skill", "label": "SQL", "level": 4}),
        )
        .await;
        let job = t.pipeline_job(&client).await;

        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/jobs/{job}/candidates?community=data-guild"),
                Some(&cora),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()[0]["handle"], "ana");
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/jobs/{job}/candidates?community=data-guild"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a plain member");

        // On the page: a refused note keeps what was typed, beside its member.
        let session = page_session(&t, "cora").await;
        let r = t
            .send(get(&format!("/jobs/{job}/shortlist"), &session))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("@ana") && r.text.contains("Put forward"));
        let long = "why ".repeat(300);
        let r = t
            .send(form(
                &format!("/jobs/{job}/shortlist"),
                &session,
                &format!("csrf=tok&action=add&community=data-guild&handle=ana&note={long}"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains(&format!(">{long}</textarea>")), "kept");
        assert!(r.text.contains("id=\"note-ana-error\""), "{}", r.text);
        let r = t
            .send(form(
                &format!("/jobs/{job}/shortlist"),
                &session,
                "csrf=tok&action=add&community=data-guild&handle=ana&note=Tuned+our+loads",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

        // The client reads it on the job and over the API; a stranger learns nothing.
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/jobs/{job}/shortlist"),
                Some(&client),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let entry = r.json()[0]["id"].as_str().unwrap().to_string();
        assert_eq!(r.json()[0]["note"], "Tuned our loads");
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/jobs/{job}/shortlist"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let client_session = page_session(&t, "client").await;
        let r = t.send(get(&format!("/jobs/{job}"), &client_session)).await;
        assert!(r.text.contains("Put forward by curators"), "{}", r.text);
        assert!(r.text.contains("Tuned our loads"));
        let r = t
            .call(
                Method::DELETE,
                &format!("/api/v1/jobs/{job}/shortlist/{entry}"),
                Some(&client),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn a_saved_search_opens_as_a_ranked_list_for_its_owner_only() {
    for t in TestApp::all() {
        let client = t.member("client").await;
        let ana = t.member("ana").await;
        t.add_item(
            &ana,
            &["public"],
            json!({"kind": "skill", "label": "SQL", "level": 4}),
        )
        .await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/me/saved-searches",
                Some(&client),
                Some(json!({"name": "Warehouse people",
                    "skills": [{"label": "sql", "weight": 5, "min_level": 3}]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json()["id"].as_str().unwrap().to_string();
        assert_eq!(r.json()["search"]["skills"][0]["label"], "SQL");
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/me/saved-searches/{id}/talent"),
                Some(&client),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["talent"][0]["handle"], "ana");
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/me/saved-searches/{id}/talent"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // The page: a refused search keeps what was typed and names the skill row at fault.
        let session = page_session(&t, "client").await;
        let r = t
            .send(form(
                "/talent",
                &session,
                "csrf=tok&name=Nobody+yet&skill_label=basket+weaving+underwater&skill_weight=3&skill_level=3\
                 &hourly_budget=90&currency=EUR",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for kept in [
            "value=\"Nobody yet\"",
            "value=\"basket weaving underwater\"",
            "value=\"90\"",
            "Skill 1: no skill goes by these words",
        ] {
            assert!(r.text.contains(kept), "{kept}: {}", r.text);
        }
        let r = t
            .send(form(
                "/talent",
                &session,
                "csrf=tok&name=SQL+people&skill_label=SQL&skill_weight=3&skill_level=3&currency=EUR",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let to = crate::pages::location(&r);
        let r = t.send(get(&to, &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("@ana") && r.text.contains("SQL, at level 4 (3 asked)"));
        let r = t.send(get("/talent", &session)).await;
        assert!(r.text.contains("Warehouse people") && r.text.contains("SQL people"));
    }
}
