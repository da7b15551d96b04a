//! An owner sets the community's revenue share and lists a perk; work is paid through the
//! community; when the period ends its pool is shared out, and the member reads their points,
//! what they received and the perk they qualify for.

use super::*;
use guildhall_app::App;
use guildhall_app::accounts::Account;
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_domain::money::{Currency, Money};

/// Olga owns Data Guild; Ana is a member.
fn guild(app: &App) -> (Account, Account) {
    use guildhall_app::testing::member;
    let (olga, ana) = (member(app, "olga"), member(app, "ana"));
    app.communities()
        .create_community(
            &olga,
            guildhall_app::communities::CommunityInput {
                name: "Data Guild".into(),
                slug: "data-guild".into(),
                ..Default::default()
            },
        )
        .unwrap();
    app.communities()
        .join_community(&ana, "data-guild")
        .unwrap();
    (olga, ana)
}

/// Olga hires Ana through the guild for €1,000 and accepts the work.
fn paid_work(app: &App, (olga, ana): &(Account, Account)) {
    let op = guildhall_app::testing::operator(app, "operator");
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(&op, "olga", Money::new(100_000, eur), "seed")
        .unwrap();
    let k = app
        .work()
        .offer_contract(
            olga,
            OfferInput {
                member: "ana".into(),
                title: "Warehouse audit".into(),
                currency: "EUR".into(),
                milestones: vec![MilestoneInput {
                    title: "Report".into(),
                    amount: 100_000,
                    due_on: "2099-01-15".into(),
                    by_learner: false,
                }],
                community: Some("data-guild".into()),
                referrer: None,
                hourly: None,
                learner: None,
            },
        )
        .unwrap();
    let m = k.milestones[0].id.clone();
    app.work().answer_offer(ana, &k.id, true).unwrap();
    app.work().fund_milestone(olga, &k.id, &m, "fund").unwrap();
    app.work().submit_milestone(ana, &k.id, &m).unwrap();
    app.work()
        .accept_milestone(olga, &k.id, &m, "accept")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_share_the_community_revenue_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    let setup = app.clone();
    let people = tokio::task::spawn_blocking(move || guild(&setup))
        .await
        .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;
    let (width, height) = (1280u64, 900u64);
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();

    // Olga finds the page from the community and sets a share: a typo comes back as typed.
    sign_in(&c, &base, "olga").await;
    c.goto(&format!("{base}/c/data-guild")).await.unwrap();
    click(&c, "a[href='/c/data-guild/ownership']").await;
    wait_for(&c, "#share_percent").await;
    assert!(body_text(&c).await.contains("shares none of its revenue"));
    fill(&c, "#share_percent", "forty").await;
    fill(&c, "#period_days", "7").await;
    submit(&c, "form:has(input[value=share]) button").await;
    wait_for(&c, "#share_percent-error").await;
    let typed = c
        .find(Locator::Css("#share_percent"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some("forty"));
    assert!(
        body_text(&c)
            .await
            .contains("must be a percentage from 0 to 100")
    );
    fill(&c, "#share_percent", "40").await;
    submit(&c, "form:has(input[value=share]) button").await;
    wait_for(&c, ".flash.ok").await;
    // A perk for members with 50 points or more.
    click(&c, "details:has(input[value=add-perk]) > summary").await;
    fill(&c, "#perk-title", "20 % off conference tickets").await;
    fill(
        &c,
        "#perk-description",
        "Use the code GUILD-2026 at checkout.",
    )
    .await;
    fill(&c, "#perk-points", "50").await;
    submit(&c, "form:has(input[value=add-perk]) button").await;
    wait_for(&c, ".flash.ok").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("40 % of the community’s share") && text.contains("every 7 days"),
        "{text}"
    );
    std::fs::write(
        out.join("ownership-owner.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    on_a_phone(&c, &out, "ownership-owner-phone.png", (width, height)).await;
    sign_out(&c).await;

    // Work is paid through the guild; the period ends and its pool is shared out.
    let worker = app.clone();
    tokio::task::spawn_blocking(move || {
        paid_work(&worker, &people);
        // A week passes: the period and what happened in it move a week back.
        for moved in [
            "revenue_shares SET period_from = period_from",
            "domain_events SET occurred_at = occurred_at",
        ] {
            guildhall_app::testing::execute(&worker, &format!("UPDATE {moved} - 7 * 86400000"));
        }
        assert_eq!(worker.communities().distribute_due().unwrap(), 1);
    })
    .await
    .unwrap();

    // Ana reads her points, what she received and the perk she now qualifies for.
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/c/data-guild/ownership"))
        .await
        .unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("€10.00") && text.contains("The pool is empty so far."),
        "the pool's €10.00 went to Ana: {text}"
    );
    assert!(
        text.contains("Use the code GUILD-2026 at checkout.") && text.contains("yours"),
        "{text}"
    );
    std::fs::write(
        out.join("ownership-member.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    on_a_phone(&c, &out, "ownership-member-phone.png", (width, height)).await;
    c.execute(
        "document.getElementById('statement').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    std::fs::write(
        out.join("ownership-member-perks.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.goto(&format!("{base}/notifications")).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("€10.00 from Data Guild's revenue share was paid into your wallet"),
        "{text}"
    );
    c.goto(&format!("{base}/work/money")).await.unwrap();
    click(&c, "#balances ~ ul details > summary").await;
    let text = body_text(&c).await;
    assert!(text.contains("Community revenue share"), "{text}");
}
