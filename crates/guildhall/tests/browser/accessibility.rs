//! An accessibility check of the main pages with axe-core (vendored under `tests/vendor`,
//! MPL-2.0): no serious or critical violation of WCAG 2.1 A and AA rules, signed out and
//! signed in, at a desktop width and at a phone's.

use super::*;

const AXE: &str = include_str!("../vendor/axe.min.js");

/// The serious and critical violations on the page shown, one line each.
async fn serious_violations(c: &Client) -> Vec<String> {
    c.execute(AXE, vec![]).await.unwrap();
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => done(r.passes.length === 0 ? ['axe checked nothing'] : r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn main_pages_have_no_serious_accessibility_violations() {
    if no_browser() {
        return;
    }
    let (addr, app) = start_server_with_app().await;
    let base = format!("http://{addr}");
    let profile = tempfile::tempdir().unwrap();
    let (_driver, c) = start_browser(profile.path()).await;
    app.skills()
        .import_esco(
            "conceptUri,preferredLabel,altLabels\nhttp://e/sql,SQL,structured query language\n"
                .as_bytes(),
            None::<&[u8]>,
            None::<&[u8]>,
            &|_, _| {},
        )
        .unwrap();

    let signed_out = [
        "/",
        "/signin",
        "/signup",
        "/jobs",
        "/communities",
        "/privacy",
    ];
    let mut problems = Vec::new();
    let mut check = async |c: &Client, page: &str| {
        for width in [1280, 390] {
            c.set_window_size(width, 900).await.unwrap();
            c.goto(&format!("{base}{page}")).await.unwrap();
            for v in serious_violations(c).await {
                problems.push(format!("{page} at {width} px: {v}"));
            }
        }
    };
    for page in signed_out {
        check(&c, page).await;
    }
    sign_up(&c, &base, "ana").await;
    c.goto(&format!("{base}/communities")).await.unwrap();
    fill(&c, "form[action='/communities'] #name", "Data Guild").await;
    fill(&c, "form[action='/communities'] #slug", "data-guild").await;
    submit(&c, "form[action='/communities'] button[type=submit]").await;
    for page in [
        "/",
        "/me/profile",
        "/me/profile?as=client",
        "/u/ana",
        "/me/personas",
        "/settings",
        "/jobs/new",
        "/c/data-guild",
        "/work",
        "/me/connections",
    ] {
        check(&c, page).await;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The check finds what it should: an image with no text alternative is critical.
    c.goto(&format!("{base}/")).await.unwrap();
    c.execute(
        "document.querySelector('main').append(document.createElement('img'));",
        vec![],
    )
    .await
    .unwrap();
    let found = serious_violations(&c).await;
    assert!(
        found.iter().any(|v| v.starts_with("image-alt")),
        "{found:?}"
    );
}
