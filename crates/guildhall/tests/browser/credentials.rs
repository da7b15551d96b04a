//! Credentials in the browser: the client approves the last milestone, the member asks for the
//! credential of the completed contract, downloads it, shares it by link; signed out, the
//! link's page says it is verified.

use super::*;
use guildhall_domain::money::{Currency, Money};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_earns_downloads_and_shares_a_credential_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    let setup = app.clone();
    let contract = tokio::task::spawn_blocking(move || {
        use guildhall_app::testing::{member, one_milestone_offer, operator};
        let op = operator(&setup, "operator");
        let (client, ana) = (member(&setup, "client"), member(&setup, "ana"));
        let eur = Currency::parse("EUR").unwrap();
        setup
            .work()
            .confirm_deposit(&op, "client", Money::new(200_000, eur), "seed")
            .unwrap();
        let k = setup
            .work()
            .offer_contract(
                &client,
                one_milestone_offer("ana", "Data pipeline review", "2099-01-01"),
            )
            .unwrap();
        let m = k.milestones[0].id.clone();
        setup.work().answer_offer(&ana, &k.id, true).unwrap();
        setup
            .work()
            .fund_milestone(&client, &k.id, &m, "f")
            .unwrap();
        setup.work().submit_milestone(&ana, &k.id, &m).unwrap();
        k.id
    })
    .await
    .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;
    let (width, height) = (1280u64, 900u64);
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();

    // The client approves the delivery: the contract is complete.
    sign_in(&c, &base, "client").await;
    c.goto(&format!("{base}/work/contracts/{contract}"))
        .await
        .unwrap();
    submit(&c, "form:has(input[value=accept]) button").await;
    wait_for(&c, ".flash.ok").await;
    sign_out(&c).await;

    // Ana asks for the credential from her wallet.
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/me/credentials")).await.unwrap();
    let text = body_text(&c).await;
    assert!(text.contains("None yet"), "{text}");
    assert!(text.contains("Delivered: Data pipeline review"), "{text}");
    submit(&c, "form:has(input[value=request]) button").await;
    wait_for(&c, ".flash.ok").await;
    let text = body_text(&c).await;
    assert!(text.contains("Credential issued"), "{text}");
    assert!(text.contains("Nothing new to ask for"), "{text}");

    // The download is the signed credential.
    let downloaded = c
        .execute_async(
            "const done = arguments[0];
             const a = document.querySelector('a[download][href^=\"/me/credentials/\"]');
             fetch(a.href).then(r => r.json()).then(done, e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(downloaded["type"][1], "OpenBadgeCredential", "{downloaded}");
    assert_eq!(downloaded["proof"]["cryptosuite"], "eddsa-jcs-2022");

    // She shares it by link.
    submit(&c, "form:has(input[value=share]) button").await;
    wait_for(&c, "input.copy").await;
    let link = c
        .find(Locator::Css("input.copy"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(
        link.starts_with(&format!("{base}/credentials/shared/")),
        "{link}"
    );
    std::fs::write(out.join("wallet.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "wallet-phone.png", (width, height)).await;

    // She shows it on her profile to everyone.
    click(&c, "li.item details:has(input[value=show]) summary").await;
    click(&c, "form:has(input[value=show]) input[value=public]").await;
    submit(&c, "form:has(input[value=show]) button").await;
    wait_for(&c, ".flash.ok").await;
    assert!(body_text(&c).await.contains("shown to"));

    // She lets the people she worked with name her in their credentials.
    click(&c, "form:has(input[value=naming]) input[name=allowed]").await;
    submit(&c, "form:has(input[value=naming]) button").await;
    wait_for(&c, ".flash.ok").await;
    let checked = c
        .execute(
            "return document.querySelector('form:has(input[value=naming]) input[name=allowed]').checked;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(checked, serde_json::json!(true));

    // A revoke form without a reason comes back with the message beside the field.
    click(&c, "li.item details:has(input[value=revoke]) summary").await;
    fill(&c, "input[name=reason]", " ").await;
    submit(&c, "form:has(input[value=revoke]) button").await;
    wait_for(&c, ".field-error").await;
    sign_out(&c).await;

    // Signed out, the link shows the credential, checked: verified.
    c.goto(&link).await.unwrap();
    wait_for(&c, "h1").await;
    let text = body_text(&c).await;
    assert!(text.contains("Delivered: Data pipeline review"), "{text}");
    assert!(text.contains("Verified."), "{text}");
    assert!(text.contains("@ana"), "{text}");
    assert!(!text.contains("failed"), "{text}");
    std::fs::write(
        out.join("credential-shared.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    on_a_phone(&c, &out, "credential-shared-phone.png", (width, height)).await;

    // Her public profile lists it, linked to the same page.
    c.goto(&format!("{base}/u/ana")).await.unwrap();
    wait_for(&c, ".credential-entry a").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Credentials") && text.contains("Delivered: Data pipeline review"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_prepares_and_downloads_a_full_export_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    let setup = app.clone();
    tokio::task::spawn_blocking(move || guildhall_app::testing::member(&setup, "ana"))
        .await
        .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;
    let (width, height) = (1280u64, 900u64);
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/settings")).await.unwrap();
    click(&c, "a[href='/me/export']").await;
    wait_for(&c, "#exports").await;
    assert!(body_text(&c).await.contains("None yet"));
    submit(&c, "form[action='/me/export'] button").await;
    wait_for(&c, "#exports progress").await;
    std::fs::write(
        out.join("export-waiting.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();

    // The worker prepares it; the list, reloading itself, offers the download.
    let worker = app.clone();
    tokio::task::spawn_blocking(move || worker.queue().run_due_exports(&log_key()).unwrap())
        .await
        .unwrap();
    wait_for(&c, "#exports a[href$='/download']").await;
    let zip_magic = c
        .execute_async(
            "const done = arguments[0];
             const a = document.querySelector('#exports a[href$=\"/download\"]');
             fetch(a.href).then(r => r.arrayBuffer())
               .then(b => done(Array.from(new Uint8Array(b).slice(0, 2))), e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(zip_magic, serde_json::json!([0x50, 0x4b]), "a zip archive");
    std::fs::write(out.join("export-ready.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "export-ready-phone.png", (width, height)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_curator_assesses_a_members_skill_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    let setup = app.clone();
    tokio::task::spawn_blocking(move || {
        use guildhall_app::testing::member;
        let (olga, ana) = (member(&setup, "olga"), member(&setup, "ana"));
        setup
            .communities()
            .create_community(
                &olga,
                guildhall_app::communities::CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        setup
            .communities()
            .join_community(&ana, "data-guild")
            .unwrap();
    })
    .await
    .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;
    let (width, height) = (1280u64, 900u64);
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();
    sign_in(&c, &base, "olga").await;
    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    click(&c, "details:has(input[value=assess]) summary").await;
    fill(&c, "#skill-ana", "Query tuning").await;
    fill(&c, "#note-ana", "Too short").await;
    submit(&c, "form:has(input[value=assess]) button").await;
    wait_for(&c, ".field-error").await;
    let kept = c
        .find(Locator::Css("#skill-ana"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Query tuning"));
    c.execute(
        "document.querySelector('#skill-ana').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    std::fs::write(
        out.join("assessment-refused.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    on_a_phone(&c, &out, "assessment-refused-phone.png", (width, height)).await;
    fill(
        &c,
        "#note-ana",
        "Rewrote our slowest report with window functions",
    )
    .await;
    submit(&c, "form:has(input[value=assess]) button").await;
    wait_for(&c, ".flash.ok").await;
    assert!(body_text(&c).await.contains("Assessment recorded"));
    sign_out(&c).await;

    // Ana may now ask for a credential of the skill.
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/me/credentials")).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("Query tuning") && text.contains("a curator's word"),
        "{text}"
    );
}
