//! Deposits through the payment provider, and disputes, over the API. Calls that move money
//! need an `Idempotency-Key` header, as in `contracts`.

use super::contracts::idempotency_key;
use super::extract::{ApiJson, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use guildhall_app::ledger::{Receipt, money};
use guildhall_app::payments::Deposit;
use guildhall_app::work::ContractView;
use guildhall_app::work::disputes::{Dispute, DisputeInput, Resolution};
use serde::Deserialize;
use utoipa::ToSchema;

/// A deposit a member asks for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepositBody {
    /// Minor units.
    amount: i64,
    /// ISO 4217.
    currency: String,
}

/// Asks to add money to your wallet; the answer says how to pay.
#[utoipa::path(post, path = "/api/v1/me/deposits", operation_id = "request_deposit", tag = "money", security(("bearer" = [])), request_body = DepositBody,
    responses((status = 201, body = Deposit), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<DepositBody>,
) -> ApiResult<(StatusCode, Json<Deposit>)> {
    let amount = money(body.amount, &body.currency)?;
    let d = state
        .run(move |app| app.work().request_deposit(&caller.account, amount))
        .await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// Your deposit requests, newest first.
#[utoipa::path(get, path = "/api/v1/me/deposits", operation_id = "my_deposits", tag = "money", security(("bearer" = [])),
    responses((status = 200, body = Vec<Deposit>), (status = 401, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Deposit>>> {
    Ok(Json(
        state
            .run(move |app| app.work().my_deposits(&caller.account))
            .await?,
    ))
}

/// Cancels a pending deposit request (its member, or an operator).
#[utoipa::path(post, path = "/api/v1/deposits/{id}/cancel", operation_id = "cancel_deposit", tag = "money", security(("bearer" = [])),
    params(("id" = String, Path, description = "Deposit request id")),
    responses((status = 200, body = Deposit), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<Deposit>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().cancel_deposit_request(&caller.account, &id))
            .await?,
    ))
}

/// Deposits waiting for an operator to confirm the money arrived (operators).
#[utoipa::path(get, path = "/api/v1/admin/deposits", tag = "money", security(("bearer" = [])),
    responses((status = 200, body = Vec<Deposit>), (status = 403, body = Problem)))]
pub async fn pending(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Deposit>>> {
    Ok(Json(
        state
            .run(move |app| app.work().pending_deposits(&caller.account))
            .await?,
    ))
}

/// Confirms a deposit arrived and credits the member's wallet (operators; needs an
/// Idempotency-Key).
#[utoipa::path(post, path = "/api/v1/admin/deposits/{id}/confirm", tag = "money", security(("bearer" = [])),
    params(("id" = String, Path, description = "Deposit request id"),
        ("Idempotency-Key" = String, Header, description = "Unique per confirmation")),
    responses((status = 200, body = Receipt), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn confirm(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<Receipt>> {
    let key = idempotency_key(&headers)?;
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| {
                app.work()
                    .confirm_deposit_request(&caller.account, &id, &key)
            })
            .await?,
    ))
}

/// Disputes a milestone whose money is in escrow; the contract stops until an operator
/// resolves it.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/disputes", tag = "money", security(("bearer" = [])), request_body = DisputeInput,
    params(("id" = String, Path, description = "Contract id")),
    responses((status = 200, body = ContractView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn dispute(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DisputeInput>,
) -> ApiResult<Json<ContractView>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().open_dispute(&caller.account, &id, body))
            .await?,
    ))
}

/// Open disputes, oldest first (operators).
#[utoipa::path(get, path = "/api/v1/admin/disputes", tag = "money", security(("bearer" = [])),
    responses((status = 200, body = Vec<Dispute>), (status = 403, body = Problem)))]
pub async fn disputes(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Dispute>>> {
    Ok(Json(
        state
            .run(move |app| app.work().open_disputes(&caller.account))
            .await?,
    ))
}

/// Resolves a dispute: part or all of the escrow to the member, the rest back to the client
/// (operators; needs an Idempotency-Key).
#[utoipa::path(post, path = "/api/v1/admin/disputes/{id}/resolve", tag = "money", security(("bearer" = [])), request_body = Resolution,
    params(("id" = String, Path, description = "Dispute id"),
        ("Idempotency-Key" = String, Header, description = "Unique per resolution")),
    responses((status = 200, body = ContractView), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn resolve(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Resolution>,
) -> ApiResult<Json<ContractView>> {
    let key = idempotency_key(&headers)?;
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().resolve_dispute(&caller.account, &id, body, &key))
            .await?,
    ))
}
