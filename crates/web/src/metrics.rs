//! Request counts and latencies by route and status, exposed as Prometheus text at `/metrics`.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// How often recorded latencies are folded into their histogram buckets.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Installs the process-wide recorder once; later calls reuse it (tests build many routers).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets(&[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ])
            .expect("bucket list is not empty")
            .install_recorder()
            .expect("no other metrics recorder is installed");
        // The recorder keeps every sample until upkeep folds it into the buckets, and only a
        // scrape runs upkeep: unscraped, memory grew by about 25 bytes a request.
        let upkeep = handle.clone();
        every(UPKEEP_EVERY, move || upkeep.run_upkeep());
        handle
    })
}

/// Runs `work` every `period` on a thread of its own, for the life of the process.
fn every(period: Duration, work: impl Fn() + Send + 'static) {
    let spawned = std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || {
            loop {
                std::thread::sleep(period);
                work();
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start metrics upkeep; /metrics scrapes will do it");
    }
}

/// Counts and times every request. The route is the matched pattern (`/u/{handle}`), never the
/// raw path, so label cardinality stays bounded.
pub async fn track(req: Request, next: Next) -> Response {
    handle();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().as_str().to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`, with the background queue's depth read at the scrape: tasks waiting
/// (`guildhall_queue_tasks{state="queued"}`) and given up (`{state="failed"}`), mail included.
pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
    handle();
    match state.run(|app| app.queue().depth()).await {
        Ok(depth) => {
            metrics::gauge!("guildhall_queue_tasks", "state" => "queued").set(depth.queued as f64);
            metrics::gauge!("guildhall_queue_tasks", "state" => "failed").set(depth.failed as f64);
        }
        Err(e) => tracing::warn!(error = %e, "cannot read the queue's depth"),
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        handle().render(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn upkeep_runs_without_any_scrape() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        every(Duration::from_millis(5), move || {
            counted.fetch_add(1, Ordering::Relaxed);
        });
        // A generous bound, not a timing claim: only that it keeps running by itself.
        let give_up = Instant::now() + Duration::from_secs(60);
        while runs.load(Ordering::Relaxed) < 3 {
            assert!(Instant::now() < give_up, "upkeep never ran");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
