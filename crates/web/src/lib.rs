//! Guildhall's HTTP layer: the JSON API under `/api/v1` with its OpenAPI document, the
//! server-rendered pages, sessions and CSRF, health checks and Prometheus metrics. Handlers are
//! thin: parse, call one use case, render.
#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod charts;
pub mod control_chars;
pub mod cookies;
pub mod csrf;
pub mod did;
pub mod error;
pub mod forms;
pub mod health;
pub mod metrics;
pub mod pages;
pub mod paths;
pub mod rate_limit;
pub mod security_headers;
pub mod serve;
pub mod statics;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use guildhall_app::{App, AppError};
use std::sync::Arc;

/// Largest request body accepted anywhere: profile items are small, and a cap keeps a single
/// request from tying up memory.
pub const BODY_LIMIT: usize = 64 * 1024;

/// HTTP settings.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when the instance is served over https).
    pub secure_cookies: bool,
    /// The instance key that signs checkpoints of the evidence log.
    pub evidence_key: Option<Arc<ed25519_dalek::SigningKey>>,
    /// Instance keys retired by a rotation: the DID document still lists them, so what they
    /// signed stays verifiable.
    pub retired_keys: Vec<ed25519_dalek::VerifyingKey>,
    /// Where members reach the instance, without a trailing slash: links that leave the
    /// browser start with it.
    pub public_url: String,
    /// The source this server was built from, as a gzipped tar archive, served at `/source`.
    pub source_archive: Option<&'static [u8]>,
    /// What the front page says about the instance.
    pub instance: Instance,
}

/// The instance as its operators describe it.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Its name.
    pub name: String,
    /// Who it is for, in a few sentences (Markdown).
    pub description: String,
    /// How to reach the operators.
    pub contact: String,
}

impl Default for Instance {
    fn default() -> Self {
        Instance {
            name: "Guildhall".into(),
            description: String::new(),
            contact: String::new(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// Use cases.
    pub app: App,
    /// HTTP settings.
    pub config: Arc<WebConfig>,
}

impl AppState {
    /// Runs a use case on the blocking pool: use cases hold a database connection and may
    /// hash passwords, neither of which belongs on the async runtime's threads.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&App) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let app = self.app.clone();
        tokio::task::spawn_blocking(move || f(&app))
            .await
            .map_err(|e| AppError::caused("a use case panicked", e))?
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let (api, _) = api::router().split_for_parts();
    let https = state.config.secure_cookies;
    let router = Router::new()
        .merge(health::router())
        .merge(did::router())
        .merge(api)
        .merge(api::docs_router())
        .merge(pages::router())
        .merge(statics::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::ensure_token,
        ))
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), rate_limit::ApiRateLimit::default()),
            rate_limit::limit,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(control_chars::refuse))
        .layer(axum::middleware::from_fn(metrics::track));
    security_headers::apply(router, https).with_state(state)
}
