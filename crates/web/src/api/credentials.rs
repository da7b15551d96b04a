//! Credentials over the API: a member's wallet (request, list, share, revoke), a community's
//! issued credentials for its curators, shared credentials for anyone with the link, and
//! verification of any credential.

use super::communities::slug;
use super::extract::{ApiJson, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::did::signer;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::communities::assessments::{Assessment, AssessmentInput};
use guildhall_app::credentials::{Credential, CredentialRequest, Requestable, RevokeInput};
use guildhall_domain::credentials::Report;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A shared link.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SharedLink {
    /// The link's secret.
    pub token: String,
    /// The page anyone with the link sees, with the credential and its verification.
    pub url: String,
}

/// Whether the people you worked with may show, in their credentials, the evidence that names
/// you (the payloads of shared work's log entries). Off until you turn it on.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Naming {
    /// True lets them; false keeps your name out of credentials issued from now on.
    pub allowed: bool,
}

/// Whether others' credentials may name you.
#[utoipa::path(get, path = "/api/v1/me/credential-naming", operation_id = "credential_naming", tag = "credentials", security(("bearer" = [])),
    responses((status = 200, body = Naming), (status = 401, body = Problem)))]
pub async fn naming(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Naming>> {
    let allowed = state
        .run(move |app| app.credentials().naming(&caller.account))
        .await?;
    Ok(Json(Naming { allowed }))
}

/// Lets the people you worked with name you in the credentials issued to them from now on, or
/// stops it.
#[utoipa::path(put, path = "/api/v1/me/credential-naming", operation_id = "set_credential_naming", tag = "credentials", security(("bearer" = [])), request_body = Naming,
    responses((status = 200, body = Naming), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn set_naming(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<Naming>,
) -> ApiResult<Json<Naming>> {
    let allowed = body.allowed;
    state
        .run(move |app| app.credentials().set_naming(&caller.account, allowed))
        .await?;
    Ok(Json(Naming { allowed }))
}

/// Your credentials, newest first.
#[utoipa::path(get, path = "/api/v1/credentials", operation_id = "list_credentials", tag = "credentials", security(("bearer" = [])),
    responses((status = 200, body = Vec<Credential>), (status = 401, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Credential>>> {
    Ok(Json(
        state
            .run(move |app| app.credentials().mine(&caller.account))
            .await?,
    ))
}

/// Asks the instance to issue you a credential about a completed contract, a curated
/// community you belong to, mentoring you gave or a skill of your paid work. 422 when the
/// records do not back it, 409 when you hold it already.
#[utoipa::path(post, path = "/api/v1/credentials", operation_id = "request_credential", tag = "credentials", security(("bearer" = [])), request_body = CredentialRequest,
    responses((status = 201, body = Credential), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 503, body = Problem)))]
pub async fn request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<CredentialRequest>,
) -> ApiResult<(StatusCode, Json<Credential>)> {
    let signer = signer(&state)?;
    let issued = state
        .run(move |app| app.credentials().request(&caller.account, &signer, &body))
        .await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// What you may ask to be issued, with the credential you hold for each already.
#[utoipa::path(get, path = "/api/v1/credentials/requestable", operation_id = "requestable_credentials", tag = "credentials", security(("bearer" = [])),
    responses((status = 200, body = Vec<Requestable>), (status = 401, body = Problem)))]
pub async fn requestable(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Requestable>>> {
    Ok(Json(
        state
            .run(move |app| app.credentials().requestable(&caller.account))
            .await?,
    ))
}

/// One of your credentials.
#[utoipa::path(get, path = "/api/v1/credentials/{id}", operation_id = "get_credential", tag = "credentials", security(("bearer" = [])),
    params(("id" = String, Path, description = "The credential's UUID")),
    responses((status = 200, body = Credential), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn one(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Credential>> {
    let id = path_id(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.credentials().one(&caller.account, &id))
            .await?,
    ))
}

/// Shares one of your credentials by a secret link (sharing again keeps the link).
#[utoipa::path(post, path = "/api/v1/credentials/{id}/share", operation_id = "share_credential", tag = "credentials", security(("bearer" = [])),
    params(("id" = String, Path, description = "The credential's UUID")),
    responses((status = 200, body = SharedLink), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn share(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<SharedLink>> {
    let id = path_id(&raw)?;
    let token = state
        .run(move |app| app.credentials().share(&caller.account, &id))
        .await?;
    Ok(Json(SharedLink {
        url: format!("{}/credentials/shared/{token}", state.config.public_url),
        token,
    }))
}

/// Ends the shared link of one of your credentials.
#[utoipa::path(delete, path = "/api/v1/credentials/{id}/share", operation_id = "unshare_credential", tag = "credentials", security(("bearer" = [])),
    params(("id" = String, Path, description = "The credential's UUID")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn unshare(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&raw)?;
    state
        .run(move |app| app.credentials().unshare(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a credential: its holder, an operator, or a curator of the community it is about.
/// The reason goes into the evidence log; verifiers see the credential revoked.
#[utoipa::path(post, path = "/api/v1/credentials/{id}/revoke", operation_id = "revoke_credential", tag = "credentials", security(("bearer" = [])), request_body = RevokeInput,
    params(("id" = String, Path, description = "The credential's UUID")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<RevokeInput>,
) -> ApiResult<StatusCode> {
    let id = path_id(&raw)?;
    state
        .run(move |app| app.credentials().revoke(&caller.account, &id, &body))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The credentials issued about a community, memberships and mentoring in it (curators).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/credentials", operation_id = "community_credentials", tag = "credentials", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<Credential>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_community(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Credential>>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.credentials().of_community(&caller.account, &slug))
            .await?,
    ))
}

/// A credential shared by link, as signed: for anyone with the link.
#[utoipa::path(get, path = "/api/v1/credentials/shared/{token}", operation_id = "shared_credential", tag = "credentials",
    params(("token" = String, Path, description = "The shared link's secret")),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub async fn shared(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<Value>> {
    if token.len() > 100 {
        return Err(ApiError::not_found());
    }
    let credential = state
        .run(move |app| app.credentials().shared(&token))
        .await?;
    Ok(Json(credential.document))
}

/// Verifies a credential: who issued it and with which key, its signature, its dates, its
/// revocation status and the evidence log entries it carries. Answers 200 with the report
/// whether or not it holds; `verified` says, and `problem` names the first thing wrong. This
/// instance checks credentials it issued; `guildhall verify-credential` checks any issuer's.
#[utoipa::path(post, path = "/api/v1/credentials/verify", operation_id = "verify_credential", tag = "credentials", request_body(content = Object, description = "A credential, as issued"),
    responses((status = 200, body = Report), (status = 422, body = Problem), (status = 503, body = Problem)))]
pub async fn verify(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<Report>> {
    if !body.is_object() {
        return Err(ApiError::field("", "send a credential: a JSON object"));
    }
    let signer = signer(&state)?;
    Ok(Json(
        state
            .run(move |app| app.credentials().verify(&signer, &body))
            .await?,
    ))
}

/// Records your assessment of a member's skill, as a curator of the community: it is evidence,
/// and backs a skill credential the member may then ask for.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/assessments", operation_id = "assess_skill", tag = "credentials", security(("bearer" = [])), request_body = AssessmentInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = Assessment), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn assess(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<AssessmentInput>,
) -> ApiResult<(StatusCode, Json<Assessment>)> {
    let slug = slug(&raw)?;
    let done = state
        .run(move |app| {
            app.communities()
                .assess_skill(&caller.account, &slug, &body)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(done)))
}
