//! A client opens Find talent on their job, reads why each member fits, and invites one to
//! propose in a click; the member finds the job under Work for you, posted by a connection.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_finds_talent_and_the_member_finds_the_work_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    let job = tokio::task::spawn_blocking(move || {
        use guildhall_app::testing::member;
        let client = member(&app, "client");
        let skill = |label: &str, level: u8, audience: &str| guildhall_app::profiles::ItemInput {
            audiences: vec![audience.into()],
            data: serde_json::from_value(
                serde_json::json!({"kind": "skill", "label": label, "level": level}),
            )
            .unwrap(),
        };
        let ana = member(&app, "ana");
        app.profiles()
            .add_item(&ana, skill("SQL", 5, "members"))
            .unwrap();
        app.profiles()
            .add_item(&ana, skill("Python", 3, "members"))
            .unwrap();
        // Ana and the client are connected: it counts on both sides.
        let asked = app.profiles().request_connection(&client, "ana").unwrap();
        app.profiles().accept_connection(&ana, &asked.id).unwrap();
        let bob = member(&app, "bob");
        app.profiles()
            .add_item(&bob, skill("SQL", 2, "public"))
            .unwrap();
        let input: guildhall_domain::job::JobInput = serde_json::from_value(serde_json::json!({
            "title": "Speed up the nightly warehouse load",
            "skills": [{"label": "SQL", "weight": 5, "min_level": 4},
                       {"label": "Python", "weight": 2, "min_level": 2}],
            "pricing": "fixed", "budget_min": 150000, "budget_max": 220000, "currency": "EUR",
            "starts_on": "2099-01-04", "ends_on": "2099-02-26", "remote": true
        }))
        .unwrap();
        app.work().post_job(&client, input).unwrap().id
    })
    .await
    .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;
    sign_in(&c, &base, "client").await;
    c.goto(&format!("{base}/jobs/{job}")).await.unwrap();
    click(&c, &format!("a[href='/jobs/{job}/talent']")).await;
    wait_for(&c, "ol.talent").await;
    let text = body_text(&c).await;
    assert!(text.contains("SQL, at level 5 (4 asked)"), "{text}");
    assert!(
        text.contains("SQL, at level 2, below the 4 asked"),
        "{text}"
    );
    assert!(text.contains("shows no Python"), "{text}");
    assert!(text.contains("a connection of yours"), "{text}");
    assert!(
        text.find("@ana").unwrap() < text.find("@bob").unwrap(),
        "ana fits better: {text}"
    );
    for (width, name) in [(1280, "talent.png"), (390, "talent-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.goto(&format!("{base}/jobs/{job}/talent")).await.unwrap();
        wait_for(&c, "ol.talent").await;
        fits_the_window(&c, "/jobs/{id}/talent").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    c.set_window_size(1280, 1000).await.unwrap();
    submit(&c, "ol.talent li:first-child button[type=submit]").await;
    let text = body_text(&c).await;
    assert!(text.contains("invited by @client"), "{text}");
    sign_out(&c).await;

    // The member finds the job under Work for you, from the jobs list.
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/jobs")).await.unwrap();
    click(&c, "a[href='/jobs/for-you']").await;
    wait_for(&c, "ol.talent").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Speed up the nightly warehouse load")
            && text.contains("SQL, at level 5 (4 asked)")
            && text.contains("posted by a connection of yours"),
        "{text}"
    );
    for (width, name) in [(1280, "for-you.png"), (390, "for-you-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.goto(&format!("{base}/jobs/for-you")).await.unwrap();
        wait_for(&c, "ol.talent").await;
        fits_the_window(&c, "/jobs/for-you").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
        c.goto(&format!("{base}/jobs")).await.unwrap();
        wait_for(&c, "footer.site").await;
        fits_the_window(&c, "/jobs").await;
    }
    eprintln!("screenshots in {}", out.display());
}
