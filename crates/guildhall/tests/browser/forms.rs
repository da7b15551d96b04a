//! Every form refused by the server comes back in the browser with what was typed still in it
//! and the message beside its field. Values the browser itself would refuse are set by script,
//! as a tampered or older page would send them.

use super::*;

/// Sets the named fields of the form `form` and submits it as its button would (the browser
/// still checks `required` and friends), then waits for the next page.
async fn submit_with(c: &Client, form: &str, fields: &[(&str, &str)]) {
    let fields: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    c.execute(
        "const [css, fields] = arguments;
         const form = document.querySelector(css);
         for (const [name, value] of Object.entries(fields)) {
           form.querySelector(`[name='${name}']`).value = value;
         }
         document.documentElement.dataset.left = '1';
         form.requestSubmit();",
        vec![form.into(), fields.into()],
    )
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css("html:not([data-left]) body"))
        .await
        .unwrap_or_else(|e| panic!("after submitting {form}: {e}"));
}

/// The value of the first field named `name` in the form `form`.
async fn value_in(c: &Client, form: &str, name: &str) -> String {
    c.execute(
        "const [css, name] = arguments;
         const form = document.querySelector(css);
         return form ? form.querySelector(`[name='${name}']`).value : '(no such form)';",
        vec![form.into(), name.into()],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Submits `fields` to `form` on `page`, then checks every value is still in the form and
/// `message` is on the page.
async fn refused_keeps(c: &Client, page: &str, form: &str, fields: &[(&str, &str)], message: &str) {
    c.goto(page).await.unwrap();
    submit_with(c, form, fields).await;
    // A password is never sent back in a page.
    for (name, typed) in fields.iter().filter(|(name, _)| *name != "password") {
        assert_eq!(
            &value_in(c, form, name).await,
            typed,
            "{page}: {name} was lost"
        );
    }
    let text = body_text(c).await;
    assert!(
        text.contains(message),
        "{page}: {message:?} is not shown:\n{text}"
    );
    for internal in ["min_minor", "/data/", "budget_min", "422"] {
        assert!(
            !text.contains(internal),
            "{page} shows {internal:?}:\n{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refused_form_keeps_what_was_typed_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let addr = start_server().await;
    let base = format!("http://{addr}");
    let profile = tempfile::tempdir().unwrap();
    let (_driver, c) = start_browser(profile.path()).await;

    sign_up(&c, &base, "ana").await;
    sign_out(&c).await;
    refused_keeps(
        &c,
        &format!("{base}/signup"),
        "form[action='/signup']",
        &[
            ("handle", "ana"),
            ("email", "ana.two@example.org"),
            ("display_name", "Ana Two"),
            ("password", PASSWORD),
        ],
        "taken",
    )
    .await;
    sign_in(&c, &base, "ana").await;

    let long = |n: usize| "x".repeat(n);
    refused_keeps(
        &c,
        &format!("{base}/me/profile"),
        "form[action='/me/items']:has(input[name=kind][value=rate])",
        &[("min", "120"), ("max", "80"), ("currency", "EUR")],
        "must be at least the lowest rate",
    )
    .await;
    refused_keeps(
        &c,
        &format!("{base}/me/personas"),
        "form[action='/me/personas']",
        &[
            ("name", &long(61)),
            ("headline", "Data engineer for hire"),
            ("summary", "Pipelines that hold."),
        ],
        "at most 60",
    )
    .await;
    refused_keeps(
        &c,
        &format!("{base}/settings"),
        "form[action='/settings/tokens']",
        &[("name", &long(81))],
        "at most 80",
    )
    .await;
    refused_keeps(
        &c,
        &format!("{base}/jobs/new"),
        "form[action='/jobs']",
        &[
            ("title", "Cut the nightly load"),
            ("description", "The **load** takes 3 hours."),
            ("skill_label", "SQL"),
            ("currency", "EUR"),
            ("budget_min", "900"),
            ("budget_max", "500"),
        ],
        "must be at least the minimum budget",
    )
    .await;

    c.goto(&format!("{base}/communities")).await.unwrap();
    submit_with(
        &c,
        "form[action='/communities']",
        &[("name", "Data Guild"), ("slug", "data-guild")],
    )
    .await;
    refused_keeps(
        &c,
        &format!("{base}/c/data-guild"),
        "form[action='/c/data-guild/threads']",
        &[("title", "Index advice"), ("body", &long(20_001))],
        "at most 20",
    )
    .await;
    refused_keeps(
        &c,
        &format!("{base}/c/data-guild"),
        "form[action='/c/data-guild/events']",
        &[
            ("title", "Winter meet-up"),
            ("starts", "2099-12-03T21:00"),
            ("ends", "2099-12-03T18:30"),
            ("place", "Lisbon"),
        ],
        "must be after the start",
    )
    .await;
}
