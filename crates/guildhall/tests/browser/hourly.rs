//! An hourly contract in the browser: the member logs time in the week the client funded and
//! submits it; the client approves it and the hours are paid.

use super::*;
use guildhall_app::work::OfferInput;
use guildhall_app::work::hourly::HourlyInput;
use guildhall_domain::money::{Currency, Money};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_of_hours_is_logged_submitted_and_paid_in_a_real_browser() {
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
        use guildhall_app::testing::{member, operator};
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
                OfferInput {
                    member: "ana".into(),
                    title: "Data platform support".into(),
                    currency: "EUR".into(),
                    milestones: Vec::new(),
                    community: None,
                    referrer: None,
                    hourly: Some(HourlyInput {
                        rate: 4_500,
                        weekly_cap_hours: 20,
                    }),
                    learner: None,
                },
            )
            .unwrap();
        setup.work().answer_offer(&ana, &k.id, true).unwrap();
        k.id
    })
    .await
    .unwrap();
    let page = format!("{base}/work/contracts/{contract}");
    let (_driver, c) = start_browser(profile_dir.path()).await;
    let (width, height) = (1280u64, 900u64);
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();

    // The client funds this week: the form starts on its Monday.
    sign_in(&c, &base, "client").await;
    c.goto(&page).await.unwrap();
    submit(&c, "form:has(input[value=fund-week]) button").await;
    wait_for(&c, ".flash.ok").await;
    sign_out(&c).await;

    // Ana logs time: a typo first comes back as typed, then two and a half hours.
    sign_in(&c, &base, "ana").await;
    c.goto(&page).await.unwrap();
    fill(&c, "#hours-worked", "two").await;
    fill(
        &c,
        "#entry_note",
        "Reviewed the indexes of the nightly load",
    )
    .await;
    submit(&c, "form:has(input[value=log-time]) button").await;
    wait_for(&c, "#hours-error").await;
    let kept = c
        .find(Locator::Css("#entry_note"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("Reviewed the indexes of the nightly load")
    );
    fill(&c, "#hours-worked", "2.5").await;
    submit(&c, "form:has(input[value=log-time]) button").await;
    wait_for(&c, ".flash.ok").await;
    let text = body_text(&c).await;
    assert!(text.contains("2.5 hours logged · €112.50"), "{text}");
    std::fs::write(out.join("hourly-member.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "hourly-member-phone.png", (width, height)).await;
    // She submits the week.
    fill(&c, "textarea[name=message]", "This week's hours.").await;
    submit(&c, "form.deliver button").await;
    wait_for(&c, ".flash.ok").await;
    assert!(body_text(&c).await.contains("approved automatically on"));
    sign_out(&c).await;

    // The client approves: the hours are paid, the rest of the week's escrow comes back.
    sign_in(&c, &base, "client").await;
    c.goto(&page).await.unwrap();
    submit(&c, "form:has(input[value=accept]) button").await;
    wait_for(&c, ".flash.ok").await;
    let text = body_text(&c).await;
    assert!(text.contains("paid") && text.contains("€112.50"), "{text}");
    std::fs::write(out.join("hourly-client.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "hourly-client-phone.png", (width, height)).await;
    // €2,000.00, less the week's €900.00, plus the €787.50 of it not worked.
    c.goto(&format!("{base}/work")).await.unwrap();
    let text = body_text(&c).await;
    assert!(text.contains("€1,887.50"), "{text}");
}
