//! Member ownership over the API and on the page: owners set the revenue share, curators list
//! perks, members read their points; refused forms keep what was typed.

use crate::common::TestApp;
use crate::pages::{form, get, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_revenue_share_and_perks_over_the_api() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let bo = t.member("bob").await;
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
            .await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/join",
                Some(&bo),
                None,
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);

        let share = "/api/v1/communities/data-guild/revenue-share";
        let body = json!({"share_bps": 2500, "period_days": 30});
        let r = t
            .call(Method::PUT, share, Some(&bo), Some(body.clone()))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let r = t
            .call(
                Method::PUT,
                share,
                Some(&ana),
                Some(json!({"share_bps": 10001, "period_days": 30})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t.call(Method::PUT, share, Some(&ana), Some(body)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["share_display"], "25 %");

        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data-guild/ownership",
                Some(&bo),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let o = r.json();
        assert_eq!(o["revenue_share"]["period_days"], 30);
        assert_eq!(o["period_points"]["total"], 0);
        assert_eq!(o["formula"]["referral_hired"], 50);
        assert_eq!(o["can_set_share"], false);

        let perks = "/api/v1/communities/data-guild/perks";
        let perk = json!({"title": "Desk at the co-working space", "description": "Ask at the desk", "min_points": 10});
        let r = t
            .call(Method::POST, perks, Some(&bo), Some(perk.clone()))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t.call(Method::POST, perks, Some(&ana), Some(perk)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let listed = t.call(Method::GET, perks, Some(&bo), None).await.json();
        assert_eq!(listed[0]["qualifies"], false);
        assert_eq!(listed[0]["description"], "");
        let one = format!("{perks}/{id}");
        let r = t.call(Method::DELETE, &one, Some(&ana), None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = t.call(Method::DELETE, &one, Some(&ana), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        let stranger = t.member("cyd").await;
        let r = t
            .call(
                Method::GET,
                "/api/v1/communities/data-guild/ownership",
                Some(&stranger),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
}

#[tokio::test]
async fn the_ownership_page_keeps_what_was_typed() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
            .await;
        let session = page_session(&t, "ana").await;
        let r = t.send(get("/c/data-guild/ownership", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("shares none of its revenue"), "{}", r.text);
        assert!(r.text.contains("How points are earned"));

        let r = t
            .send(form(
                "/c/data-guild/ownership",
                &session,
                "csrf=tok&action=share&share_percent=120&period_days=0",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"120\""), "kept: {}", r.text);
        assert!(r.text.contains("id=\"share_percent-error\""));
        assert!(r.text.contains("id=\"period_days-error\""));
        assert!(!r.text.contains("share_bps"), "no field names on the page");

        let r = t
            .send(form(
                "/c/data-guild/ownership",
                &session,
                "csrf=tok&action=share&share_percent=12%2C5&period_days=14",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t.send(get("/c/data-guild/ownership", &session)).await;
        assert!(r.text.contains("12.5 % of the community"), "{}", r.text);
        assert!(r.text.contains("every 14 days"));

        let r = t
            .send(form(
                "/c/data-guild/ownership",
                &session,
                "csrf=tok&action=add-perk&title=Co&description=Code+GUILD&min_points=lots&active_contract=yes",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"lots\""), "{}", r.text);
        assert!(r.text.contains(">Code GUILD</textarea>"));
        assert!(
            r.text
                .contains("name=\"active_contract\" value=\"yes\" checked")
        );
        assert!(r.text.contains("id=\"perk-points-error\""));
        let r = t
            .send(form(
                "/c/data-guild/ownership",
                &session,
                "csrf=tok&action=add-perk&title=Coffee+on+Fridays&description=&min_points=",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = t.send(get("/c/data-guild/ownership", &session)).await;
        assert!(r.text.contains("Coffee on Fridays"));
        assert!(r.text.contains("Every member."));
    }
}

#[tokio::test]
async fn a_resource_credited_to_a_stranger_comes_back_as_typed() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
            .await;
        t.member("cyd").await;
        let session = page_session(&t, "ana").await;
        let r = t
            .send(form(
                "/c/data-guild/resources",
                &session,
                "csrf=tok&title=SQL+for+analysts&url=https%3A%2F%2Fexample.org%2Fsql\
                 &provider=&skills=&cost=&currency=&duration_hours=&credit=%40cyd",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("value=\"@cyd\""), "{}", r.text);
        assert!(r.text.contains("id=\"res-credit-error\""));
        assert!(r.text.contains("value=\"SQL for analysts\""));
    }
}
