//! Insights in the browser: a learner opens their skills gap for a job (a picture, a table,
//! the ways across) and asks a mentor from it; picks an occupation on Growth; a curator opens
//! the community's gaps and liquidity. Screenshots of each picture at both widths.

use super::*;
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::learning::ResourceInput;
use guildhall_app::communities::mentoring::OfferInput;
use guildhall_app::profiles::ItemInput;
use guildhall_app::work::jobs::{JobInput, JobSkill, Pricing};
use guildhall_domain::community::{Admission, Role, Visibility};

fn wanted(label: &str, weight: u8, min_level: u8, required: bool) -> JobSkill {
    JobSkill {
        label: label.into(),
        weight,
        min_level,
        required,
        skill_id: None,
    }
}

fn guild_job(title: &str, skills: Vec<JobSkill>) -> JobInput {
    JobInput {
        title: title.into(),
        description: "Work for the guild.".into(),
        organisation: "Acme Retail".into(),
        skills,
        pricing: Pricing::Hourly,
        budget_min: 6_000,
        budget_max: 9_000,
        currency: "EUR".into(),
        starts_on: "2026-01-04".into(),
        ends_on: "2099-12-31".into(),
        hours_per_week: Some(20),
        remote: true,
        place: String::new(),
        tz_min_offset: -720,
        tz_max_offset: 840,
        community: Some("data".into()),
        publish: true,
        occupation: None,
    }
}

/// A guild with members who show SQL and Figma and their hours, a mentor and a resource for
/// SQL, and three of the guild's jobs; lea shows only Python.
fn guild(app: &guildhall_app::App) -> String {
    use guildhall_app::testing::member;
    let founder = member(app, "founder");
    app.communities()
        .create_community(
            &founder,
            CommunityInput {
                name: "Data guild".into(),
                slug: "data".into(),
                visibility: Some(Visibility::Public),
                admission: Some(Admission::Open),
                ..CommunityInput::default()
            },
        )
        .unwrap();
    let hours = ItemInput {
        audiences: vec!["public".into()],
        data: serde_json::from_value(serde_json::json!({
            "kind": "availability", "timezone": "UTC", "hours_per_week": 10,
            "weekly": [{"day": "monday", "start": "09:00", "end": "17:00"},
                       {"day": "tuesday", "start": "09:00", "end": "17:00"}]
        }))
        .unwrap(),
    };
    for n in 0..6u8 {
        let m = member(app, &format!("member{n}"));
        app.communities().join_community(&m, "data").unwrap();
        app.profiles()
            .add_item(&m, public_skill("SQL", 3 + n % 3))
            .unwrap();
        app.profiles()
            .add_item(&m, public_skill("Figma", 2))
            .unwrap();
        app.availability().set(&m, hours.clone()).unwrap();
    }
    let mia = member(app, "mia");
    app.communities().join_community(&mia, "data").unwrap();
    app.communities()
        .set_community_role(&founder, "data", "mia", Role::Mentor)
        .unwrap();
    app.communities()
        .offer_mentoring(
            &mia,
            "data",
            OfferInput {
                skills: vec!["SQL".into()],
                note: "Query plans and indexes, an hour a week.".into(),
                on_real_work: true,
            },
        )
        .unwrap();
    app.communities()
        .add_resource(
            &founder,
            "data",
            ResourceInput {
                title: "Use the index, Luke".into(),
                url: "https://use-the-index-luke.com/".into(),
                provider: "Markus Winand".into(),
                skills: vec!["SQL".into()],
                cost_minor: 0,
                currency: String::new(),
                duration_minutes: None,
                credit: None,
            },
        )
        .unwrap();
    let client = member(app, "client");
    app.communities().join_community(&client, "data").unwrap();
    let target = app
        .work()
        .post_job(
            &client,
            guild_job(
                "Warehouse tuning",
                vec![wanted("SQL", 5, 4, true), wanted("Python", 2, 2, false)],
            ),
        )
        .unwrap();
    app.work()
        .post_job(
            &client,
            guild_job("Weekly report", vec![wanted("SQL", 3, 3, true)]),
        )
        .unwrap();
    app.work()
        .post_job(
            &client,
            guild_job("Design refresh", vec![wanted("Figma", 4, 3, true)]),
        )
        .unwrap();
    // Five clients who pay by the hour for the work of a database administrator.
    let dba = guildhall_app::insights::occupations()
        .unwrap()
        .into_iter()
        .find(|o| o.label == "database administrator")
        .unwrap();
    for (n, (rate, days)) in [
        (6_000, "2027-01-20"),
        (7_500, "2027-02-10"),
        (8_000, "2027-01-31"),
        (9_500, "2027-02-28"),
        (11_000, "2027-01-25"),
    ]
    .into_iter()
    .enumerate()
    {
        let payer = member(app, &format!("payer{n}"));
        let mut input = guild_job(
            "Database care",
            vec![wanted("SQL", 4, 3, true), wanted("Figma", 2, 1, false)],
        );
        input.community = None;
        input.starts_on = "2027-01-04".into();
        input.ends_on = days.into();
        input.budget_min = rate - 500;
        input.budget_max = rate + 500;
        input.occupation = Some(dba.id.clone());
        app.work().post_job(&payer, input).unwrap();
    }
    let lea = member(app, "lea");
    app.communities().join_community(&lea, "data").unwrap();
    app.profiles()
        .add_item(&lea, public_skill("Python", 1))
        .unwrap();
    app.insights().take_liquidity_snapshot().unwrap();
    target.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gaps_and_liquidity_are_pictures_with_tables_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    let setup = app.clone();
    let job = tokio::task::spawn_blocking(move || guild(&setup))
        .await
        .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;
    let (width, height) = (1280u64, 900u64);
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();

    // The learner's gap for a job: a picture, a table, and the ways across.
    sign_in(&c, &base, "lea").await;
    c.goto(&format!("{base}/jobs/{job}")).await.unwrap();
    click(&c, &format!("a[href='/jobs/{job}/gap']")).await;
    wait_for(&c, "svg.chart").await;
    let text = body_text(&c).await;
    assert!(text.contains("2 skills to close"), "{text}");
    assert!(text.contains("Use the index, Luke"), "{text}");
    assert!(text.contains("@mia"), "{text}");
    assert!(text.contains("Database care"), "{text}");
    std::fs::write(out.join("insights-gap.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "insights-gap-phone.png", (width, height)).await;

    // Asking the mentor from the gap sends the request with the goal filled in.
    click(&c, "section#gap-1 details summary").await;
    submit(
        &c,
        "section#gap-1 form[action='/c/data/mentoring/requests'] button",
    )
    .await;
    wait_for(&c, ".flash").await;
    let text = body_text(&c).await;
    assert!(text.contains("@mia mentors @lea"), "{text}");

    // Growth: liquidity of her skills, and an occupation to aim at.
    c.goto(&format!("{base}/me/growth")).await.unwrap();
    wait_for(&c, "select#occupation").await;
    c.execute(
        "const s = document.querySelector('#occupation'); \
         s.value = [...s.options].find(o => o.text === 'database administrator').value;",
        vec![],
    )
    .await
    .unwrap();
    submit(&c, "form[action='/me/growth'] button").await;
    wait_for(&c, "#gap").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Your gap to database administrator"),
        "{text}"
    );
    std::fs::write(
        out.join("insights-growth.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    on_a_phone(&c, &out, "insights-growth-phone.png", (width, height)).await;
    sign_out(&c).await;

    // The curator's dashboard: liquidity and gaps, each a picture beside its table.
    sign_in(&c, &base, "founder").await;
    c.goto(&format!("{base}/c/data")).await.unwrap();
    click(&c, "a[href='/c/data/insights']").await;
    wait_for(&c, "svg.chart").await;
    let text = body_text(&c).await;
    assert!(text.contains("open hours per free hour"), "{text}");
    assert!(
        text.contains("Design refresh") || text.contains("Figma"),
        "{text}"
    );
    let charts = c
        .execute(
            "return document.querySelectorAll('svg.chart').length;",
            vec![],
        )
        .await
        .unwrap();
    assert!(charts.as_u64().unwrap() >= 3, "{charts}");
    std::fs::write(
        out.join("insights-community.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.execute(
        "document.querySelectorAll('svg.chart')[1].scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    std::fs::write(
        out.join("insights-trend.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    on_a_phone(&c, &out, "insights-community-phone.png", (width, height)).await;

    // Rates: the heat map, and the same occupation's US wages beside.
    click(&c, "a[href='/insights/rates?community=data']").await;
    wait_for(&c, "form[action='/insights/rates']").await;
    c.execute(
        "const s = document.querySelector('#community'); s.value = ''; \
         const o = document.querySelector('#occupation'); \
         o.value = [...o.options].find(x => x.text === 'database administrator').value;",
        vec![],
    )
    .await
    .unwrap();
    submit(&c, "form[action='/insights/rates'] button").await;
    wait_for(&c, "#wages").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Against US wages: Database Administrators"),
        "{text}"
    );
    assert!(text.contains("Every skill"), "{text}");
    std::fs::write(
        out.join("insights-rates.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    on_a_phone(&c, &out, "insights-rates-phone.png", (width, height)).await;
    c.execute("document.querySelector('#map').scrollIntoView();", vec![])
        .await
        .unwrap();
    std::fs::write(out.join("insights-heat.png"), c.screenshot().await.unwrap()).unwrap();
    c.execute("document.querySelector('#wages').scrollIntoView();", vec![])
        .await
        .unwrap();
    std::fs::write(
        out.join("insights-wages.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
}
