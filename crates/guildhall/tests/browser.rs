//! Browser test: a member signs up, adds a public headline and a work entry shown to
//! connections only; a signed-out visitor sees the headline but not the entry; a second member
//! connects, is accepted, and then sees the entry. Drives Debian's chromium through
//! chromedriver; screenshots go under the test's output folder.
//! Unix only: chromedriver runs in a process group of its own.
#![cfg(unix)]

use fantoccini::{Client, ClientBuilder, Locator};

// Beside this file, not in `tests/`, so cargo does not build them as tests of their own.
#[path = "browser/accessibility.rs"]
mod accessibility;
#[path = "browser/availability.rs"]
mod availability;
#[path = "browser/credentials.rs"]
mod credentials;
#[path = "browser/erasure.rs"]
mod erasure;
#[path = "browser/forms.rs"]
mod forms;
#[path = "browser/hourly.rs"]
mod hourly;
#[path = "browser/insights.rs"]
mod insights;
#[path = "browser/matching.rs"]
mod matching;
#[path = "browser/ownership.rs"]
mod ownership;
#[path = "browser/pairs.rs"]
mod pairs;
#[path = "browser/shortlist.rs"]
mod shortlist;

use guildhall_store::testdb::TestDb;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

/// chromedriver, started in a process group of its own, which the browsers it starts join:
/// dropping it ends them all. Killing chromedriver alone left chromium running after the tests.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // The group's id is chromedriver's process id.
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> Option<PathBuf> {
    let candidates = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

/// Whether there is no browser to test with: then the test is skipped, unless CI requires one.
fn no_browser() -> bool {
    if chromedriver().is_some() {
        return false;
    }
    assert!(
        std::env::var("GUILDHALL_REQUIRE_BROWSER").is_err(),
        "chromedriver is required but missing: install chromium and chromium-driver"
    );
    eprintln!("skipped: chromedriver not found (install Debian's chromium and chromium-driver)");
    true
}

async fn start_server() -> SocketAddr {
    start_server_with_app().await.0
}

/// The key the test server signs its evidence log with.
fn log_key() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[7u8; 32])
}

/// A server, and the application behind it for setting up what pages cannot.
async fn start_server_with_app() -> (SocketAddr, guildhall_app::App) {
    let db = Box::leak(Box::new(TestDb::sqlite().unwrap()));
    let app = guildhall_app::testing::app(db);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = guildhall_web::AppState {
        app: app.clone(),
        config: Arc::new(guildhall_web::WebConfig {
            evidence_key: Some(Arc::new(log_key())),
            public_url: format!("http://{addr}"),
            ..guildhall_web::WebConfig::default()
        }),
    };
    tokio::spawn(guildhall_web::serve::serve(
        listener,
        guildhall_web::router(state),
        guildhall_web::serve::DEFAULT_REQUEST_HEAD_TIMEOUT,
        std::future::pending(),
    ));
    (addr, app)
}

async fn start_browser(profile_dir: &std::path::Path) -> (Driver, Client) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new(chromedriver().unwrap())
        .process_group(0)
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
        // chromedriver listens on plain HTTP on this machine.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(client) = ClientBuilder::new(connector)
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

/// Runs `act` on the element `css`, finding it again when the page replaced it between the
/// find and the act (a page still loading on a busy machine).
async fn on_element<F, Fut>(c: &Client, css: &str, act: F)
where
    F: Fn(fantoccini::elements::Element) -> Fut,
    Fut: std::future::Future<Output = Result<(), fantoccini::error::CmdError>>,
{
    for _ in 0..5 {
        let el = c
            .wait()
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        match act(el).await {
            Ok(()) => return,
            // Chromium words a replaced element either way.
            Err(e)
                if e.to_string().contains("stale element")
                    || e.to_string().contains("does not belong to the document") =>
            {
                continue;
            }
            Err(e) => panic!("{css}: {e}"),
        }
    }
    panic!("{css}: the element kept being replaced");
}

async fn fill(c: &Client, css: &str, text: &str) {
    on_element(c, css, |el| async move {
        el.clear().await?;
        el.send_keys(text).await
    })
    .await;
}

async fn click(c: &Client, css: &str) {
    on_element(c, css, |el| async move { el.click().await }).await;
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

/// Clicks a button that submits a form and waits until the next page has replaced this one, so
/// that what is looked for next is not found on the page being left.
async fn submit(c: &Client, css: &str) {
    c.execute("document.documentElement.dataset.left = '1';", vec![])
        .await
        .unwrap();
    click(c, css).await;
    c.wait()
        .for_element(Locator::Css("html:not([data-left]) body"))
        .await
        .unwrap_or_else(|e| panic!("after {css}: {e}"));
}

/// The main text of the page, read again if the page was replaced while reading it.
async fn body_text(c: &Client) -> String {
    for _ in 0..50 {
        let main = c.wait().for_element(Locator::Css("main")).await.unwrap();
        match main.text().await {
            Ok(text) => return text,
            Err(fantoccini::error::CmdError::Standard(e))
                if e.error == fantoccini::error::ErrorStatus::StaleElementReference => {}
            Err(e) => panic!("reading the page: {e}"),
        }
    }
    panic!("the page kept changing while it was read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_audiences_in_a_real_browser() {
    if no_browser() {
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
    submit(&c, "form:has(#new-headline-text) button[type=submit]").await;
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
    submit(&c, "form:has(#new-work-title) button[type=submit]").await;
    c.wait()
        .for_element(Locator::Css(".flash.ok"))
        .await
        .unwrap();
    // A skill, then the skill field suggests it as the member types.
    click(&c, "details:has(#new-skill-label) > summary").await;
    fill(&c, "#new-skill-label", "Embedded C").await;
    fill(&c, "#new-skill-note", "embedded firmware").await;
    submit(&c, "form:has(#new-skill-label) button[type=submit]").await;
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
        editor.contains("Pipeline lead") && editor.contains("Connections"),
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
    assert!(!body_text(&c).await.contains("Contracts completed"));
    // A client sees the reputation figures shown to clients by default.
    click(&c, "a[href='/me/profile?as=client']").await;
    wait_for(&c, "a[href='/me/profile?as=client'][aria-current]").await;
    let as_client = body_text(&c).await;
    assert!(
        as_client.contains("Contracts completed") && !as_client.contains("Pipeline lead"),
        "a client who is not a connection: {as_client}"
    );
    std::fs::write(
        out.join("view-as-client.png"),
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
    submit(&c, "form[action$='/accept'] button").await;
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
    submit(&c, "form[action='/u/ada/suggest'] button").await;
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
    submit(&c, "form[action$='/accept'] button[type=submit]").await;
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
    if no_browser() {
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
    submit(&c, "form[action='/communities'] button[type=submit]").await;
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
    // The zone list starts at the browser's own zone.
    let zones = c
        .execute(
            "return [Intl.DateTimeFormat().resolvedOptions().timeZone, \
             document.querySelector('#ev-timezone').value];",
            vec![],
        )
        .await
        .unwrap();
    let (browser_zone, chosen) = (zones[0].as_str().unwrap(), zones[1].as_str().unwrap());
    if guildhall_domain::calendar::is_time_zone(browser_zone) {
        assert_eq!(chosen, browser_zone);
    } else {
        assert_eq!(
            chosen, "",
            "{browser_zone} is not offered, so nothing is chosen"
        );
    }
    set_value(&c, "#ev-timezone", "Europe/Lisbon").await;
    fill(&c, "#capacity", "20").await;
    fill(&c, "#place", "Rua Augusta 1, Lisbon").await;
    submit(
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
    submit(&c, "form:has(#answer-0) button[type=submit]").await;
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
    submit(&c, "form:has(input[value=approve]) button").await;
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
    submit(&c, "form[action$='/rsvp'] button").await;
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
    submit(&c, "form:has(input[name=action][value=pin]) button").await;
    wait_for(&c, ".flash.ok").await;
    assert!(body_text(&c).await.contains("pinned"));
    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    click(&c, "#role-bob option[value=mentor]").await;
    submit(&c, "form:has(#role-bob) button").await;
    wait_for(&c, ".flash.ok").await;
    click(&c, "details:has(#res-title) > summary").await;
    fill(&c, "#res-title", "Use the index, Luke").await;
    fill(&c, "#res-url", "https://use-the-index-luke.com/").await;
    fill(&c, "#res-skills", "SQL").await;
    fill(&c, "#res-hours", "five").await;
    let add_resource = "form[action='/c/data-guild/resources'] button[type=submit]";
    submit(&c, add_resource).await;
    // Refused: the form comes back open, as typed, with the message beside the length.
    wait_for(&c, "#res-hours-error").await;
    let typed = c
        .execute("return document.querySelector('#res-title').value;", vec![])
        .await
        .unwrap();
    assert_eq!(typed, serde_json::json!("Use the index, Luke"));
    for (width, name) in [
        (1280, "community-resource-refused.png"),
        (390, "community-resource-refused-phone.png"),
    ] {
        c.set_window_size(width, 1000).await.unwrap();
        c.execute(
            "document.querySelector('#res-hours').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await
        .unwrap();
        fits_the_window(&c, "the refused resource form").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    c.set_window_size(1280, 1000).await.unwrap();
    set_value(&c, "#res-hours", "5").await;
    submit(&c, add_resource).await;
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
    submit(
        &c,
        "form[action='/c/data-guild/mentoring/offers'] button[type=submit]",
    )
    .await;
    wait_for(&c, ".flash.ok").await;
    set_value(&c, "input[name=completed_on]", "2026-11-01").await;
    submit(&c, "form:has(input[name=completed_on]) button").await;
    wait_for(&c, ".flash.ok").await;
    let page = body_text(&c).await;
    assert!(page.contains("you completed it 2026-11-01"), "{page}");
    assert!(page.contains("Query tuning"), "{page}");
    eprintln!("screenshots in {}", out.display());
}

/// Signs in as `handle`, opens `page`, submits the form whose `action` field is `action`, and
/// waits for the confirmation.
async fn act_as(c: &Client, base: &str, handle: &str, page: &str, action: &str) {
    sign_in(c, base, handle).await;
    c.goto(page).await.unwrap();
    submit(
        c,
        &format!("form:has(input[name=action][value={action}]) button"),
    )
    .await;
    wait_for(c, ".flash.ok").await;
    sign_out(c).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_posted_filled_delivered_paid_and_reviewed_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    // Accounts, the member's skill and the operator's deposit are set up directly; the rest is
    // clicked.
    tokio::task::spawn_blocking(move || {
        use guildhall_app::testing::{member, sign_up_input};
        let operator = app
            .accounts()
            .create_account(sign_up_input("operator"), true)
            .unwrap();
        member(&app, "client");
        let ana = member(&app, "ana");
        let skill = guildhall_app::profiles::ItemInput {
            audiences: vec!["members".into()],
            data: serde_json::from_value(
                serde_json::json!({"kind": "skill", "label": "SQL", "level": 4}),
            )
            .unwrap(),
        };
        app.profiles().add_item(&ana, skill).unwrap();
        let eur = guildhall_domain::money::Currency::parse("EUR").unwrap();
        app.work()
            .confirm_deposit(
                &operator,
                "client",
                guildhall_domain::money::Money::new(300_000, eur),
                "seed",
            )
            .unwrap();
    })
    .await
    .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;

    // The client posts the job.
    sign_in(&c, &base, "client").await;
    c.goto(&format!("{base}/jobs/new")).await.unwrap();
    fill(&c, "#title", "Speed up the nightly warehouse load").await;
    fill(
        &c,
        "#description",
        "It takes three hours; it should take one.",
    )
    .await;
    fill(&c, "#skill-1", "SQL").await;
    fill(&c, "#budget_min", "1500").await;
    fill(&c, "#budget_max", "2200").await;
    set_value(&c, "#starts_on", "2099-01-01").await;
    set_value(&c, "#ends_on", "2099-02-15").await;
    submit(&c, "button[name=publish][value=open]").await;
    wait_for(&c, ".flash.ok").await;
    let job = c.current_url().await.unwrap();
    let job = format!("{base}{}", job.path());
    sign_out(&c).await;

    // The member proposes.
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/jobs")).await.unwrap();
    click(&c, "a[href^='/jobs/0']").await;
    fill(
        &c,
        "#note",
        "I cut a similar load from four hours to forty minutes.",
    )
    .await;
    fill(&c, "#rate", "2000").await;
    fill(&c, "#availability", "From January, 20 hours a week").await;
    submit(&c, "form:has(input[value=propose]) button").await;
    wait_for(&c, ".flash.ok").await;
    sign_out(&c).await;

    // The client compares and offers two milestones.
    sign_in(&c, &base, "client").await;
    c.goto(&job).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("SQL 4/3 ✓") && text.contains("€2,000.00"),
        "{text}"
    );
    std::fs::write(out.join("proposals.png"), c.screenshot().await.unwrap()).unwrap();

    // Every main page fits a phone, the job page with its proposals too.
    let (width, height) = c.get_window_size().await.unwrap();
    c.set_window_size(390, 900).await.unwrap();
    c.goto(&job).await.unwrap();
    wait_for(&c, "table.compare").await;
    fits_the_window(&c, &job).await;
    std::fs::write(out.join("job-phone.png"), c.screenshot().await.unwrap()).unwrap();
    for page in [
        "/",
        "/jobs",
        "/jobs/new",
        "/work",
        "/communities",
        "/directory?skill=sql",
        "/me/profile",
        "/me/personas",
        "/me/connections",
        "/me/suggestions",
        "/me/evidence",
        "/settings",
        "/settings/notifications",
        "/notifications",
        "/forgot-password",
        "/evidence",
        "/u/ana",
        "/work/statement",
    ] {
        c.goto(&format!("{base}{page}")).await.unwrap();
        wait_for(&c, "footer.site").await;
        fits_the_window(&c, page).await;
    }
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();
    c.goto(&job).await.unwrap();
    click(&c, "table.compare details summary").await;
    fill(&c, "input[name=m_title]", "Load under an hour").await;
    fill(&c, "input[name=m_amount]", "1200").await;
    fill(
        &c,
        ".milestone-row:nth-of-type(2) input[name=m_title]",
        "Runbook and handover",
    )
    .await;
    fill(
        &c,
        ".milestone-row:nth-of-type(2) input[name=m_amount]",
        "800",
    )
    .await;
    set_value(
        &c,
        ".milestone-row:nth-of-type(2) input[name=m_due]",
        "2099-02-15",
    )
    .await;
    // A refused offer comes back with every row as typed, the message beside the milestone.
    set_value(
        &c,
        ".milestone-row:nth-of-type(2) input[name=m_title]",
        &"Runbook ".repeat(30),
    )
    .await;
    submit(&c, "form:has(input[value=offer]) button[type=submit]").await;
    for (css, typed) in [
        ("input[name=m_title]", "Load under an hour"),
        ("input[name=m_amount]", "1200"),
        (".milestone-row:nth-of-type(2) input[name=m_amount]", "800"),
        (
            ".milestone-row:nth-of-type(2) input[name=m_due]",
            "2099-02-15",
        ),
    ] {
        let kept = c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some(typed), "{css} after a refused offer");
    }
    assert!(
        body_text(&c).await.to_lowercase().contains("milestone 2"),
        "the message names the row"
    );
    fill(
        &c,
        ".milestone-row:nth-of-type(2) input[name=m_title]",
        "Runbook and handover",
    )
    .await;
    submit(&c, "form:has(input[value=offer]) button[type=submit]").await;
    wait_for(&c, ".flash.ok").await;
    std::fs::write(out.join("offer-fees.png"), c.screenshot().await.unwrap()).unwrap();
    let contract = c.current_url().await.unwrap();
    let contract = format!("{base}{}", contract.path());
    sign_out(&c).await;

    // Accept, then each milestone: fund, deliver, accept and release.
    act_as(&c, &base, "ana", &contract, "accept-offer").await;
    // The first milestone is delivered with a message, a link and a file; the client reads
    // them, downloads the file and accepts.
    act_as(&c, &base, "client", &contract, "fund").await;
    sign_in(&c, &base, "ana").await;
    c.goto(&contract).await.unwrap();
    let findings =
        "# Findings\nThe load scans the orders table; an index by day cuts it to 40 minutes.\n";
    let path = out.join("findings.md");
    std::fs::write(&path, findings).unwrap();
    fill(
        &c,
        "form.deliver textarea[name=message]",
        "The diagnosis, with my notes.",
    )
    .await;
    fill(
        &c,
        "form.deliver textarea[name=links]",
        "https://example.org/plans",
    )
    .await;
    on_element(&c, "form.deliver input[type=file]", |el| {
        let path = path.display().to_string();
        async move { el.send_keys(&path).await }
    })
    .await;
    std::fs::write(out.join("deliver-form.png"), c.screenshot().await.unwrap()).unwrap();
    submit(&c, "form.deliver button[type=submit]").await;
    wait_for(&c, ".flash.ok").await;
    sign_out(&c).await;
    sign_in(&c, &base, "client").await;
    c.goto(&contract).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("The diagnosis, with my notes.") && text.contains("findings.md"),
        "{text}"
    );
    let href = c
        .find(Locator::Css(".delivery .files a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let downloaded = c
        .execute_async(
            "const [href, done] = arguments; fetch(href).then(r => r.text()).then(done);",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(
        downloaded,
        serde_json::json!(findings),
        "the client downloads the file"
    );
    std::fs::write(out.join("delivery.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "delivery-phone.png", (width, height)).await;
    submit(&c, "form:has(input[name=action][value=accept]) button").await;
    wait_for(&c, ".flash.ok").await;
    sign_out(&c).await;
    // The second is delivered bare.
    act_as(&c, &base, "client", &contract, "fund").await;
    act_as(&c, &base, "ana", &contract, "submit").await;
    act_as(&c, &base, "client", &contract, "accept").await;

    // Both review; the second review reveals both.
    for (who, mark) in [("ana", "5"), ("client", "4")] {
        sign_in(&c, &base, who).await;
        c.goto(&contract).await.unwrap();
        set_value(&c, "select[name=overall]", mark).await;
        fill(
            &c,
            "#review-text",
            &format!("{who} says: a pleasure to work with."),
        )
        .await;
        submit(&c, "form:has(input[value=review]) button").await;
        wait_for(&c, ".flash.ok").await;
        if who == "ana" {
            sign_out(&c).await;
        }
    }
    let text = body_text(&c).await;
    assert!(
        text.contains("completed") && text.contains("delivered on time"),
        "{text}"
    );
    assert!(text.contains("ana says: a pleasure"), "revealed: {text}");
    std::fs::write(
        out.join("milestone-timeline.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.goto(&format!("{base}/work")).await.unwrap();
    assert!(
        body_text(&c).await.contains("€1,000.00"),
        "3000.00 deposited, 2000.00 paid"
    );
    std::fs::write(out.join("work.png"), c.screenshot().await.unwrap()).unwrap();
    c.goto(&format!("{base}/work/statement")).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("€3,000.00") && text.contains("€2,000.00"),
        "{text}"
    );
    std::fs::write(out.join("statement.png"), c.screenshot().await.unwrap()).unwrap();
    sign_out(&c).await;

    // Ana was told of each step: the badge counts it, the inbox says it, and a notification
    // leads to the contract.
    sign_in(&c, &base, "ana").await;
    let badge = c
        .find(Locator::Css("a[href='/notifications'] .count"))
        .await
        .expect("the unread badge beside Inbox")
        .text()
        .await
        .unwrap();
    assert!(badge.parse::<u32>().unwrap() >= 6, "badge: {badge}");
    c.goto(&format!("{base}/notifications")).await.unwrap();
    let text = body_text(&c).await;
    for words in [
        "@client funded €1,200.00",
        "@client accepted your delivery",
        "was released to you",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    std::fs::write(out.join("inbox.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "inbox-phone.png", (width, height)).await;
    click(&c, "ul.notifications li a").await;
    wait_for(&c, "footer.site").await;
    assert_eq!(
        c.current_url().await.unwrap().path(),
        contract.trim_start_matches(&base),
        "the newest notification leads to the contract"
    );

    // Ana shows her on-time delivery to clients only, then reads her evidence.
    c.goto(&format!("{base}/me/profile")).await.unwrap();
    click(&c, "details:has(#new-reputation-figure) > summary").await;
    set_value(&c, "#new-reputation-figure", "on_time").await;
    click(
        &c,
        "form:has(#new-reputation-figure) input[name=audiences][value=public]",
    )
    .await;
    click(
        &c,
        "form:has(#new-reputation-figure) input[name=audiences][value=clients]",
    )
    .await;
    submit(&c, "form:has(#new-reputation-figure) button[type=submit]").await;
    wait_for(&c, ".flash.ok").await;
    c.goto(&format!("{base}/me/evidence")).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("Evidence timeline")
            && text.contains("Milestone delivered on time")
            && text.contains("Download proof")
            && text.contains("Offers answered within two days"),
        "{text}"
    );
    std::fs::write(out.join("evidence.png"), c.screenshot().await.unwrap()).unwrap();
    // Her own pages sit behind her handle in the navigation.
    click(&c, "details.menu > summary").await;
    assert!(
        c.find(Locator::Css("details.menu a[href='/me/evidence']"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    std::fs::write(out.join("nav-menu.png"), c.screenshot().await.unwrap()).unwrap();
    // The proof link downloads a bundle of one entry that verifies against the log's key.
    let href = c
        .find(Locator::Css("a.proof"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    c.goto(&format!("{base}{href}")).await.unwrap();
    let bundle: guildhall_domain::evidence::bundle::Bundle = serde_json::from_str(
        &c.find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(bundle.verify(&log_key().verifying_key()).ok());
    assert_eq!(bundle.entries.len(), 1);
    c.goto(&format!("{base}/me/evidence")).await.unwrap();

    // Ana saves where her money goes and pays part of her earnings out; the operator sends it.
    c.goto(&format!("{base}/work/money")).await.unwrap();
    fill(&c, "#label", "Savings account").await;
    fill(
        &c,
        "#details",
        "Ana Nunes, IBAN PT50 0002 0123 1234 5678 9015 4",
    )
    .await;
    submit(&c, "form:has(input[value=add-method]) button").await;
    wait_for(&c, ".flash.ok").await;
    // Too much first: the form comes back with the amount as typed and why beside it.
    fill(&c, "#payout-amount", "99999").await;
    submit(&c, "form:has(input[value=payout]) button").await;
    let refused = body_text(&c).await;
    assert!(
        refused.contains("There is not enough money to pay out €99,999.00"),
        "{refused}"
    );
    let typed = c
        .find(Locator::Css("#payout-amount"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some("99999"));
    fill(&c, "#payout-amount", "500.00").await;
    submit(&c, "form:has(input[value=payout]) button").await;
    wait_for(&c, ".flash.ok").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("€500.00 on its way to Savings account") && text.contains("€1,300.00"),
        "{text}"
    );
    std::fs::write(out.join("money.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "money-phone.png", (width, height)).await;
    sign_out(&c).await;
    sign_in(&c, &base, "operator").await;
    c.goto(&format!("{base}/admin/payouts")).await.unwrap();
    assert!(body_text(&c).await.contains("IBAN PT50"));
    std::fs::write(out.join("admin-payouts.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "admin-payouts-phone.png", (width, height)).await;
    fill(&c, "input[name=reference]", "SEPA 2026-12-05 118").await;
    submit(&c, "form:has(input[name=action][value=paid]) button").await;
    wait_for(&c, ".flash.ok").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("No payouts are waiting") && text.contains("Reference SEPA 2026-12-05 118"),
        "{text}"
    );
    sign_out(&c).await;
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/work/statement")).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("€500.00"),
        "the statement shows the payout: {text}"
    );
    // The payout's receipt, the last movement's.
    let href = c
        .execute(
            "const links = document.querySelectorAll('a[href^=\"/work/receipts/\"]'); return links[links.length - 1].getAttribute('href');",
            vec![],
        )
        .await
        .unwrap();
    c.goto(&format!("{base}{}", href.as_str().unwrap()))
        .await
        .unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("Receipt")
            && text.contains("Sent to Savings account (reference SEPA 2026-12-05 118)")
            && text.contains("€500.00"),
        "{text}"
    );
    std::fs::write(out.join("receipt.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "receipt-phone.png", (width, height)).await;
    c.goto(&format!("{base}/notifications")).await.unwrap();
    assert!(
        body_text(&c)
            .await
            .contains("Your payout of €500.00 was sent")
    );
    sign_out(&c).await;

    // The client sees the figure with its "why"; a visitor does not.
    sign_in(&c, &base, "client").await;
    c.goto(&format!("{base}/u/ana")).await.unwrap();
    click(&c, ".reputation .figure details > summary").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("On-time delivery") && text.contains("90 % interval"),
        "{text}"
    );
    std::fs::write(
        out.join("reputation-panel.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    sign_out(&c).await;
    c.goto(&format!("{base}/u/ana")).await.unwrap();
    assert!(!body_text(&c).await.contains("On-time delivery"));
    c.goto(&format!("{base}/evidence")).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("Newest checkpoint")
            && text.contains(&hex::encode(log_key().verifying_key().as_bytes())),
        "{text}"
    );
    std::fs::write(out.join("checkpoint.png"), c.screenshot().await.unwrap()).unwrap();
}

/// Checks that the page fits a phone's width (390 px) and saves its screenshot as `name`,
/// then gives the window back its `size`.
async fn on_a_phone(c: &Client, out: &std::path::Path, name: &str, size: (u64, u64)) {
    c.set_window_size(390, 900).await.unwrap();
    fits_the_window(c, name).await;
    std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    c.set_window_size(size.0 as u32, size.1 as u32)
        .await
        .unwrap();
}

/// A skill claim at `level` shown to everyone.
fn public_skill(label: &str, level: u8) -> guildhall_app::profiles::ItemInput {
    guildhall_app::profiles::ItemInput {
        audiences: vec!["public".into()],
        data: guildhall_domain::profile::ItemData::Skill {
            skill_id: None,
            label: label.into(),
            level,
            years: None,
            note: String::new(),
            source: guildhall_domain::profile::ClaimSource::SelfClaimed,
            suggested_by: None,
        },
    }
}

/// The page fits the window: no sideways scrolling.
async fn fits_the_window(c: &Client, page: &str) {
    let fits = c
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, serde_json::json!(true), "{page} scrolls sideways");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swagger_ui_and_the_operators_desk_work_under_the_content_security_policy() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    guildhall_app::testing::operator(&app, "operator");
    let base = format!("http://{addr}");
    let (_driver, c) = start_browser(profile_dir.path()).await;

    // Swagger UI runs from its own files only: the policy refuses anything inline.
    c.goto(&format!("{base}/api/docs/")).await.unwrap();
    wait_for(&c, ".swagger-ui .info .title").await;
    wait_for(&c, ".opblock-tag").await;
    let title = c
        .execute(
            "return document.querySelector('.swagger-ui .info .title').innerText;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        title.as_str().unwrap_or_default().contains("Guildhall API"),
        "{title}"
    );
    std::fs::write(out.join("api-docs.png"), c.screenshot().await.unwrap()).unwrap();

    // htmx is loaded and injected no style of its own.
    sign_in(&c, &base, "operator").await;
    let probe = c
        .execute(
            "return [typeof htmx, document.querySelectorAll('style').length];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(probe, serde_json::json!(["object", 0]));

    // The desk, at a desktop width and a phone's.
    for (width, name) in [(1280, "admin-desk.png"), (390, "admin-desk-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.goto(&format!("{base}/admin")).await.unwrap();
        wait_for(&c, "form[action='/admin/policy']").await;
        fits_the_window(&c, "/admin").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    // The browser holds back a limit out of range before it is sent (the server's own
    // refusal, with the value kept, is tested in the web tests).
    set_value(&c, "#per_token", "0").await;
    let valid = c
        .execute(
            "return document.querySelector(\"form[action='/admin/policy']\").checkValidity();",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(valid, serde_json::json!(false));
    eprintln!("screenshots in {}", out.display());
}

/// Two members exchange messages: one in the browser, the other through the application. The
/// badge beside "Messages" and the open conversation take in new messages without a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_members_exchange_messages_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let ana = guildhall_app::testing::member(&app, "ana");
    let ben = guildhall_app::testing::member(&app, "ben");
    app.communities()
        .create_community(
            &ana,
            guildhall_app::communities::CommunityInput {
                name: "Data Guild".into(),
                slug: "data-guild".into(),
                ..Default::default()
            },
        )
        .unwrap();
    app.communities()
        .join_community(&ben, "data-guild")
        .unwrap();
    let base = format!("http://{addr}");
    let (_driver, c) = start_browser(profile_dir.path()).await;
    sign_in(&c, &base, "ben").await;
    c.goto(&format!("{base}/messages")).await.unwrap();
    assert!(body_text(&c).await.contains("No conversations yet"));

    // Ana writes; the badge on Ben's open page counts it within one refresh.
    let conversation = app
        .conversations()
        .start(
            &ana,
            guildhall_app::conversations::NewConversation {
                to: vec!["ben".into()],
                title: String::new(),
                body: "Could you review the **pipeline** this week?".into(),
            },
        )
        .unwrap();
    wait_for(&c, "#nav-messages .count").await;
    let badge = c
        .find(Locator::Css("#nav-messages .count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(badge, "1");

    click(&c, "#nav-messages").await;
    click(&c, &format!("a[href='/messages/{}']", conversation.id)).await;
    wait_for(&c, "#messages strong").await;
    assert!(
        body_text(&c)
            .await
            .contains("Could you review the pipeline")
    );
    fill(&c, "#body", "Yes, on Thursday. @ana, which branch?").await;
    // With a file: the review checklist.
    let checklist = "- tests pass\n- no new warnings\n";
    let path = out.join("review-checklist.txt");
    std::fs::write(&path, checklist).unwrap();
    on_element(&c, "#files", |el| {
        let path = path.display().to_string();
        async move { el.send_keys(&path).await }
    })
    .await;
    submit(
        &c,
        "form[action^='/messages/'] button[type=submit]:not(.small)",
    )
    .await;
    assert!(body_text(&c).await.contains("which branch?"));
    let href = c
        .find(Locator::Css("#messages .files a"))
        .await
        .expect("the message shows its file")
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let fetched = c
        .execute_async(
            "const [href, done] = arguments; fetch(href).then(r => r.text()).then(done);",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(fetched, serde_json::json!(checklist));
    assert!(
        c.find(Locator::Css("#nav-messages .count")).await.is_err(),
        "reading the conversation clears the badge"
    );

    // Ana answers; it appears on Ben's open page without a reload.
    let answer = app
        .conversations()
        .send(&ana, &conversation.id, "The `main` branch, thanks!")
        .unwrap();
    wait_for(&c, &format!("#m-{}", answer.id)).await;
    let thread = app
        .conversations()
        .show(&ana, &conversation.id, "")
        .unwrap();
    assert!(thread.messages[1].html.contains("which branch?"));
    assert_eq!(thread.messages[1].files[0].name, "review-checklist.txt");
    let told = app
        .notifications()
        .inbox(&ana, &guildhall_app::PageRequest::default())
        .unwrap();
    assert_eq!(told.items[0].text, "@ben mentioned you in a conversation");

    for (width, name) in [(1280, "conversation.png"), (390, "conversation-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.goto(&format!("{base}/messages/{}", conversation.id))
            .await
            .unwrap();
        wait_for(&c, "#messages").await;
        fits_the_window(&c, "/messages/{id}").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    for (width, name) in [(1280, "messages.png"), (390, "messages-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.goto(&format!("{base}/messages")).await.unwrap();
        wait_for(&c, "form[action='/messages']").await;
        fits_the_window(&c, "/messages").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    eprintln!("screenshots in {}", out.display());
}

/// A client is told of a delivery, follows the notification to the contract, and finds it on
/// "Your day" too; the settings with addresses, sessions and two-factor sign-in fit a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_reaches_the_inbox_and_the_day_in_a_real_browser() {
    use guildhall_app::work::{MilestoneInput, OfferInput};
    use guildhall_domain::money::{Currency, Money};
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let operator = guildhall_app::testing::operator(&app, "operator");
    let client = guildhall_app::testing::member(&app, "client");
    let ana = guildhall_app::testing::member(&app, "ana");
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(&operator, "client", Money::new(500_000, eur), "seed")
        .unwrap();
    let contract = app
        .work()
        .offer_contract(
            &client,
            OfferInput {
                member: "ana".into(),
                title: "Index audit".into(),
                currency: "EUR".into(),
                milestones: vec![MilestoneInput {
                    title: "Report".into(),
                    amount: 100_000,
                    due_on: "2099-01-15".into(),
                    by_learner: false,
                }],
                community: None,
                referrer: None,
                hourly: None,
                learner: None,
            },
        )
        .unwrap();
    let m = contract.milestones[0].id.clone();
    app.work().answer_offer(&ana, &contract.id, true).unwrap();
    app.work()
        .fund_milestone(&client, &contract.id, &m, "fund")
        .unwrap();
    app.work().submit_milestone(&ana, &contract.id, &m).unwrap();

    let base = format!("http://{addr}");
    let (_driver, c) = start_browser(profile_dir.path()).await;
    sign_in(&c, &base, "client").await;
    c.goto(&format!("{base}/notifications")).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("@ana delivered work on “Index audit”"),
        "{text}"
    );
    click(&c, "ul.notifications li:first-child a").await;
    c.wait()
        .for_url(&url::Url::parse(&format!("{base}/work/contracts/{}", contract.id)).unwrap())
        .await
        .unwrap();

    for (width, name) in [(1280, "digest.png"), (390, "digest-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.goto(&format!("{base}/digest")).await.unwrap();
        wait_for(&c, "#deadlines").await;
        assert!(
            body_text(&c)
                .await
                .contains("Accept or return “Report” of “Index audit”")
        );
        fits_the_window(&c, "/digest").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    click(&c, "ul.digest a").await;
    wait_for(&c, "h1").await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/work/contracts/")
    );

    for (page, name) in [
        ("/settings", "settings-phone.png"),
        ("/settings/notifications", "notification-settings-phone.png"),
    ] {
        c.goto(&format!("{base}{page}")).await.unwrap();
        wait_for(&c, "main h1").await;
        fits_the_window(&c, page).await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    eprintln!("screenshots in {}", out.display());
}
