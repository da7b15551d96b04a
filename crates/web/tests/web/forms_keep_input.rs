//! A refused form comes back with everything typed still in it and the message beside the
//! field, in plain words.

use crate::common::TestApp;
use crate::pages::{form, page_session};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_refused_thread_or_event_keeps_what_was_typed() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities",
                Some(&ana),
                Some(json!({"name": "Data Guild", "slug": "data-guild"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let session = page_session(&t, "ana").await;

        let long = "word ".repeat(4001);
        let r = t
            .send(form(
                "/c/data-guild/threads",
                &session,
                &format!("csrf=tok&title=Index+advice&body={long}"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("value=\"Index advice\""), "{}", r.text);
        assert!(
            r.text.contains(&format!(">{long}</textarea>")),
            "the body is kept"
        );
        assert!(
            r.text.contains("id=\"body-error\""),
            "the message sits beside the field"
        );
        assert!(
            r.text.contains("<details open><summary>Start a thread"),
            "{}",
            r.text
        );
        assert!(r.text.contains("@ana"), "still signed in");

        let r = t
            .send(form(
                "/c/data-guild/events",
                &session,
                "csrf=tok&title=Winter+meet-up&starts=2099-12-03T18%3A30&ends=2099-12-03T21%3A00\
                 &timezone=Europe%2FLisbon&capacity=20&place=&online_url=&description=Bring+a+laptop",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for kept in [
            "value=\"Winter meet-up\"",
            "value=\"2099-12-03T18:30\"",
            "value=\"2099-12-03T21:00\"",
            "<option selected>Europe/Lisbon</option>",
            "value=\"20\"",
            ">Bring a laptop</textarea>",
        ] {
            assert!(r.text.contains(kept), "{kept}: {}", r.text);
        }
        assert!(
            r.text
                .contains("id=\"place-error\">Give a place or an online link.</p>"),
            "{}",
            r.text
        );
    }
}
