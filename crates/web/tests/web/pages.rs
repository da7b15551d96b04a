//! Pages: CSRF on every form post, session cookie flags and rotation, and the main pages
//! rendering for members and visitors.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;

pub(crate) fn form(path: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub(crate) fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::builder()
        .uri(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

pub(crate) fn cookie_of(r: &common::Reply, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")))
}

#[tokio::test]
async fn forms_need_the_csrf_token() {
    let t = TestApp::new(guildhall_store::testdb::TestDb::sqlite().unwrap());
    let first = t.send(get("/signup", "")).await;
    let csrf = cookie_of(&first, "gh_csrf").expect("a CSRF cookie is issued");
    assert!(csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"));
    let token = csrf
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("gh_csrf=")
        .to_string();
    assert!(
        first
            .text
            .contains(&format!("name=\"csrf\" value=\"{token}\""))
    );

    let body = "handle=ada&email=ada%40example.org&password=correct+horse+battery";
    let forged = t
        .send(form("/signup", &format!("gh_csrf={token}"), body))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let wrong = t
        .send(form(
            "/signup",
            &format!("gh_csrf={token}"),
            &format!("{body}&csrf=other"),
        ))
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(t.event_count(), 0);

    let ok = t
        .send(form(
            "/signup",
            &format!("gh_csrf={token}"),
            &format!("{body}&csrf={token}"),
        ))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let session = cookie_of(&ok, "gh_session").unwrap();
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
            && !session.contains("Secure")
    );

    // Signing in again rotates the session id.
    let old = session.split(';').next().unwrap().to_string();
    let again = t
        .send(form(
            "/signin",
            &format!("gh_csrf={token}; {old}"),
            &format!("csrf={token}&login=ada&password=correct+horse+battery&next=%2Fme%2Fprofile"),
        ))
        .await;
    let new = cookie_of(&again, "gh_session")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(old, new);
    let stale = t.send(get("/me/profile", &old)).await;
    assert_eq!(
        stale.status,
        StatusCode::SEE_OTHER,
        "the old session no longer works"
    );
    let editor = t
        .send(get("/me/profile", &format!("gh_csrf={token}; {new}")))
        .await;
    assert_eq!(editor.status, StatusCode::OK);
    assert!(editor.text.contains("Who can see this?"));

    // A cookie-authenticated API write needs the header too.
    let api = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/me/tokens")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &new)
        .body(Body::from("{\"name\":\"x\"}"))
        .unwrap();
    assert_eq!(t.send(api).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn editor_adds_items_and_previews() {
    let t = TestApp::new(guildhall_store::testdb::TestDb::sqlite().unwrap());
    let ada = t.member("ada").await;
    let csrf = "gh_csrf=tok";
    let r = t
        .send(form(
            "/signin",
            csrf,
            "csrf=tok&login=ada&password=correct+horse+battery&next=%2F",
        ))
        .await;
    let session = cookie_of(&r, "gh_session")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let cookie = format!("{csrf}; {session}");
    let bad = t.send(form("/me/items", &cookie, "csrf=tok&kind=work&title=&organisation=Acme&work_kind=freelance&start=2024-13&audiences=connections")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("must be a date written YYYY-MM"),
        "errors are shown on the form"
    );
    let ok = t.send(form("/me/items", &cookie, "csrf=tok&kind=work&title=Data+engineer&organisation=Acme&work_kind=freelance&start=2024-01&audiences=connections")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    t.send(form(
        "/me/items",
        &cookie,
        "csrf=tok&kind=headline&text=Pipelines+that+hold&audiences=public",
    ))
    .await;
    let public = t.send(get("/me/profile?as=public", &cookie)).await.text;
    assert!(public.contains("Pipelines that hold") && !public.contains("Data engineer"));
    let connection = t.send(get("/me/profile?as=connection", &cookie)).await.text;
    assert!(connection.contains("Data engineer"));
    // Clients and fellow members of a community see what is shown to them, and nobody else.
    t.add_item(
        &ada,
        &["clients"],
        serde_json::json!({"kind": "summary", "text": "Rates for returning clients"}),
    )
    .await;
    let guild = t
        .community(&ada, serde_json::json!({"name": "Data Guild", "slug": "data-guild", "visibility": "listed", "admission": "open"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    t.add_item(
        &ada,
        &[&format!("community:{guild}")],
        serde_json::json!({"kind": "work", "title": "Guild mentor for pipelines", "organisation": "Data Guild", "work_kind": "volunteer", "start": "2024-01"}),
    )
    .await;
    let editor = t.send(get("/me/profile", &cookie)).await.text;
    assert!(
        editor.contains("?as=client")
            && editor.contains(&format!("?as=community:{guild}"))
            && editor.contains("Member of Data Guild"),
        "{editor}"
    );
    assert!(
        editor.contains("<span class=\"badge aud-community\">Members of Data Guild</span>")
            && !editor.contains(&format!(">community:{guild}<")),
        "community audiences are named"
    );
    let client = t.send(get("/me/profile?as=client", &cookie)).await.text;
    assert!(client.contains("Rates for returning clients") && !client.contains("Guild mentor"));
    let fellow = t
        .send(get(&format!("/me/profile?as=community:{guild}"), &cookie))
        .await
        .text;
    assert!(
        fellow.contains("Guild mentor for pipelines") && !fellow.contains("Rates for returning")
    );
    assert!(!connection.contains("Rates for returning") && !connection.contains("Guild mentor"));
    let stranger = t
        .send(get(
            "/me/profile?as=community:0190a0c0-0000-7000-8000-000000000000",
            &cookie,
        ))
        .await;
    assert_eq!(
        stranger.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not a community of hers"
    );

    // The editor says whether a skill matched the taxonomy or became her own tag.
    guildhall_app::App::new(
        t.db.pool(),
        std::sync::Arc::new(guildhall_app::SystemClock),
        guildhall_app::AppSettings::default(),
    )
    .skills()
    .import_esco(
        "conceptUri,preferredLabel,altLabels\nhttp://e/py,Python,python programming\n".as_bytes(),
        None::<&[u8]>,
        None::<&[u8]>,
        &|_, _| {},
    )
    .unwrap();
    let matched = t
        .send(form(
            "/me/items",
            &cookie,
            "csrf=tok&kind=skill&label=Python&level=4&audiences=public",
        ))
        .await;
    assert!(
        location(&matched).ends_with("done=skill-matched"),
        "{}",
        matched.text
    );
    let tagged = t
        .send(form(
            "/me/items",
            &cookie,
            "csrf=tok&kind=skill&label=Pipeline+whispering&level=4&audiences=public",
        ))
        .await;
    assert!(location(&tagged).ends_with("done=skill-tagged"));
    let editor = t
        .send(get("/me/profile?done=skill-tagged", &cookie))
        .await
        .text;
    assert!(
        editor.contains("Skill added as your own tag")
            && editor.contains(">your own tag</span>")
            && editor.contains(">in the taxonomy</span>")
    );

    let anon = t.send(get("/u/ada", "")).await;
    assert!(anon.text.contains("Pipelines that hold") && !anon.text.contains("Data engineer"));
    assert!(anon.text.contains("<main id=\"main\""));
    assert_eq!(
        t.send(get("/u/nobody", "")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.send(get("/me/profile", "")).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn htmx_inline_edit_returns_the_item() {
    let t = TestApp::new(guildhall_store::testdb::TestDb::sqlite().unwrap());
    let token = t.member("ada").await;
    let id = t
        .add_item(
            &token,
            &["public"],
            serde_json::json!({"kind": "headline", "text": "Before"}),
        )
        .await;
    let r = t
        .send(form(
            "/signin",
            "gh_csrf=tok",
            "csrf=tok&login=ada&password=correct+horse+battery&next=%2F",
        ))
        .await;
    let session = cookie_of(&r, "gh_session")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let cookie = format!("gh_csrf=tok; {session}");
    let edit = |body: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri(format!("/me/items/{id}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .header("hx-request", "true")
            .header("x-csrf-token", "tok")
            .body(Body::from(body))
            .unwrap()
    };
    let ok = t
        .send(edit("kind=headline&text=After&audiences=connections"))
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(
        ok.text
            .trim_start()
            .starts_with(&format!("<li class=\"item\" id=\"item-{id}\"")),
        "{}",
        ok.text
    );
    assert!(
        ok.text.contains("After")
            && ok.text.contains("aud-connections")
            && !ok.text.contains("<html")
    );
    let bad = t
        .send(edit("kind=headline&text=&audiences=connections"))
        .await;
    assert_eq!(
        bad.status,
        StatusCode::OK,
        "htmx swaps the form with its errors in"
    );
    assert!(bad.text.contains("must not be empty") && bad.text.contains("<details open"));
    let anon = t
        .call(Method::GET, "/api/v1/profiles/ada", None, None)
        .await
        .text;
    assert!(
        !anon.contains("After"),
        "the item is now for connections only"
    );
}

#[tokio::test]
async fn cookies_are_secure_when_served_over_https() {
    let db = guildhall_store::testdb::TestDb::sqlite().unwrap();
    let app = guildhall_app::App::new(
        db.pool(),
        std::sync::Arc::new(guildhall_app::SystemClock),
        guildhall_app::AppSettings {
            password_cost: guildhall_app::PasswordCost::Fast,
            ..Default::default()
        },
    );
    let router = guildhall_web::router(guildhall_web::AppState {
        app: app.clone(),
        config: std::sync::Arc::new(guildhall_web::WebConfig {
            secure_cookies: true,
            ..Default::default()
        }),
    });
    let t = TestApp { router, app, db };
    let page = t.send(get("/signup", "")).await;
    let csrf = cookie_of(&page, "__Host-gh_csrf").unwrap();
    assert!(
        page.headers
            .get(axum::http::header::STRICT_TRANSPORT_SECURITY)
            .is_some_and(|v| v.to_str().unwrap().starts_with("max-age=")),
        "over https, browsers are told to keep to https"
    );
    assert!(
        csrf.contains("; Secure") && csrf.contains("Path=/") && !csrf.contains("Domain"),
        "{csrf}"
    );
    assert!(cookie_of(&page, "gh_csrf").is_none());
    // The unprefixed cookie, which a sibling subdomain could set, is not accepted.
    let planted = t
        .send(form(
            "/signup",
            "gh_csrf=tok",
            "csrf=tok&handle=ada&email=ada%40example.org&password=correct+horse+battery",
        ))
        .await;
    assert_eq!(planted.status, StatusCode::FORBIDDEN, "{}", planted.text);
    let r = t
        .send(form(
            "/signup",
            "__Host-gh_csrf=tok",
            "csrf=tok&handle=ada&email=ada%40example.org&password=correct+horse+battery",
        ))
        .await;
    let session = cookie_of(&r, "gh_session").unwrap();
    assert!(
        session.contains("; Secure")
            && session.contains("HttpOnly")
            && session.contains("SameSite=Lax"),
        "{session}"
    );
}

/// Signs `handle` in through the page form and returns the cookie header to send.
pub(crate) async fn page_session(t: &TestApp, handle: &str) -> String {
    let r = t
        .send(form(
            "/signin",
            "gh_csrf=tok",
            &format!("csrf=tok&login={handle}&password=correct+horse+battery&next=%2F"),
        ))
        .await;
    let session = cookie_of(&r, "gh_session").unwrap();
    format!("gh_csrf=tok; {}", session.split(';').next().unwrap())
}

#[tokio::test]
async fn the_contract_timeline_takes_each_side_through_a_milestone() {
    for t in TestApp::all() {
        let operator = t.operator("operator").await;
        let client = t.member("client").await;
        t.member("ana").await;
        let r = t
            .call_keyed(
                Method::POST,
                "/api/v1/admin/transfers",
                &operator,
                serde_json::json!({"handle": "client", "amount": 100000, "currency": "EUR", "deposit": true}),
                "seed",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let k = t
            .call(
                Method::POST,
                "/api/v1/contracts",
                Some(&client),
                Some(
                    serde_json::json!({"member": "ana", "title": "Index audit", "currency": "EUR",
                    "milestones": [{"title": "Report", "amount": 50000, "due_on": "2099-01-01"}]}),
                ),
            )
            .await
            .json();
        let (id, m) = (
            k["id"].as_str().unwrap().to_string(),
            k["milestones"][0]["id"].as_str().unwrap().to_string(),
        );
        let page = format!("/work/contracts/{id}");
        let ana = page_session(&t, "ana").await;
        let r = t.send(get("/work", &ana)).await;
        assert!(r.text.contains("Index audit"), "{}", r.text);
        let r = t.send(get(&page, &ana)).await;
        assert!(r.text.contains("Accept the contract"));
        // The shares are known before either side agrees, in the currency's own format.
        for words in [
            "<dt>Platform fee</dt><dd>€50.00 (10 %)</dd>",
            "<dt>@ana receives</dt><dd>€450.00</dd>",
            "14 days to answer each delivery",
            "not funded yet",
        ] {
            assert!(r.text.contains(words), "{words}: {}", r.text);
        }
        t.send(form(&page, &ana, "csrf=tok&action=accept-offer"))
            .await;

        // The client funds: the same form sent twice moves the money once.
        let client_cookie = page_session(&t, "client").await;
        let r = t.send(get(&page, &client_cookie)).await;
        assert!(r.text.contains("Fund into escrow"), "{}", r.text);
        let fund = format!("csrf=tok&action=fund&milestone={m}&key=fund-{m}-once");
        for _ in 0..2 {
            let r = t.send(form(&page, &client_cookie, &fund)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        }
        let r = t.send(get("/work", &client_cookie)).await;
        assert!(r.text.contains("€500.00"), "{}", r.text);
        let r = t
            .send(form(
                &page,
                &ana,
                &format!("csrf=tok&action=fund&milestone={m}&key=x"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "only the client funds");
        assert!(r.text.contains("Only the client"), "{}", r.text);
        t.send(form(
            &page,
            &ana,
            &format!("csrf=tok&action=submit&milestone={m}"),
        ))
        .await;
        let r = t.send(get(&page, &client_cookie)).await;
        assert!(r.text.contains("delivered on time") && r.text.contains("Accept and release"));
        assert!(r.text.contains("paid automatically on 20"), "{}", r.text);
        // The client's note on a request for changes reaches the member.
        t.send(form(
            &page,
            &client_cookie,
            &format!("csrf=tok&action=changes&milestone={m}&note=Add+the+index+report"),
        ))
        .await;
        let r = t.send(get(&page, &ana)).await;
        assert!(
            r.text
                .contains("@client asked for changes: Add the index report")
                && r.text.contains("changes requested")
                && !r.text.contains("changes_requested"),
            "{}",
            r.text
        );
        let r = t
            .call(
                Method::GET,
                &format!("/api/v1/contracts/{id}"),
                Some(&client),
                None,
            )
            .await;
        assert_eq!(
            r.json()["milestones"][0]["change_note"],
            "Add the index report"
        );
        t.send(form(
            &page,
            &ana,
            &format!("csrf=tok&action=submit&milestone={m}"),
        ))
        .await;
        t.send(form(
            &page,
            &client_cookie,
            &format!("csrf=tok&action=accept&milestone={m}&key=acc-{m}"),
        ))
        .await;
        let r = t.send(get("/work", &ana)).await;
        assert!(
            r.text.contains("€450.00") && r.text.contains("completed"),
            "{}",
            r.text
        );

        // Reviews: a missing mark is refused; the client learns one exists but not what it says.
        let r = t
            .send(form(
                &page,
                &ana,
                "csrf=tok&action=review&overall=&criterion_clarity=4&text=Clear+brief",
            ))
            .await;
        assert!(r.text.contains("Overall: must be 1 to 5"), "{}", r.text);
        assert!(
            r.text.contains(">Clear brief</textarea>")
                && r.text.contains("<option value=\"4\" selected>4</option>"),
            "the refused review keeps its words and marks"
        );
        let review = "csrf=tok&action=review&overall=5&criterion_clarity=4&criterion_payment=5&text=Clear+brief";
        let r = t.send(form(&page, &ana, review)).await;
        assert_eq!(location(&r), format!("{page}?done=reviewed"));
        let r = t.send(get(&page, &client_cookie)).await;
        assert!(r.text.contains("has written their review") && !r.text.contains("Clear brief"));
        let r = t
            .send(form(
                &page,
                &client_cookie,
                "csrf=tok&action=review&overall=4&criterion_quality=4&text=Solid+work",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = t.send(get(&page, &client_cookie)).await;
        assert!(
            r.text.contains("Clear brief") && r.text.contains("clarity 4/5"),
            "{}",
            r.text
        );
    }
}

/// The `Location` a redirect points at.
pub(crate) fn location(r: &common::Reply) -> String {
    r.headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_job_is_posted_proposed_for_compared_and_offered() {
    for t in TestApp::all() {
        t.member("client").await;
        let ana = t.member("ana").await;
        t.add_item(
            &ana,
            &["members"],
            serde_json::json!({"kind": "skill", "label": "SQL", "level": 4}),
        )
        .await;
        let client = page_session(&t, "client").await;
        let r = t.send(get("/jobs/new", &client)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Post a job"), "{}", r.text);

        // A bad form keeps what was typed and says what is wrong, field by field.
        let job = "csrf=tok&submitted=yes&title=Speed+up+the+nightly+load&description=Three+hours+is+too+long\
                   &skill_label=SQL&skill_weight=5&skill_level=3&skill_kind=required\
                   &skill_label=Airflow&skill_weight=2&skill_level=2&skill_kind=nice\
                   &pricing=fixed&currency=EUR&starts_on=2099-01-01&ends_on=2099-02-01\
                   &remote=yes&tz_min=-720&tz_max=840&community=";
        let r = t
            .send(form(
                "/jobs",
                &client,
                &format!("{job}&budget_min=12,5&budget_max=2000&publish=open"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("must be an amount such as 80 or 80.50"));
        assert!(r.text.contains("Speed up the nightly load"), "kept");
        let r = t
            .send(form(
                "/jobs",
                &client,
                &format!("{job}&budget_min=1500&budget_max=2000&publish=open"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let page = location(&r);
        assert!(page.ends_with("?done=job-posted"), "{page}");
        let page = page.split('?').next().unwrap().to_string();

        // The member finds it, and a rate that is not an amount is refused with the reason.
        let member = page_session(&t, "ana").await;
        let r = t.send(get("/jobs", &member)).await;
        assert!(r.text.contains("Speed up the nightly load"), "{}", r.text);
        let propose =
            "csrf=tok&action=propose&note=I+tuned+loads+like+this+for+years&availability=March";
        let r = t
            .send(form(&page, &member, &format!("{propose}&rate=lots")))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("must be an amount"), "{}", r.text);
        let r = t
            .send(form(&page, &member, &format!("{propose}&rate=1800")))
            .await;
        assert_eq!(location(&r), format!("{page}?done=proposed"));
        let r = t.send(get(&page, &member)).await;
        assert!(r.text.contains("€1,800.00") && !r.text.contains("Send the proposal"));

        // The client compares: the member's claimed level against the job's, and the budget.
        let r = t.send(get(&page, &client)).await;
        assert!(r.text.contains("SQL 4/3 ✓"), "{}", r.text);
        assert!(r.text.contains("Airflow –/2"), "{}", r.text);
        assert!(!r.text.contains("outside budget"));
        let proposal = r
            .text
            .split("id=\"p-")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let offer = "csrf=tok&action=offer&m_title=Load+under+an+hour&m_amount=1200&m_due=2099-01-20\
             &m_title=Runbook&m_amount=600&m_due=2099-02-01&m_title=&m_amount=&m_due=";
        let r = t
            .send(form(
                &format!("{page}/proposals/{proposal}"),
                &client,
                offer,
            ))
            .await;
        let contract = location(&r);
        assert!(contract.starts_with("/work/contracts/"), "{}", r.text);
        let r = t.send(get(&contract, &member)).await;
        assert!(
            r.text.contains("Accept the contract") && r.text.contains("€600.00"),
            "{}",
            r.text
        );
        // The job is filled once the member accepts; its page then takes no proposals.
        t.send(form(
            contract.split('?').next().unwrap(),
            &member,
            "csrf=tok&action=accept-offer",
        ))
        .await;
        let r = t.send(get(&page, &client)).await;
        assert!(r.text.contains(">filled<"), "{}", r.text);
    }
}

/// The first `value="…"` after `marker` in `html`.
fn value_after(html: &str, marker: &str) -> String {
    let rest = html
        .split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    rest.split("value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn deposits_disputes_and_statements_on_the_money_pages() {
    for t in TestApp::all() {
        t.operator("operator").await;
        let client_token = t.member("client").await;
        let ana_token = t.member("ana").await;
        let client = page_session(&t, "client").await;

        // A deposit request: a bad amount is explained; a good one shows how to pay.
        let r = t
            .send(form(
                "/work/deposits",
                &client,
                "csrf=tok&action=request&amount=lots&currency=EUR",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text.contains("must be an amount such as 80 or 80.50"),
            "{}",
            r.text
        );
        let r = t
            .send(form(
                "/work/deposits",
                &client,
                "csrf=tok&action=request&amount=800.50&currency=EUR",
            ))
            .await;
        assert_eq!(location(&r), "/work?done=deposit-requested");
        let r = t.send(get("/work", &client)).await;
        assert!(
            r.text.contains("€800.50") && r.text.contains("quote the reference GH-"),
            "{}",
            r.text
        );

        // Only operators reach the desk; confirming twice with the page's key credits once.
        assert_eq!(
            t.send(get("/admin/money", &client)).await.status,
            StatusCode::FORBIDDEN
        );
        let operator = page_session(&t, "operator").await;
        let desk = t.send(get("/admin/money", &operator)).await;
        let action = desk.text.split("action=\"/admin/deposits/").nth(1).unwrap();
        let deposit = action.split('"').next().unwrap().to_string();
        let key = value_after(&desk.text, "name=\"key\"");
        for _ in 0..2 {
            let r = t
                .send(form(
                    &format!("/admin/deposits/{deposit}"),
                    &operator,
                    &format!("csrf=tok&action=confirm&key={key}"),
                ))
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        }
        let r = t.send(get("/work", &client)).await;
        assert!(
            r.text
                .contains("<strong>€800.50</strong> <span class=\"badge\">Wallet</span>"),
            "{}",
            r.text
        );

        // A funded milestone is disputed from the contract page and resolved at the desk.
        let k = t
            .call(
                Method::POST,
                "/api/v1/contracts",
                Some(&client_token),
                Some(
                    serde_json::json!({"member": "ana", "title": "Index audit", "currency": "EUR",
                    "milestones": [{"title": "Report", "amount": 50000, "due_on": "2099-01-01"}]}),
                ),
            )
            .await
            .json();
        let id = k["id"].as_str().unwrap().to_string();
        let m = k["milestones"][0]["id"].as_str().unwrap().to_string();
        t.call(
            Method::POST,
            &format!("/api/v1/contracts/{id}/answer"),
            Some(&ana_token),
            Some(serde_json::json!({"accept": true})),
        )
        .await;
        t.call_keyed(
            Method::POST,
            &format!("/api/v1/contracts/{id}/milestones/{m}"),
            &client_token,
            serde_json::json!({"action": "fund"}),
            "f",
        )
        .await;
        let page = format!("/work/contracts/{id}");
        let ana = page_session(&t, "ana").await;
        let r = t.send(get(&page, &ana)).await;
        assert!(r.text.contains("Open a dispute"), "{}", r.text);
        let r = t
            .send(form(
                &page,
                &ana,
                &format!("csrf=tok&action=dispute&milestone={m}&reason=short"),
            ))
            .await;
        assert_ne!(
            r.status,
            StatusCode::SEE_OTHER,
            "a reason of a few words is needed"
        );
        assert!(
            r.text.contains(" open><summary>Dispute") && r.text.contains(">short</textarea>"),
            "the refused dispute stays open with its reason"
        );
        let r = t
            .send(form(
                &page,
                &ana,
                &format!(
                    "csrf=tok&action=dispute&milestone={m}&reason=The+scope+doubled+after+funding"
                ),
            ))
            .await;
        assert_eq!(location(&r), format!("{page}?done=dispute-opened"));
        let r = t.send(get(&page, &client)).await;
        assert!(r.text.contains("Disputed by @ana") && !r.text.contains("Accept and release"));
        let desk = t.send(get("/admin/money", &operator)).await;
        assert!(
            desk.text.contains("The scope doubled after funding"),
            "{}",
            desk.text
        );
        let action = desk.text.split("action=\"/admin/disputes/").nth(1).unwrap();
        let dispute = action.split('"').next().unwrap().to_string();
        let key = value_after(action, "name=\"key\"");
        let r = t
            .send(form(
                &format!("/admin/disputes/{dispute}"),
                &operator,
                &format!(
                    "csrf=tok&key={key}&currency=EUR&member_amount=300&note=Half+the+work+was+done"
                ),
            ))
            .await;
        assert_eq!(location(&r), "/admin/money?done=dispute-resolved");
        let r = t.send(get(&page, &client)).await;
        assert!(
            r.text.contains("resolved by @operator") && r.text.contains("Half the work was done"),
            "{}",
            r.text
        );

        // The statement of the period: what went in and out, per currency.
        let r = t
            .send(get(
                "/work/statement?from=2020-01-01&to=2099-12-31",
                &client,
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        for shown in [
            "€800.50",
            "€500.00",
            "€200.00",
            "Download as CSV",
            "Milestone funded",
        ] {
            assert!(r.text.contains(shown), "{shown}: {}", r.text);
        }
        let r = t
            .send(get(
                "/work/statement?from=2099-01-01&to=2020-01-01",
                &client,
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("must not be before the start"));
    }
}

#[tokio::test]
async fn reputation_pages_show_what_the_member_chose() {
    for t in TestApp::all() {
        t.member("ada").await;
        let cookie = page_session(&t, "ada").await;

        // A newcomer's evidence page: the priors, marked new, and an empty timeline.
        let r = t.send(get("/me/evidence", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.contains("On-time delivery")
                && r.text.contains(">new</span>")
                && r.text.contains("No evidence yet")
                && r.text
                    .contains("none yet: no evidence links this member to a curator"),
            "{}",
            r.text
        );
        assert_eq!(
            t.send(get("/me/evidence", "")).await.status,
            StatusCode::SEE_OTHER,
            "members only"
        );

        // A figure that does not exist is refused on the form; a real one shows to its audience.
        let bad = t
            .send(form(
                "/me/items",
                &cookie,
                "csrf=tok&kind=reputation&figure=salary&audiences=public",
            ))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("must be one of on_time"), "{}", bad.text);
        let ok = t
            .send(form(
                "/me/items",
                &cookie,
                "csrf=tok&kind=reputation&figure=review_score&audiences=members",
            ))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        t.member("bob").await;
        let member_view = t
            .send(get("/u/ada", &page_session(&t, "bob").await))
            .await
            .text;
        assert!(
            member_view.contains("Review score")
                && member_view.contains("90 % interval")
                && member_view.contains("no reviews yet"),
            "{member_view}"
        );
        assert!(
            !member_view.contains("On-time delivery"),
            "only what she chose"
        );
        let anon = t.send(get("/u/ada", "")).await.text;
        assert!(!anon.contains("Review score"), "not for visitors");

        // The log's public page, before any checkpoint.
        let r = t.send(get("/evidence", "")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.text.contains("No checkpoint has been signed yet"),
            "{}",
            r.text
        );
    }
}
