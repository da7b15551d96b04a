//! Verifying a member's address, and password-reset links members ask for themselves.

use super::accounts::ClientAddr;
use super::extract::ApiJson;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_app::accounts::Account;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What was done, in a sentence.
#[derive(Serialize, ToSchema)]
pub struct Accepted {
    /// The outcome in words.
    message: String,
}

/// An address to send a reset link to.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The account's sign-in address.
    email: String,
}

/// The sentence every reset request is answered with, known address or not.
pub const RESET_ANSWER: &str = "If an account has this address and the address is verified, a link to choose a new password is on its way to it. The link works once, for an hour.";

/// Asks for a password-reset link. The answer is the same whether an account has the address
/// or not; a link goes only to a verified address. At most three asks an hour per address.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", operation_id = "request_password_reset", tag = "accounts", request_body = ResetRequest,
    responses((status = 202, body = Accepted), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn request_reset(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    ApiJson(body): ApiJson<ResetRequest>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    state
        .run(move |app| app.accounts().request_password_reset(&body.email, &address))
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: RESET_ANSWER.into(),
        }),
    ))
}

/// A verification link's token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    /// The token from the link mailed to the address (`/verify-email/{token}`).
    token: String,
}

/// Verifies an address with the token of the link mailed to it.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", operation_id = "verify_email", tag = "accounts", request_body = VerifyBody,
    responses((status = 200, body = Account), (status = 403, body = Problem, description = "The link is unknown, used or expired")))]
pub async fn verify(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<VerifyBody>,
) -> ApiResult<Json<Account>> {
    Ok(Json(
        state
            .run(move |app| app.accounts().verify_email(&body.token))
            .await?,
    ))
}

/// Mails the caller a new link to verify their address (at most one a minute).
#[utoipa::path(post, path = "/api/v1/me/email/verification", operation_id = "resend_verification", tag = "accounts", security(("bearer" = [])),
    responses((status = 202, body = Accepted), (status = 409, body = Problem, description = "The address is verified already"), (status = 429, body = Problem)))]
pub async fn resend(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let email = caller.account.email.clone();
    state
        .run(move |app| app.accounts().resend_verification(&caller.account))
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: format!("A link to verify {email} is on its way."),
        }),
    ))
}
