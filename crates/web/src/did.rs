//! The instance as an issuer over HTTP: its DID document at `/.well-known/did.json`, so a
//! verifier resolving the instance's `did:web` finds every key it signed with, and its
//! credential status lists at `/credentials/status/{n}`.

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use guildhall_app::credentials::Signer;
use guildhall_domain::credentials::badge::Issuer;

/// `/.well-known/did.json` and the status lists.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/.well-known/did.json", get(document))
        .route("/credentials/status/{n}", get(status_list))
}

/// What signs the instance's credentials, or why nothing can: a server without the instance
/// key, or a public address `did:web` cannot name.
pub fn signer(state: &AppState) -> Result<Signer, ApiError> {
    let key = state.config.evidence_key.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no-evidence-key",
            "No signing key",
            "this server was started without the instance key",
        )
    })?;
    let did = guildhall_domain::did::did_web(&state.config.public_url).map_err(|e| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no-did",
            "No issuer identity",
            e.to_string(),
        )
    })?;
    Ok(Signer {
        key: (**key).clone(),
        retired: state.config.retired_keys.clone(),
        issuer: Issuer {
            did,
            name: state.config.instance.name.clone(),
            url: state.config.public_url.trim_end_matches('/').to_string(),
        },
    })
}

/// The DID document, or why there is none.
async fn document(State(state): State<AppState>) -> Response {
    match signer(&state) {
        Ok(signer) => {
            let doc = guildhall_domain::did::document(&signer.issuer.did, &signer.keys());
            (
                [(header::CONTENT_TYPE, "application/did+json")],
                doc.to_string(),
            )
                .into_response()
        }
        Err(e) => (StatusCode::NOT_FOUND, e.detail().to_string()).into_response(),
    }
}

/// A `BitstringStatusListCredential`, signed when asked for, so it always shows the
/// revocations made up to then.
async fn status_list(State(state): State<AppState>, Path(n): Path<String>) -> Response {
    let Ok(n) = n.parse::<u64>() else {
        return (StatusCode::NOT_FOUND, "no such status list").into_response();
    };
    let signer = match signer(&state) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    match state
        .run(move |app| app.credentials().status_list(&signer, n))
        .await
    {
        Ok(list) => (
            [
                (header::CONTENT_TYPE, "application/vc"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            list.to_string(),
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
