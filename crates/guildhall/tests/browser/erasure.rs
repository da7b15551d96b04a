//! Deleting an account in the browser: money still held shows what must happen first instead
//! of the form; a wrong password comes back beside the field with the box still ticked; the
//! right one deletes the account, says what happened and leaves the browser signed out.

use super::*;
use guildhall_domain::money::{Currency, Money};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_deletes_their_account_in_a_real_browser() {
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
        use guildhall_app::testing::{member, operator};
        let op = operator(&setup, "operator");
        member(&setup, "rich");
        member(&setup, "ana");
        let eur = Currency::parse("EUR").unwrap();
        setup
            .work()
            .confirm_deposit(&op, "rich", Money::new(12_000, eur), "seed")
            .unwrap();
    })
    .await
    .unwrap();
    let (_driver, c) = start_browser(profile_dir.path()).await;
    let (width, height) = (1280u64, 900u64);
    c.set_window_size(width as u32, height as u32)
        .await
        .unwrap();

    // Money held: the page says what to do first, and offers no form.
    sign_in(&c, &base, "rich").await;
    c.goto(&format!("{base}/settings")).await.unwrap();
    click(&c, "a[href='/me/erase']").await;
    wait_for(&c, "h1").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Before you can delete your account"),
        "{text}"
    );
    assert!(
        text.contains("You hold €120.00: pay it out first."),
        "{text}"
    );
    assert!(!text.contains("Delete my account"), "{text}");
    std::fs::write(out.join("erase-blocked.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "erase-blocked-phone.png", (width, height)).await;
    sign_out(&c).await;

    // A wrong password comes back beside the field, the box still ticked.
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/me/erase")).await.unwrap();
    click(&c, "input[name=revoke_credentials]").await;
    fill(&c, "#password", "not my password").await;
    submit(&c, "form[action='/me/erase'] button").await;
    wait_for(&c, ".field-error").await;
    let text = body_text(&c).await;
    assert!(text.contains("This is not your password."), "{text}");
    let ticked = c
        .execute(
            "return document.querySelector('input[name=revoke_credentials]').checked;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ticked, serde_json::json!(true));
    std::fs::write(out.join("erase-refused.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "erase-refused-phone.png", (width, height)).await;

    // The right one deletes the account; the browser is signed out.
    fill(&c, "#password", PASSWORD).await;
    submit(&c, "form[action='/me/erase'] button").await;
    wait_for(&c, "h1").await;
    let text = body_text(&c).await;
    assert!(text.contains("Your account is deleted"), "{text}");
    assert!(text.contains("erased-"), "{text}");
    std::fs::write(out.join("erased.png"), c.screenshot().await.unwrap()).unwrap();
    on_a_phone(&c, &out, "erased-phone.png", (width, height)).await;
    c.goto(&format!("{base}/settings")).await.unwrap();
    wait_for(&c, "a[href='/signin']").await;
    assert!(
        !body_text(&c).await.contains("Delete your account"),
        "signed out"
    );
    let gone = app.clone();
    let left = tokio::task::spawn_blocking(move || gone.accounts().account_by_handle("ana"))
        .await
        .unwrap()
        .unwrap();
    assert!(left.is_none());
}
