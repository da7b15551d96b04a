//! Browser test: a member signs up, adds a public headline and a work entry shown to
//! connections only; a signed-out visitor sees the headline but not the entry; a second member
//! connects, is accepted, and then sees the entry. Drives Debian's chromium through
//! chromedriver; screenshots go under the test's output folder.

use fantoccini::{Client, ClientBuilder, Locator};

use guildhall_store::testdb::TestDb;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> Option<PathBuf> {
    let candidates = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

async fn start_server() -> SocketAddr {
    start_server_with_app().await.0
}

/// A server, and the application behind it for setting up what pages cannot.
async fn start_server_with_app() -> (SocketAddr, guildhall_app::App) {
    let db = Box::leak(Box::new(TestDb::sqlite().unwrap()));
    let app = guildhall_app::testing::app(db);
    let state = guildhall_web::AppState {
        app: app.clone(),
        config: Arc::new(guildhall_web::WebConfig::default()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            guildhall_web::router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (addr, app)
}

async fn start_browser(profile_dir: &std::path::Path) -> (Driver, Client) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new(chromedriver().unwrap())
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(driver);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1100,1400", format!("--user-data-dir={}", profile_dir.display())]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return (driver, client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

async fn fill(c: &Client, css: &str, text: &str) {
    let el = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn sign_up(c: &Client, base: &str, handle: &str) {
    c.goto(&format!("{base}/signup")).await.unwrap();
    fill(c, "#handle", handle).await;
    fill(c, "#email", &format!("{handle}@example.org")).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "form[action='/signup'] button[type=submit]").await;
    c.wait()
        .for_url(&url::Url::parse(&format!("{base}/me/profile?done=welcome")).unwrap())
        .await
        .unwrap();
}

async fn sign_in(c: &Client, base: &str, handle: &str) {
    c.goto(&format!("{base}/signin")).await.unwrap();
    fill(c, "#login", handle).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "form[action='/signin'] button[type=submit]").await;
    c.wait()
        .for_element(Locator::Css("form[action='/signout']"))
        .await
        .unwrap();
}

async fn sign_out(c: &Client) {
    click(c, "form[action='/signout'] button").await;
    c.wait()
        .for_element(Locator::Css("a[href='/signin']"))
        .await
        .unwrap();
}

async fn body_text(c: &Client) -> String {
    c.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_audiences_in_a_real_browser() {
    if chromedriver().is_none() {
        assert!(
            std::env::var("GUILDHALL_REQUIRE_BROWSER").is_err(),
            "chromedriver is required but missing: install chromium and chromium-driver"
        );
        eprintln!(
            "skipped: chromedriver not found (install Debian's chromium and chromium-driver)"
        );
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let addr = start_server().await;
    let base = format!("http://{addr}");
    let (_driver, c) = start_browser(profile_dir.path()).await;

    sign_up(&c, &base, "ada").await;
    // A public headline.
    click(&c, "details:has(#new-headline-text) > summary").await;
    fill(
        &c,
        "#new-headline-text",
        "Data engineer for climate projects",
    )
    .await;
    click(&c, "form:has(#new-headline-text) button[type=submit]").await;
    c.wait()
        .for_element(Locator::Css(".flash.ok"))
        .await
        .unwrap();
    // A work entry for connections only.
    click(&c, "details:has(#new-work-title) > summary").await;
    fill(&c, "#new-work-title", "Pipeline lead").await;
    fill(&c, "#new-work-organisation", "Northwind Energy").await;
    fill(&c, "#new-work-start", "2023-04").await;
    click(
        &c,
        "form:has(#new-work-title) input[name=audiences][value=public]",
    )
    .await;
    click(
        &c,
        "form:has(#new-work-title) input[name=audiences][value=connections]",
    )
    .await;
    click(&c, "form:has(#new-work-title) button[type=submit]").await;
    c.wait()
        .for_element(Locator::Css(".flash.ok"))
        .await
        .unwrap();
    // A skill, then the skill field suggests it as the member types.
    click(&c, "details:has(#new-skill-label) > summary").await;
    fill(&c, "#new-skill-label", "Embedded C").await;
    fill(&c, "#new-skill-note", "embedded firmware").await;
    click(&c, "form:has(#new-skill-label) button[type=submit]").await;
    c.wait()
        .for_element(Locator::Css(".flash.ok"))
        .await
        .unwrap();
    click(&c, "details:has(#new-skill-label) > summary").await;
    fill(&c, "#new-skill-label", "Emb").await;
    c.wait()
        .for_element(Locator::Css(
            "#new-skill-options option[value='Embedded C']",
        ))
        .await
        .unwrap();
    let editor = body_text(&c).await;
    assert!(
        editor.contains("Pipeline lead") && editor.contains("connections"),
        "{editor}"
    );
    std::fs::write(out.join("editor.png"), c.screenshot().await.unwrap()).unwrap();
    c.goto(&format!("{base}/me/profile?as=public"))
        .await
        .unwrap();
    std::fs::write(
        out.join("view-as-public.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    sign_out(&c).await;

    // Signed out: the headline, not the entry.
    c.goto(&format!("{base}/u/ada")).await.unwrap();
    let anon = body_text(&c).await;
    assert!(
        anon.contains("Data engineer for climate projects"),
        "{anon}"
    );
    assert!(!anon.contains("Pipeline lead"), "{anon}");
    assert!(
        anon.contains("Embedded C") && anon.contains("embedded firmware"),
        "{anon}"
    );

    // Bob asks to connect; Ada accepts; Bob sees the entry.
    sign_up(&c, &base, "bob").await;
    c.goto(&format!("{base}/u/ada")).await.unwrap();
    assert!(!body_text(&c).await.contains("Pipeline lead"));
    click(&c, "form[action='/me/connections'] button").await;
    c.wait()
        .for_url(&url::Url::parse(&format!("{base}/u/ada")).unwrap())
        .await
        .unwrap();
    sign_out(&c).await;
    sign_in(&c, &base, "ada").await;
    c.goto(&format!("{base}/me/connections")).await.unwrap();
    click(&c, "form[action$='/accept'] button").await;
    c.wait()
        .for_element(Locator::Css(".flash.ok"))
        .await
        .unwrap();
    sign_out(&c).await;
    sign_in(&c, &base, "bob").await;
    c.goto(&format!("{base}/u/ada")).await.unwrap();
    let connected = body_text(&c).await;
    assert!(
        connected.contains("Pipeline lead") && connected.contains("Northwind Energy"),
        "{connected}"
    );
    assert!(connected.contains("You are connected"), "{connected}");
    std::fs::write(
        out.join("profile-as-connection.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();

    // Bob suggests a skill; Ada accepts it for everyone; the public sees who suggested it.
    click(&c, "details:has(#suggest-label) > summary").await;
    fill(&c, "#suggest-label", "Rust").await;
    fill(&c, "#suggest-note", "she rewrote our parser in it").await;
    click(&c, "form[action='/u/ada/suggest'] button").await;
    c.wait()
        .for_element(Locator::Css(".flash.ok"))
        .await
        .unwrap();
    sign_out(&c).await;
    sign_in(&c, &base, "ada").await;
    c.goto(&format!("{base}/me/suggestions")).await.unwrap();
    let inbox = body_text(&c).await;
    assert!(
        inbox.contains("Rust") && inbox.contains("she rewrote our parser in it"),
        "{inbox}"
    );
    click(&c, "details:has(form[action$='/accept']) > summary").await;
    click(
        &c,
        "form[action$='/accept'] input[name=audiences][value=public]",
    )
    .await;
    click(&c, "form[action$='/accept'] button[type=submit]").await;
    c.wait()
        .for_element(Locator::Css(".flash.ok"))
        .await
        .unwrap();
    sign_out(&c).await;
    c.goto(&format!("{base}/u/ada")).await.unwrap();
    let public = body_text(&c).await;
    assert!(
        public.contains("Rust") && public.contains("suggested by @bob"),
        "{public}"
    );
    std::fs::write(
        out.join("suggested-skill.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.goto(&format!("{base}/directory?skill=rust"))
        .await
        .unwrap();
    let directory = body_text(&c).await;
    assert!(
        directory.contains("1 member found") && directory.contains("@ada"),
        "{directory}"
    );
    std::fs::write(out.join("directory.png"), c.screenshot().await.unwrap()).unwrap();
    eprintln!("screenshots in {}", out.display());
    c.close().await.unwrap();
}

/// Sets a form field's value directly (date-time pickers ignore typed keys in some locales).
async fn set_value(c: &Client, css: &str, value: &str) {
    c.execute(
        "document.querySelector(arguments[0]).value = arguments[1];",
        vec![css.into(), value.into()],
    )
    .await
    .unwrap_or_else(|e| panic!("{css}: {e}"));
}

async fn wait_for(c: &Client, css: &str) {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_community_admits_talks_and_meets_in_a_real_browser() {
    if chromedriver().is_none() {
        assert!(
            std::env::var("GUILDHALL_REQUIRE_BROWSER").is_err(),
            "chromedriver is required but missing: install chromium and chromium-driver"
        );
        eprintln!("skipped: chromedriver not found");
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let addr = start_server().await;
    let base = format!("http://{addr}");
    let (_driver, c) = start_browser(profile_dir.path()).await;

    // Ada starts a community that admits by application, with one question.
    sign_up(&c, &base, "ada").await;
    c.goto(&format!("{base}/communities")).await.unwrap();
    assert!(
        body_text(&c)
            .await
            .contains("No communities you can see yet")
    );
    fill(&c, "#name", "Data Guild").await;
    fill(&c, "#slug", "data-guild").await;
    fill(
        &c,
        "#description",
        "Data engineers who build warehouses together.",
    )
    .await;
    click(&c, "#admission option[value=application]").await;
    fill(&c, "#questions", "What have you built?").await;
    fill(&c, "#focus_skills", "SQL, Data modelling").await;
    click(&c, "form[action='/communities'] button[type=submit]").await;
    wait_for(&c, ".flash.ok").await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/c/data-guild")
    );

    // She plans an event.
    click(&c, "details:has(#ev-title) > summary").await;
    fill(&c, "#ev-title", "Winter meet-up").await;
    set_value(&c, "#starts", "2099-12-03T18:30").await;
    set_value(&c, "#ends", "2099-12-03T21:00").await;
    fill(&c, "#timezone", "Europe/Lisbon").await;
    fill(&c, "#capacity", "20").await;
    fill(&c, "#place", "Rua Augusta 1, Lisbon").await;
    click(
        &c,
        "form[action='/c/data-guild/events'] button[type=submit]",
    )
    .await;
    wait_for(&c, ".flash.ok").await;
    assert!(body_text(&c).await.contains("2099-12-03 18:30 WET"));
    sign_out(&c).await;

    // Bob applies, answering the question.
    sign_up(&c, &base, "bob").await;
    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    fill(&c, "#answer-0", "A warehouse for a retailer").await;
    click(&c, "form:has(#answer-0) button[type=submit]").await;
    wait_for(&c, ".flash.ok").await;
    assert!(body_text(&c).await.contains("Your application is pending"));
    sign_out(&c).await;

    // Ada approves from the curators' queue.
    sign_in(&c, &base, "ada").await;
    c.goto(&format!("{base}/c/data-guild/applications"))
        .await
        .unwrap();
    let queue = body_text(&c).await;
    assert!(queue.contains("A warehouse for a retailer"), "{queue}");
    std::fs::write(
        out.join("community-applications.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    click(&c, "form:has(input[value=approve]) button").await;
    wait_for(&c, ".flash.ok").await;
    assert!(body_text(&c).await.contains("No applications waiting"));
    sign_out(&c).await;

    // Bob, now a member, starts a thread and RSVPs.
    sign_in(&c, &base, "bob").await;
    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    click(&c, "details:has(#title) > summary").await;
    fill(&c, "#title", "Hello from Bob").await;
    fill(
        &c,
        "#body",
        "Glad to be here, **@ada**! <script>document.title='pwned'</script>",
    )
    .await;
    click(
        &c,
        "form[action='/c/data-guild/threads'] button[type=submit]",
    )
    .await;
    wait_for(&c, ".post strong").await;
    assert_ne!(c.title().await.unwrap(), "pwned");
    let html = c
        .find(Locator::Css(".post"))
        .await
        .unwrap()
        .html(true)
        .await
        .unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("href=\"/u/ada\""), "{html}");

    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    click(&c, "form[action$='/rsvp'] button").await;
    wait_for(&c, ".flash.ok").await;
    let page = body_text(&c).await;
    assert!(page.contains("you are going"), "{page}");
    assert!(page.contains("Hello from Bob"), "{page}");
    std::fs::write(out.join("community.png"), c.screenshot().await.unwrap()).unwrap();
    sign_out(&c).await;

    // Ada sees Bob's mention, pins his thread, makes him a mentor and adds a learning resource.
    sign_in(&c, &base, "ada").await;
    c.goto(&format!("{base}/communities")).await.unwrap();
    let page = body_text(&c).await;
    assert!(
        page.contains("@bob mentioned you in Hello from Bob"),
        "{page}"
    );
    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    click(&c, "a[href^='/c/data-guild/t/']").await;
    click(&c, "form:has(input[name=action][value=pin]) button").await;
    wait_for(&c, ".flash.ok").await;
    assert!(body_text(&c).await.contains("pinned"));
    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    click(&c, "#role-bob option[value=mentor]").await;
    click(&c, "form:has(#role-bob) button").await;
    wait_for(&c, ".flash.ok").await;
    click(&c, "details:has(#res-title) > summary").await;
    fill(&c, "#res-title", "Use the index, Luke").await;
    fill(&c, "#res-url", "https://use-the-index-luke.com/").await;
    fill(&c, "#res-skills", "SQL").await;
    fill(&c, "#res-hours", "5").await;
    click(
        &c,
        "form[action='/c/data-guild/resources'] button[type=submit]",
    )
    .await;
    wait_for(&c, ".flash.ok").await;
    let page = body_text(&c).await;
    assert!(
        page.contains("Use the index, Luke") && page.contains("free · 5 h 0 min"),
        "{page}"
    );
    std::fs::write(
        out.join("community-curator.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    sign_out(&c).await;

    // Bob, now a mentor, offers mentoring and marks the resource completed.
    sign_in(&c, &base, "bob").await;
    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    click(&c, "details:has(#offer-skills) > summary").await;
    fill(&c, "#offer-skills", "SQL, Query tuning").await;
    click(
        &c,
        "form[action='/c/data-guild/mentoring/offers'] button[type=submit]",
    )
    .await;
    wait_for(&c, ".flash.ok").await;
    set_value(&c, "input[name=completed_on]", "2026-11-01").await;
    click(&c, "form:has(input[name=completed_on]) button").await;
    wait_for(&c, ".flash.ok").await;
    let page = body_text(&c).await;
    assert!(page.contains("you completed it 2026-11-01"), "{page}");
    assert!(page.contains("Query tuning"), "{page}");
    eprintln!("screenshots in {}", out.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_milestone_is_funded_delivered_and_released_in_a_real_browser() {
    if chromedriver().is_none() {
        assert!(
            std::env::var("GUILDHALL_REQUIRE_BROWSER").is_err(),
            "chromedriver is required but missing: install chromium and chromium-driver"
        );
        eprintln!("skipped: chromedriver not found");
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    // The operator's deposit and the client's offer are set up directly; the rest is clicked.
    let offer = tokio::task::spawn_blocking(move || {
        use guildhall_app::testing::{member, sign_up_input};
        let operator = app.create_account(sign_up_input("operator"), true).unwrap();
        let client = member(&app, "client");
        member(&app, "ana");
        let eur = guildhall_domain::money::Currency::parse("EUR").unwrap();
        app.confirm_deposit(
            &operator,
            "client",
            guildhall_domain::money::Money::new(300_000, eur),
            "seed",
        )
        .unwrap();
        app.offer_contract(
            &client,
            guildhall_app::work::OfferInput {
                member: "ana".into(),
                title: "Warehouse index audit".into(),
                currency: "EUR".into(),
                milestones: vec![
                    guildhall_app::work::MilestoneInput {
                        title: "Findings report".into(),
                        amount: 120_000,
                        due_on: "2099-01-15".into(),
                    },
                    guildhall_app::work::MilestoneInput {
                        title: "Fixes deployed".into(),
                        amount: 80_000,
                        due_on: "2099-02-15".into(),
                    },
                ],
                community: None,
                referrer: None,
            },
        )
        .unwrap()
        .id
    })
    .await
    .unwrap();
    let page = format!("{base}/work/contracts/{offer}");
    let (_driver, c) = start_browser(profile_dir.path()).await;

    sign_in(&c, &base, "ana").await;
    c.goto(&page).await.unwrap();
    click(&c, "form:has(input[value=accept-offer]) button").await;
    wait_for(&c, ".flash.ok").await;
    sign_out(&c).await;

    sign_in(&c, &base, "client").await;
    c.goto(&page).await.unwrap();
    click(&c, "form:has(input[value=fund]) button").await;
    wait_for(&c, ".flash.ok").await;
    sign_out(&c).await;

    sign_in(&c, &base, "ana").await;
    c.goto(&page).await.unwrap();
    click(&c, "form:has(input[value=submit]) button").await;
    wait_for(&c, ".flash.ok").await;
    sign_out(&c).await;

    sign_in(&c, &base, "client").await;
    c.goto(&page).await.unwrap();
    click(&c, "form:has(input[value=accept]) button").await;
    wait_for(&c, ".flash.ok").await;
    click(&c, "form:has(input[value=fund]) button").await;
    wait_for(&c, ".flash.ok").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("released") && text.contains("delivered on time"),
        "{text}"
    );
    assert!(text.contains("funded"), "{text}");
    std::fs::write(
        out.join("milestone-timeline.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.goto(&format!("{base}/work")).await.unwrap();
    assert!(
        body_text(&c).await.contains("1000.00 EUR"),
        "300000 - 120000 - 80000 left"
    );
}
