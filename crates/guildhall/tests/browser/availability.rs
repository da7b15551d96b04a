//! A member sets their working hours on the Availability page, sees a refused line come back
//! as typed, imports a calendar file through the file chooser, and reads their free hours.

use super::*;

const MEETINGS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n\
    BEGIN:VEVENT\r\nUID:m@example.com\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:Planning\r\n\
    DTSTART:20261201T100000Z\r\nDTEND:20261201T120000Z\r\nRRULE:FREQ=WEEKLY;COUNT=200\r\n\
    END:VEVENT\r\nEND:VCALENDAR\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_sets_availability_and_imports_a_calendar_in_a_real_browser() {
    if no_browser() {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();
    let profile_dir = tempfile::tempdir().unwrap();
    let (addr, app) = start_server_with_app().await;
    guildhall_app::testing::member(&app, "ana");
    let base = format!("http://{addr}");
    let (_driver, c) = start_browser(profile_dir.path()).await;
    sign_in(&c, &base, "ana").await;
    c.goto(&format!("{base}/me/profile")).await.unwrap();
    click(&c, "main a[href='/availability']").await;
    wait_for(&c, "form[action='/availability']").await;
    assert!(body_text(&c).await.contains("Save your working hours"));

    set_value(&c, "#av-timezone", "Europe/Lisbon").await;
    fill(&c, "#av-hours_friday", "").await;
    fill(&c, "#av-hours_saturday", "10:00–12:00").await;
    fill(&c, "#av-hours_per_week", "30").await;
    fill(
        &c,
        "#av-days_off",
        "2026-12-24 to 2027-01-01 Holidays\nsometime",
    )
    .await;
    submit(&c, "form[action='/availability'] button[type=submit]").await;
    let text = body_text(&c).await;
    assert!(text.contains("Line 2: write a date"), "{text}");
    let kept = c
        .find(Locator::Css("#av-days_off"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(kept, "2026-12-24 to 2027-01-01 Holidays\nsometime");

    fill(&c, "#av-days_off", "2026-12-24 to 2027-01-01 Holidays").await;
    submit(&c, "form[action='/availability'] button[type=submit]").await;
    let text = body_text(&c).await;
    assert!(text.contains("Availability saved."), "{text}");
    assert!(text.contains("free hours a week"), "{text}");

    // The file chooser takes a file from disk, as a person would pick it.
    let file = profile_dir.path().join("work.ics");
    std::fs::write(&file, MEETINGS).unwrap();
    fill(&c, "#cal-name", "Work").await;
    c.find(Locator::Css("#cal-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    submit(
        &c,
        "form[action='/availability/calendars'] button[type=submit]",
    )
    .await;
    let text = body_text(&c).await;
    assert!(text.contains("Calendar imported"), "{text}");
    assert!(text.contains("Work · 1 event"), "{text}");
    let busy = app
        .availability()
        .next_weeks(&app.accounts().account_by_handle("ana").unwrap().unwrap())
        .unwrap()
        .unwrap();
    assert!(
        busy.weeks.iter().any(|w| w.busy_hours == Some(2.0)),
        "{busy:?}"
    );

    for (width, name) in [(1280, "availability.png"), (390, "availability-phone.png")] {
        c.set_window_size(width, 2200).await.unwrap();
        c.goto(&format!("{base}/availability")).await.unwrap();
        wait_for(&c, "#weeks-h").await;
        fits_the_window(&c, "/availability").await;
        std::fs::write(out.join(name), c.screenshot().await.unwrap()).unwrap();
    }
    eprintln!("screenshots in {}", out.display());
}
