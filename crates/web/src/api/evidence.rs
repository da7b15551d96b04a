//! The evidence log over the API: its signed checkpoints, entries, and inclusion and
//! consistency proofs. Reading is open to anyone (entries show headers and hashes, never
//! payloads); operators may ask for a checkpoint now.

use super::extract::ApiQuery;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::AppError;
use guildhall_app::evidence::bundles::MyEntry;
use guildhall_app::evidence::{ConsistencyProof, Entry, InclusionProof};
use guildhall_app::reputation::Reputation;
use guildhall_domain::account::Handle;
use guildhall_domain::evidence::bundle::Bundle;
use guildhall_domain::evidence::{Checkpoint, key_id};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The key that signs checkpoints.
#[derive(Serialize, ToSchema)]
pub struct LogKey {
    /// Ed25519 public key, 32 bytes as lowercase hex.
    public_key: String,
    /// Its id, as checkpoints name it.
    key_id: String,
}

fn no_key() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "no-evidence-key",
        "No signing key",
        "this server was started without the instance key",
    )
}

/// The newest signed checkpoint: the log's size and root as the instance vouches for them.
#[utoipa::path(get, path = "/api/v1/evidence/checkpoint", tag = "evidence",
    responses((status = 200, body = Checkpoint), (status = 404, body = Problem)))]
pub async fn checkpoint(State(state): State<AppState>) -> ApiResult<Json<Checkpoint>> {
    let cp = state.run(|app| app.evidence().latest_checkpoint()).await?;
    Ok(Json(cp.ok_or(AppError::NotFound)?))
}

/// Signs a checkpoint of the log as it is now (operators); the newest is returned if nothing
/// was appended since.
#[utoipa::path(post, path = "/api/v1/evidence/checkpoint", tag = "evidence", security(("bearer" = [])),
    responses((status = 200, body = Checkpoint), (status = 403, body = Problem)))]
pub async fn sign(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Checkpoint>> {
    caller
        .account
        .require_operator("sign checkpoints on demand")?;
    let key = state.config.evidence_key.clone().ok_or_else(no_key)?;
    Ok(Json(
        state
            .run(move |app| app.evidence().sign_checkpoint(&key))
            .await?,
    ))
}

/// The public key that signs checkpoints.
#[utoipa::path(get, path = "/api/v1/evidence/key", tag = "evidence",
    responses((status = 200, body = LogKey), (status = 503, body = Problem)))]
pub async fn key(State(state): State<AppState>) -> ApiResult<Json<LogKey>> {
    let key = state.config.evidence_key.clone().ok_or_else(no_key)?;
    let public = key.verifying_key();
    Ok(Json(LogKey {
        public_key: hex::encode(public.as_bytes()),
        key_id: key_id(&public),
    }))
}

/// A range of positions.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Range {
    /// First position (inclusive), or the older tree size for consistency.
    from: u64,
    /// Last position (exclusive), or the newer tree size.
    to: u64,
}

/// Entries `from..to` (at most 1000): headers and leaf hashes.
#[utoipa::path(get, path = "/api/v1/evidence/entries", tag = "evidence", params(Range),
    responses((status = 200, body = Vec<Entry>), (status = 422, body = Problem)))]
pub async fn entries(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Range>,
) -> ApiResult<Json<Vec<Entry>>> {
    Ok(Json(
        state
            .run(move |app| app.evidence().evidence_entries(q.from, q.to))
            .await?,
    ))
}

/// Which leaf, in which tree.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeafAt {
    /// The leaf's position.
    index: u64,
    /// The tree size (a checkpoint's).
    size: u64,
}

/// The inclusion proof (audit path) of a leaf in the tree of `size` entries.
#[utoipa::path(get, path = "/api/v1/evidence/inclusion", tag = "evidence", params(LeafAt),
    responses((status = 200, body = InclusionProof), (status = 422, body = Problem)))]
pub async fn inclusion(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LeafAt>,
) -> ApiResult<Json<InclusionProof>> {
    Ok(Json(
        state
            .run(move |app| app.evidence().inclusion_proof(q.index, q.size))
            .await?,
    ))
}

/// The consistency proof that the tree of `from` entries is a prefix of the tree of `to`.
#[utoipa::path(get, path = "/api/v1/evidence/consistency", tag = "evidence", params(Range),
    responses((status = 200, body = ConsistencyProof), (status = 422, body = Problem)))]
pub async fn consistency(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Range>,
) -> ApiResult<Json<ConsistencyProof>> {
    Ok(Json(
        state
            .run(move |app| app.evidence().consistency_proof(q.from, q.to))
            .await?,
    ))
}

/// Your evidence, oldest first, with what each entry says.
#[utoipa::path(get, path = "/api/v1/me/evidence", operation_id = "my_evidence", tag = "evidence", security(("bearer" = [])),
    responses((status = 200, body = Vec<MyEntry>), (status = 401, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<MyEntry>>> {
    Ok(Json(
        state
            .run(move |app| app.evidence().my_evidence(&caller.account))
            .await?,
    ))
}

/// Your evidence as a portable bundle: every entry with its payload and inclusion proof, and
/// the signed checkpoint they lead to. `guildhall verify-bundle` checks it offline.
#[utoipa::path(get, path = "/api/v1/me/evidence/bundle", tag = "evidence", security(("bearer" = [])),
    responses((status = 200, body = Bundle), (status = 401, body = Problem), (status = 503, body = Problem)))]
pub async fn bundle(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Bundle>> {
    let key = state.config.evidence_key.clone().ok_or_else(no_key)?;
    Ok(Json(
        state
            .run(move |app| app.evidence().evidence_bundle(&caller.account, &key))
            .await?,
    ))
}

/// How many payloads an erasure removed.
#[derive(Serialize, ToSchema)]
pub struct Erased {
    /// Payloads removed; the entries and every proof stay.
    erased: usize,
}

/// Erases what your evidence says about you. The log's entries and proofs stay valid.
#[utoipa::path(delete, path = "/api/v1/me/evidence", tag = "evidence", security(("bearer" = [])),
    responses((status = 200, body = Erased), (status = 401, body = Problem)))]
pub async fn erase(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Erased>> {
    let handle = caller.account.handle.clone();
    let erased = state
        .run(move |app| app.evidence().erase_evidence(&caller.account, &handle))
        .await?;
    Ok(Json(Erased { erased }))
}

/// Your reputation: each figure with its 90 % interval, whether it is still "new", the formula's
/// terms and the evidence entries behind it; and your trust per skill with the evidence it
/// came along.
#[utoipa::path(get, path = "/api/v1/me/reputation", tag = "evidence", security(("bearer" = [])),
    responses((status = 200, body = Reputation), (status = 401, body = Problem)))]
pub async fn reputation(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Reputation>> {
    Ok(Json(
        state
            .run(move |app| app.evidence().my_reputation(&caller.account))
            .await?,
    ))
}

/// One of your entries with its inclusion proof at a freshly signed checkpoint: a bundle of one
/// that `guildhall verify-bundle` checks offline. 404 unless the entry is about you.
#[utoipa::path(get, path = "/api/v1/me/evidence/{index}/bundle", tag = "evidence", security(("bearer" = [])),
    params(("index" = u64, Path, description = "The entry's position in the log")),
    responses((status = 200, body = Bundle), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn entry_bundle(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(index): Path<String>,
) -> ApiResult<Json<Bundle>> {
    let index: u64 = index.parse().map_err(|_| ApiError::not_found())?;
    let key = state.config.evidence_key.clone().ok_or_else(no_key)?;
    Ok(Json(
        state
            .run(move |app| app.evidence().entry_bundle(&caller.account, &key, index))
            .await?,
    ))
}

/// The reputation figures a member shows you (those their profile's reputation items show your
/// audience), with their explanations. Empty when they show you none.
#[utoipa::path(get, path = "/api/v1/profiles/{handle}/reputation", tag = "evidence", security((), ("bearer" = [])),
    params(("handle" = String, Path, description = "Member handle")),
    responses((status = 200, body = Reputation), (status = 404, body = Problem)))]
pub async fn shown_reputation(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(handle): Path<String>,
) -> ApiResult<Json<Reputation>> {
    let handle = Handle::parse(&handle).map_err(|_| ApiError::not_found())?;
    let viewer = caller.map(|ApiCaller(c)| c.account);
    let shown = state
        .run(move |app| {
            let view = app
                .profiles()
                .view_profile(handle.as_str(), viewer.as_ref())?;
            app.evidence().shown_reputation(&view, viewer.as_ref())
        })
        .await?;
    Ok(Json(shown.unwrap_or(Reputation {
        figures: Vec::new(),
        trust: None,
    })))
}
