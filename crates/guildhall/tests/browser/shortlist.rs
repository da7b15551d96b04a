//! A curator puts a member of their community forward for a client's job with a note; the
//! client reads it on the job, searches the jobs list, and keeps a talent search without a job.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_curator_shortlists_and_a_client_searches_in_a_real_browser() {
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
        use guildhall_domain::community::Role;
        let (founder, cora, ana, client) = (
            member(&app, "founder"),
            member(&app, "cora"),
            member(&app, "ana"),
            member(&app, "client"),
        );
        app.communities()
            .create_community(
                &founder,
                guildhall_app::communities::CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        for who in [&cora, &ana] {
            app.communities().join_community(who, "data-guild").unwrap();
        }
        app.communities()
            .set_community_role(&founder, "data-guild", "cora", Role::Curator)
            .unwrap();
        let skill = |label: &str, level: u8| guildhall_app::profiles::ItemInput {
            audiences: vec!["members".into()],
            data: serde_json::from_value(
                serde_json::json!({"kind": "skill", "label": label, "level": level}),
            )
            .unwrap(),
        };
        app.profiles().add_item(&ana, skill("SQL", 5)).unwrap();
        let post = |title: &str, skills: serde_json::Value, remote: bool| {
            let input: guildhall_domain::job::JobInput =
                serde_json::from_value(serde_json::json!({
                    "title": title, "skills": skills,
                    "pricing": "hourly", "budget_min": 6000, "budget_max": 9000, "currency": "EUR",
                    "starts_on": "2099-01-04", "ends_on": "2099-02-26", "remote": remote,
                    "place": if remote { "" } else { "Lisbon" }
                }))
                .unwrap();
            app.work().post_job(&client, input).unwrap().id
        };
        post(
            "Design the onboarding screens",
            serde_json::json!([{"label": "Figma"}]),
            false,
        );
        post(
            "Speed up the nightly warehouse load",
            serde_json::json!([{"label": "SQL", "weight": 5, "min_level": 4}]),
            true,
        )
    })
    .await
    .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;

    // The curator ranks the guild's members for the job and puts ana forward.
    sign_in(&c, &base, "cora").await;
    c.goto(&format!("{base}/jobs/{job}")).await.unwrap();
    click(&c, &format!("a[href='/jobs/{job}/shortlist']")).await;
    wait_for(&c, "ol.talent").await;
    for (width, name) in [(1280, "shortlist.png"), (390, "shortlist-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.goto(&format!("{base}/jobs/{job}/shortlist"))
            .await
            .unwrap();
        wait_for(&c, "ol.talent").await;
        fits_the_window(&c, "/jobs/{id}/shortlist").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    c.set_window_size(1280, 1000).await.unwrap();
    fill(
        &c,
        "#note-ana",
        "She cut our own warehouse load from 3 hours to 40 minutes.",
    )
    .await;
    submit(&c, "ol.talent li:first-child button[type=submit]").await;
    let text = body_text(&c).await;
    assert!(text.contains("Put forward. The client sees them"), "{text}");
    sign_out(&c).await;

    // The client reads the note on the job.
    sign_in(&c, &base, "client").await;
    c.goto(&format!("{base}/jobs/{job}")).await.unwrap();
    wait_for(&c, "#shortlist").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Put forward by curators")
            && text.contains("cut our own warehouse load")
            && text.contains("by @cora"),
        "{text}"
    );
    std::fs::write(out.join("job-shortlist.png"), c.screenshot().await.unwrap()).unwrap();

    // The jobs list, searched: a member's view of it (the client's own jobs are apart).
    sign_out(&c).await;
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/jobs")).await.unwrap();
    fill(&c, "#q", "warehouse").await;
    click(&c, "form[role=search] summary").await;
    click(&c, "input[name=remote]").await;
    submit(&c, "form[role=search] button[type=submit]").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Speed up the nightly warehouse load")
            && !text.contains("Design the onboarding screens"),
        "{text}"
    );
    fill(&c, "#pays_at_least", "lots").await;
    submit(&c, "form[role=search] button[type=submit]").await;
    let text = body_text(&c).await;
    assert!(text.contains("The amount must be"), "{text}");
    assert_eq!(
        c.find(Locator::Css("#q"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("warehouse"),
        "what was typed stays"
    );
    for (width, name) in [(1280, "jobs-search.png"), (390, "jobs-search-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.goto(&format!("{base}/jobs?q=warehouse&remote=yes"))
            .await
            .unwrap();
        wait_for(&c, "footer.site").await;
        fits_the_window(&c, "/jobs?q=").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    sign_out(&c).await;

    // A talent search kept without a job.
    c.set_window_size(1280, 1000).await.unwrap();
    sign_in(&c, &base, "client").await;
    c.goto(&format!("{base}/talent")).await.unwrap();
    fill(&c, "#name", "Warehouse people").await;
    fill(&c, "#skill-1", "SQL").await;
    submit(&c, "form[action='/talent'] button[type=submit]").await;
    wait_for(&c, "ol.talent").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Search saved") && text.contains("@ana"),
        "{text}"
    );
    for (width, name) in [(1280, "saved-search.png"), (390, "saved-search-phone.png")] {
        c.set_window_size(width, 1000).await.unwrap();
        c.refresh().await.unwrap();
        wait_for(&c, "ol.talent").await;
        fits_the_window(&c, "/talent/{id}").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    c.goto(&format!("{base}/talent")).await.unwrap();
    wait_for(&c, "footer.site").await;
    fits_the_window(&c, "/talent").await;
    eprintln!("screenshots in {}", out.display());
}
