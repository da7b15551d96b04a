//! `/.well-known/did.json`: the instance's DID document, so a verifier resolving the
//! instance's `did:web` finds the key that signs what the instance issues.

use crate::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// `/.well-known/did.json`.
pub fn router() -> Router<AppState> {
    Router::new().route("/.well-known/did.json", get(document))
}

/// The DID document, or why there is none: a server without the instance key, or a public
/// address `did:web` cannot name.
async fn document(State(state): State<AppState>) -> Response {
    let Some(key) = state.config.evidence_key.as_ref() else {
        return (
            StatusCode::NOT_FOUND,
            "this server was started without the instance key",
        )
            .into_response();
    };
    match guildhall_domain::did::did_web(&state.config.public_url) {
        Ok(did) => {
            let doc = guildhall_domain::did::document(&did, &[key.verifying_key()]);
            (
                [(header::CONTENT_TYPE, "application/did+json")],
                doc.to_string(),
            )
                .into_response()
        }
        Err(e) => (StatusCode::NOT_FOUND, e.to_string()).into_response(),
    }
}
