//! A pair in the browser: Find talent proposes a senior member with a learner for a job nobody
//! covers alone; the client invites the learner, offers the contract to the pair from the
//! senior's proposal; the learner accepts their part, then the senior starts the contract.
//! Screenshots at both widths.

use super::*;
use guildhall_app::work::jobs::{JobInput, JobSkill, Pricing, ProposalInput};

/// A client's job asking SQL and Figma at level 3; sam shows SQL 5 and Figma 2 and proposes,
/// lea shows Figma 3. Returns the job's id.
fn setting(app: &guildhall_app::App) -> String {
    use guildhall_app::testing::member;
    let client = member(app, "client");
    let sam = member(app, "sam");
    let lea = member(app, "lea");
    app.profiles()
        .add_item(&sam, public_skill("SQL", 5))
        .unwrap();
    app.profiles()
        .add_item(&sam, public_skill("Figma", 2))
        .unwrap();
    app.profiles()
        .add_item(&lea, public_skill("Figma", 3))
        .unwrap();
    let asked = |label: &str| JobSkill {
        label: label.into(),
        weight: 3,
        min_level: 3,
        required: true,
        skill_id: None,
    };
    let job = app
        .work()
        .post_job(
            &client,
            JobInput {
                title: "Sales dashboard".into(),
                description: "Queries and a clean design for the sales team.".into(),
                organisation: "Acme Retail".into(),
                skills: vec![asked("SQL"), asked("Figma")],
                pricing: Pricing::Fixed,
                budget_min: 100_000,
                budget_max: 200_000,
                currency: "EUR".into(),
                starts_on: "2099-01-04".into(),
                ends_on: "2099-02-26".into(),
                hours_per_week: None,
                remote: true,
                place: String::new(),
                tz_min_offset: -720,
                tz_max_offset: 840,
                community: None,
                publish: true,
                occupation: None,
            },
        )
        .unwrap();
    app.work()
        .propose(
            &sam,
            &job.id,
            ProposalInput {
                note: "The queries are mine; a learner could take the design.".into(),
                rate: 150_000,
                availability: String::new(),
            },
        )
        .unwrap();
    job.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_hires_a_pair_and_each_side_answers_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    let setup = app.clone();
    let job = tokio::task::spawn_blocking(move || setting(&setup))
        .await
        .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;
    let (width, height) = (1280u64, 900u64);
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();

    // Find talent: nobody covers the job alone, so the pair is proposed.
    sign_in(&c, &base, "client").await;
    c.goto(&format!("{base}/jobs/{job}/talent")).await.unwrap();
    wait_for(&c, "#pairs").await;
    let text = body_text(&c).await;
    assert!(text.contains("@sam with @lea"), "{text}");
    assert!(
        text.contains("@lea brings Figma, and learns SQL from @sam"),
        "{text}"
    );
    c.execute("document.querySelector('#pairs').scrollIntoView();", vec![])
        .await
        .unwrap();
    std::fs::write(out.join("pair-talent.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "pair-talent-phone.png", (width, height)).await;
    submit(&c, "li.pair form:has(input[value='lea']) button").await;
    let text = body_text(&c).await;
    assert!(!text.contains("already invited"), "{text}");

    // The offer to the pair, from sam's proposal: the second milestone is lea's.
    c.goto(&format!("{base}/jobs/{job}")).await.unwrap();
    click(&c, "tr details:not(.pair) > summary").await;
    c.execute(
        "const f = document.querySelector('form:has(input[name=m_title])'); \
         f.querySelectorAll('input[name=m_amount]')[0].value = '1200'; \
         f.querySelectorAll('input[name=m_title]')[1].value = 'Dashboard design'; \
         f.querySelectorAll('input[name=m_amount]')[1].value = '300'; \
         f.querySelectorAll('input[name=m_due]')[1].value = '2099-02-20'; \
         f.querySelectorAll('select[name=m_by]')[1].value = 'learner';",
        vec![],
    )
    .await
    .unwrap();
    click(&c, "details.pair > summary").await;
    fill(&c, "details.pair input[name=learner]", "lea").await;
    std::fs::write(
        out.join("pair-offer-form.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    on_a_phone(&c, &out, "pair-offer-form-phone.png", (width, height)).await;
    submit(&c, "form:has(input[name=m_title]) > button[type=submit]").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Waiting for @lea to accept their part"),
        "{text}"
    );
    assert!(text.contains("@lea receives"), "{text}");
    let contract = c.current_url().await.unwrap().path().to_string();
    sign_out(&c).await;

    // The learner accepts their part.
    sign_in(&c, &base, "lea").await;
    c.goto(&format!("{base}{contract}")).await.unwrap();
    let text = body_text(&c).await;
    assert!(text.contains("done by @lea, the learner"), "{text}");
    std::fs::write(out.join("pair-learner.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "pair-learner-phone.png", (width, height)).await;
    submit(&c, "input[value=accept-offer] + button").await;
    let text = body_text(&c).await;
    assert!(text.contains("Your part is accepted"), "{text}");
    sign_out(&c).await;

    // Then the senior starts the contract.
    sign_in(&c, &base, "sam").await;
    c.goto(&format!("{base}{contract}")).await.unwrap();
    submit(&c, "input[value=accept-offer] + button").await;
    let text = body_text(&c).await;
    assert!(text.contains("in progress"), "{text}");
    assert!(text.contains("with @lea, a learner @sam mentors"), "{text}");
    std::fs::write(out.join("pair-contract.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "pair-contract-phone.png", (width, height)).await;
}
