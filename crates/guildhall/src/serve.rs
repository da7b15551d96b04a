//! `guildhall serve`: the server, and the background jobs every node runs beside it.

use crate::config::Settings;
use crate::{SOURCE_ARCHIVE, instance};
use anyhow::Context;
use std::sync::Arc;

/// Serves until SIGTERM or Ctrl-C, letting in-flight requests finish.
pub(crate) async fn serve(settings: Settings) -> anyhow::Result<()> {
    let pool = tokio::task::spawn_blocking({
        let settings = settings.clone();
        move || instance::open_database(&settings)
    })
    .await??;
    let key = instance::instance_key(&settings.data_dir)?;
    let retired_keys = instance::retired_keys(&settings.data_dir)?;
    let loaded = tokio::task::spawn_blocking({
        let app = instance::app(&settings, pool.clone())?;
        move || {
            let bar = progress_bar("first start: loading the skill taxonomy");
            let report = app.skills().ensure_default_taxonomy(&|done, total| {
                bar.set_length(total);
                bar.set_position(done);
            });
            bar.finish_and_clear();
            report
        }
    })
    .await??;
    if let Some(report) = loaded {
        tracing::info!(
            skills = report.added,
            "loaded the default skill taxonomy (ESCO, Linguist, curated)"
        );
    }
    tracing::info!(public_key = %hex_key(&key), "instance key loaded");
    let app = instance::app(&settings, pool)?;
    let members = tokio::task::spawn_blocking({
        let app = app.clone();
        move || {
            let bar = progress_bar("loading the matching index");
            let members = app.matching().load(&|done, total| {
                bar.set_length(total);
                bar.set_position(done);
            });
            bar.finish_and_clear();
            members
        }
    })
    .await??;
    tracing::info!(members, "matching index loaded");
    let key = Arc::new(key);
    follow_feed(app.clone(), key.clone());
    send_mail(app.clone());
    prepare_exports(app.clone(), key.clone());
    queue_digests(app.clone());
    refresh_calendars(app.clone());
    tell_fitting_members(app.clone());
    take_liquidity_snapshots(app.clone());
    let state = guildhall_web::AppState {
        app,
        config: Arc::new(guildhall_web::WebConfig {
            secure_cookies: settings.secure_cookies,
            evidence_key: Some(key),
            retired_keys,
            public_url: settings.public_url(),
            instance: guildhall_web::Instance {
                name: settings.instance_name.trim().to_string(),
                description: settings.instance_description.clone(),
                contact: settings.operator_contact.clone(),
            },
            source_archive: Some(SOURCE_ARCHIVE),
        }),
    };
    let shutdown = shutdown_signal()?;
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let addr = listener.local_addr()?;
    println!(
        "Guildhall is serving on http://{addr} (database: {:?})",
        guildhall_store::Backend::of(&settings.database_url())
    );
    guildhall_web::serve::serve(
        listener,
        guildhall_web::router(state),
        std::time::Duration::from_secs(settings.request_head_timeout_secs),
        shutdown,
    )
    .await;
    tracing::info!("stopped");
    Ok(())
}

/// Keeps in-memory state current with writes other nodes make, by tailing the change feed;
/// every second appends the feed's new evidence events to the evidence log and tells the
/// people the new events concern; every minute
/// releases deliveries whose review period ran out, reveals reviews whose reveal time
/// passed and shares out the member pools whose period ended; signs a checkpoint of the evidence log at start and every ten minutes
/// (when it grew); purges expired sessions hourly.
/// The release job's state lives in the database, so it picks up after any restart.
/// The mail task ([`send_mail`]) tells the people the new events concern every second too,
/// so a long evidence catch-up does not hold their notifications back.
fn follow_feed(app: guildhall_app::App, key: Arc<ed25519_dalek::SigningKey>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        for n in 0u64.. {
            tick.tick().await;
            let app = app.clone();
            // Once an hour, also drop expired sessions and old sign-in failures.
            let purge = n % 3600 == 0;
            let release = n % 60 == 0;
            let checkpoint = n % 600 == 0;
            let key = key.clone();
            let work = move || {
                app.evidence().catch_up()?;
                app.notifications().catch_up()?;
                if checkpoint {
                    app.evidence().sign_checkpoint(&key)?;
                }
                if purge {
                    app.accounts().purge_expired()?;
                }
                if release {
                    let released = app.work().release_due_milestones()?;
                    if released > 0 {
                        tracing::info!(released, "released unanswered deliveries");
                    }
                    let revealed = app.work().reveal_due_reviews()?;
                    if revealed > 0 {
                        tracing::info!(revealed, "revealed reviews whose reveal time passed");
                    }
                    let distributed = app.communities().distribute_due()?;
                    if distributed > 0 {
                        tracing::info!(distributed, "shared out members' pools");
                    }
                }
                app.follow_feed()
            };
            match tokio::task::spawn_blocking(work).await {
                Ok(Err(e)) => tracing::warn!(error = %e, "background work failed"),
                Err(e) => tracing::warn!(error = %e, "change feed follower failed"),
                Ok(Ok(())) => {}
            }
        }
    });
}

/// Prepares the full exports members asked for, every two seconds, on a task of its own: an
/// archive of a busy member takes a while, and mail and the feed follower do not wait for it.
fn prepare_exports(app: guildhall_app::App, key: Arc<ed25519_dalek::SigningKey>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
        loop {
            tick.tick().await;
            let (app, key) = (app.clone(), key.clone());
            match tokio::task::spawn_blocking(move || app.queue().run_due_exports(&key)).await {
                Ok(Ok(n)) if n > 0 => tracing::info!(exports = n, "prepared exports"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "preparing exports failed"),
                Err(e) => tracing::warn!(error = %e, "the export worker failed"),
            }
        }
    });
}

/// Sends the mail that is due, every second, on a task of its own: an SMTP server that is slow
/// to answer (up to 20 seconds a mail) delays mail only, never the feed follower above. Each
/// mail is marked sent as soon as the server took it, so stopping between two mails repeats
/// none.
fn send_mail(app: guildhall_app::App) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            let app = app.clone();
            match tokio::task::spawn_blocking(move || app.queue().send_due_mail()).await {
                Ok(Ok(pass)) if pass.sent + pass.failed > 0 => {
                    tracing::info!(sent = pass.sent, failed = pass.failed, "mail");
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "sending mail failed"),
                Err(e) => tracing::warn!(error = %e, "the mail sender failed"),
            }
        }
    });
}

/// Fetches again, every 30 seconds, the subscribed calendars whose refresh is due, on a task of
/// its own: a calendar server slow to answer delays only the other calendars.
fn refresh_calendars(app: guildhall_app::App) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            let app = app.clone();
            match tokio::task::spawn_blocking(move || app.availability().refresh_due_calendars())
                .await
            {
                Ok(Ok(n)) if n > 0 => tracing::info!(refreshed = n, "calendars"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "refreshing calendars failed"),
                Err(e) => tracing::warn!(error = %e, "the calendar refresher failed"),
            }
        }
    });
}

/// Tells, every 10 seconds, the members each newly opened job fits best, on a task of its own.
fn tell_fitting_members(app: guildhall_app::App) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
        loop {
            tick.tick().await;
            let app = app.clone();
            match tokio::task::spawn_blocking(move || app.matching().tell_fitting_members()).await {
                Ok(Ok(n)) if n > 0 => tracing::info!(told = n, "members told of work that fits"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "telling members of fitting work failed"),
                Err(e) => tracing::warn!(error = %e, "the fitting-work teller failed"),
            }
        }
    });
}

/// Takes the day's liquidity snapshot at start and then, every ten minutes, once the day has
/// turned; a node that finds it taken does nothing.
fn take_liquidity_snapshots(app: guildhall_app::App) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let app = app.clone();
            match tokio::task::spawn_blocking(move || app.insights().take_liquidity_snapshot())
                .await
            {
                Ok(Ok(Some(rows))) => tracing::info!(rows, "liquidity snapshot taken"),
                Ok(Ok(None)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "taking the liquidity snapshot failed"),
                Err(e) => tracing::warn!(error = %e, "the liquidity snapshot task failed"),
            }
        }
    });
}

/// Looks every minute for members whose daily digest is due (their hour has come in their time
/// zone) and queues it; the mail sender above sends it.
fn queue_digests(app: guildhall_app::App) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            let app = app.clone();
            match tokio::task::spawn_blocking(move || app.notifications().queue_due_digests()).await
            {
                Ok(Ok(n)) if n > 0 => tracing::info!(queued = n, "daily digests"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "queueing digests failed"),
                Err(e) => tracing::warn!(error = %e, "the digest scheduler failed"),
            }
        }
    });
}

pub(crate) fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{what} {{bar:40}} {{pos}}/{{len}} ({{eta}} left)"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    indicatif::ProgressBar::new(0).with_style(style)
}

fn hex_key(key: &ed25519_dalek::SigningKey) -> String {
    key.verifying_key()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Waits for SIGTERM or Ctrl-C. The handlers are installed when this is called, not when the
/// future is first polled: a signal sent as soon as the address is printed must find them.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let (mut term, mut interrupt) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?,
            signal(SignalKind::interrupt()).context("cannot listen for Ctrl-C")?,
        )
    };
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = term.recv() => {},
            _ = interrupt.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing in-flight requests");
    })
}
