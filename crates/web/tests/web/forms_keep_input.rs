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
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
            .await;
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

#[tokio::test]
async fn a_refused_offer_keeps_its_milestone_rows() {
    let t = TestApp::all().remove(0);
    let client = t.member("client").await;
    let ana = t.member("ana").await;
    let job = t.pipeline_job(&client).await;
    let r = t
        .call(
            Method::POST,
            &format!("/api/v1/jobs/{job}/proposals"),
            Some(&ana),
            Some(json!({"note": "I can do it", "rate": 150000})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let proposal = r.json()["id"].as_str().unwrap().to_string();
    let session = page_session(&t, "client").await;
    let r = t
        .send(form(
            &format!("/jobs/{job}/proposals/{proposal}"),
            &session,
            &format!(
                "csrf=tok&action=offer&proposal={proposal}&m_title=Load+under+an+hour&m_amount=1200\
                 &m_due=2099-01-20&m_title=Runbook&m_amount=lots&m_due=2099-02-01"
            ),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    for kept in [
        "value=\"Load under an hour\"",
        "value=\"1200\"",
        "value=\"2099-01-20\"",
        "value=\"Runbook\"",
        "value=\"lots\"",
        "value=\"2099-02-01\"",
        "<details open><summary>Offer @ana a contract",
    ] {
        assert!(r.text.contains(kept), "{kept}: {}", r.text);
    }
    assert!(
        !r.text.contains("milestones/1"),
        "no JSON pointer on the page"
    );
}

#[tokio::test]
async fn a_refused_skill_suggestion_opens_again_with_what_was_typed() {
    let t = TestApp::all().remove(0);
    let ana = t.member("ana").await;
    let bob = t.member("bob").await;
    t.connect("ana", &bob, "bob", &ana).await;
    let session = page_session(&t, "bob").await;
    let r = t
        .send(form(
            "/u/ana/suggest",
            &session,
            "csrf=tok&label=Query+tuning&note=",
        ))
        .await;
    let back = crate::pages::location(&r);
    assert!(back.starts_with("/u/ana?done=suggest-needs-note"), "{back}");
    let page = t.send(crate::pages::get(&back, &session)).await.text;
    assert!(
        page.contains("<details class=\"card\" id=\"suggest\" open>")
            && page.contains("value=\"Query tuning\"")
            && page.contains("Say in a few words where you saw the skill."),
        "{page}"
    );
}

#[tokio::test]
async fn a_resource_cost_is_read_and_shown_in_its_own_currency() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
            .await;
        let session = page_session(&t, "ana").await;
        for (title, cost, currency) in
            [("Yen course", "8000", "JPY"), ("Euro book", "49.90", "EUR")]
        {
            let r = t
                .send(form(
                    "/c/data-guild/resources",
                    &session,
                    &format!(
                        "csrf=tok&title={title}&url=https%3A%2F%2Fexample.org%2F{currency}\
                         &provider=&skills=&cost={cost}&currency={currency}&duration_hours="
                    ),
                ))
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        }
        let page = t.send(crate::pages::get("/c/data-guild", &session)).await;
        assert!(
            page.text.contains("¥8,000"),
            "yen have no minor unit: {}",
            page.text
        );
        assert!(page.text.contains("€49.90"), "{}", page.text);
        assert!(!page.text.contains("80.00 JPY"));

        let r = t
            .send(form(
                "/c/data-guild/resources",
                &session,
                "csrf=tok&title=Odd&url=https%3A%2F%2Fexample.org%2Fodd&provider=&skills=\
                 &cost=49.999&currency=EUR&duration_hours=",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text
                .contains("The cost must be an amount such as 80 or 80.50."),
            "{}",
            r.text
        );
    }
}

#[tokio::test]
async fn a_refused_resource_keeps_what_was_typed_and_names_the_field() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
            .await;
        let session = page_session(&t, "ana").await;
        let r = t
            .send(form(
                "/c/data-guild/resources",
                &session,
                "csrf=tok&title=SQL+for+analysts&url=https%3A%2F%2Fexample.org%2Fsql\
                 &provider=Data+School&skills=SQL&cost=120&currency=EUR&duration_hours=a+while",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for kept in [
            "value=\"SQL for analysts\"",
            "value=\"https://example.org/sql\"",
            "value=\"Data School\"",
            "value=\"SQL\"",
            "value=\"120\"",
            "value=\"EUR\"",
            "value=\"a while\"",
        ] {
            assert!(r.text.contains(kept), "{kept}: {}", r.text);
        }
        assert!(
            r.text.contains(
                "id=\"res-hours-error\">The length must be a number of hours, such as 1.5, up to 1,666.</p>"
            ),
            "{}",
            r.text
        );
        assert!(r.text.contains("<details open><summary>Add a resource"));

        // A message of the use case about minor units lands beside the cost typed in major ones.
        let r = t
            .send(form(
                "/c/data-guild/resources",
                &session,
                "csrf=tok&title=Huge&url=https%3A%2F%2Fexample.org%2Fhuge&provider=&skills=\
                 &cost=99999999&currency=EUR&duration_hours=",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text
                .contains("id=\"res-cost-error\">The cost is more than a resource may cost.</p>"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("100000000"), "no minor units on a page");
    }
}

#[tokio::test]
async fn a_resume_that_is_not_json_comes_back_as_pasted() {
    for t in TestApp::all() {
        t.member("ana").await;
        let session = page_session(&t, "ana").await;
        let r = t
            .send(form("/me/resume", &session, "csrf=tok&text=name%3A+Ana"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains(">name: Ana</textarea>"), "{}", r.text);
        assert!(r.text.contains("id=\"text-error\""), "{}", r.text);
        assert!(r.text.contains("This is not JSON"), "{}", r.text);

        let resume =
            "%7B%22basics%22%3A%7B%22label%22%3A%22Data+engineer%22%2C%22phone%22%3A%221%22%7D%7D";
        let r = t
            .send(form(
                "/me/resume",
                &session,
                &format!("csrf=tok&text={resume}"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(r.text.contains("1 item added"), "{}", r.text);
        assert!(r.text.contains("basics.phone"), "{}", r.text);
    }
}

#[tokio::test]
async fn a_refused_skill_assessment_keeps_what_the_curator_typed() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        t.community(&ana, json!({"name": "Data Guild", "slug": "data-guild"}))
            .await;
        let bob = t.member("bob").await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities/data-guild/join",
                Some(&bob),
                None,
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
        let session = page_session(&t, "ana").await;
        let r = t
            .send(form(
                "/c/data-guild/members/bob",
                &session,
                "csrf=tok&action=assess&member=bob&skill=Query+tuning&note=ok",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("value=\"Query tuning\""), "{}", r.text);
        assert!(r.text.contains("What you saw"), "{}", r.text);
        let r = t
            .send(form(
                "/c/data-guild/members/bob",
                &session,
                "csrf=tok&action=assess&member=bob&skill=Query+tuning\
                 &note=Rewrote+our+slowest+report+with+window+functions",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
}
