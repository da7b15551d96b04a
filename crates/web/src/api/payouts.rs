//! Balances and payouts over the API: what a member (or a community's owner) has, the payout
//! methods they keep, payouts they ask for, and the operators' queue. Calls that move money
//! need an `Idempotency-Key` header, as in `contracts`.

use super::communities::slug;
use super::contracts::idempotency_key;
use super::extract::{ApiJson, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use guildhall_app::work::payouts::{
    MoneyOverview, PayableBalance, Payout, PayoutInput, PayoutMethod, PayoutMethodInput,
};
use serde::Deserialize;
use utoipa::ToSchema;

/// Your balances (and your communities' shares, if you own any), with the movements behind
/// them, your payout methods and your payouts.
#[utoipa::path(get, path = "/api/v1/me/money", operation_id = "my_money", tag = "payouts", security(("bearer" = [])),
    responses((status = 200, body = MoneyOverview), (status = 401, body = Problem)))]
pub async fn money(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<MoneyOverview>> {
    Ok(Json(
        state
            .run(move |app| app.work().money(&caller.account))
            .await?,
    ))
}

/// A community's share of the work done through it, per currency (its owners).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/money", operation_id = "community_money", tag = "payouts", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<PayableBalance>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn community(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<PayableBalance>>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.work().community_money(&caller.account, &slug))
            .await?,
    ))
}

/// Your payout methods.
#[utoipa::path(get, path = "/api/v1/me/payout-methods", operation_id = "my_payout_methods", tag = "payouts", security(("bearer" = [])),
    responses((status = 200, body = Vec<PayoutMethod>), (status = 401, body = Problem)))]
pub async fn methods(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<PayoutMethod>>> {
    Ok(Json(
        state
            .run(move |app| app.work().payout_methods(&caller.account))
            .await?,
    ))
}

/// Saves a payout method (at most five).
#[utoipa::path(post, path = "/api/v1/me/payout-methods", operation_id = "add_payout_method", tag = "payouts", security(("bearer" = [])), request_body = PayoutMethodInput,
    responses((status = 201, body = PayoutMethod), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_method(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<PayoutMethodInput>,
) -> ApiResult<(StatusCode, Json<PayoutMethod>)> {
    let m = state
        .run(move |app| app.work().add_payout_method(&caller.account, body))
        .await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// Removes a payout method; payouts sent to it keep a copy.
#[utoipa::path(delete, path = "/api/v1/me/payout-methods/{id}", operation_id = "remove_payout_method", tag = "payouts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Payout method id")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_method(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.work().remove_payout_method(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks for a payout: the amount is held at once, then sent through the payment provider
/// (with the built-in manual provider, by an operator). One payout in flight per account
/// owner and currency.
#[utoipa::path(post, path = "/api/v1/me/payouts", operation_id = "request_payout", tag = "payouts", security(("bearer" = [])), request_body = PayoutInput,
    params(("Idempotency-Key" = String, Header, description = "Unique per payout")),
    responses((status = 201, body = Payout), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PayoutInput>,
) -> ApiResult<(StatusCode, Json<Payout>)> {
    let key = idempotency_key(&headers)?;
    let p = state
        .run(move |app| app.work().request_payout(&caller.account, body, &key))
        .await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Your payouts and your communities', newest first.
#[utoipa::path(get, path = "/api/v1/me/payouts", operation_id = "my_payouts", tag = "payouts", security(("bearer" = [])),
    responses((status = 200, body = Vec<Payout>), (status = 401, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Payout>>> {
    Ok(Json(
        state
            .run(move |app| app.work().my_payouts(&caller.account))
            .await?,
    ))
}

/// Payouts waiting to be sent, oldest first, then the latest paid or failed (operators).
#[utoipa::path(get, path = "/api/v1/admin/payouts", operation_id = "payouts_to_send", tag = "payouts", security(("bearer" = [])),
    responses((status = 200, body = Vec<Payout>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn queue(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Payout>>> {
    Ok(Json(
        state
            .run(move |app| app.work().payouts_to_send(&caller.account))
            .await?,
    ))
}

/// How an operator sent a payout.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaidBody {
    /// The transfer's reference, if any (at most 100 characters).
    #[serde(default)]
    reference: Option<String>,
}

/// Says a payout was sent: its held amount leaves the ledger (operators).
#[utoipa::path(post, path = "/api/v1/admin/payouts/{id}/paid", operation_id = "confirm_payout", tag = "payouts", security(("bearer" = [])), request_body = PaidBody,
    params(("id" = String, Path, description = "Payout id"),
        ("Idempotency-Key" = String, Header, description = "Unique per decision")),
    responses((status = 200, body = Payout), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn paid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PaidBody>,
) -> ApiResult<Json<Payout>> {
    let key = idempotency_key(&headers)?;
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| {
                app.work()
                    .confirm_payout(&caller.account, &id, body.reference.as_deref(), &key)
            })
            .await?,
    ))
}

/// Why a payout could not be sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FailedBody {
    /// Told to the member (1 to 500 characters).
    reason: String,
}

/// Says a payout could not be sent: its held amount goes back (operators).
#[utoipa::path(post, path = "/api/v1/admin/payouts/{id}/failed", operation_id = "fail_payout", tag = "payouts", security(("bearer" = [])), request_body = FailedBody,
    params(("id" = String, Path, description = "Payout id"),
        ("Idempotency-Key" = String, Header, description = "Unique per decision")),
    responses((status = 200, body = Payout), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn failed(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FailedBody>,
) -> ApiResult<Json<Payout>> {
    let key = idempotency_key(&headers)?;
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| {
                app.work()
                    .fail_payout(&caller.account, &id, &body.reason, &key)
            })
            .await?,
    ))
}
