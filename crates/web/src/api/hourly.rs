//! Hourly contracts over the API: funding a week, logging time and taking it out, and ending
//! the contract. A week is submitted, approved or disputed as the milestone it is
//! (`/contracts/{id}/milestones/{milestone}`).

use super::contracts::idempotency_key;
use super::extract::{ApiJson, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use guildhall_app::work::ContractView;
use guildhall_app::work::hourly::TimeEntryInput;
use serde::Deserialize;
use utoipa::ToSchema;

/// Which week to fund.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeekBody {
    /// The week's Monday, `YYYY-MM-DD`: this week or a later one, within a year.
    pub week_of: String,
}

/// Funds a week of an hourly contract: its cap at the rate goes from your wallet into escrow
/// (the client).
#[utoipa::path(post, path = "/api/v1/contracts/{id}/weeks", operation_id = "fund_week", tag = "contracts", security(("bearer" = [])), request_body = WeekBody,
    params(("id" = String, Path, description = "Contract id"),
        ("Idempotency-Key" = String, Header, description = "Unique per funding")),
    responses((status = 200, body = ContractView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn fund_week(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WeekBody>,
) -> ApiResult<Json<ContractView>> {
    let id = path_id(&id)?;
    let key = idempotency_key(&headers)?;
    Ok(Json(
        state
            .run(move |app| {
                app.work()
                    .fund_week(&caller.account, &id, &body.week_of, &key)
            })
            .await?,
    ))
}

/// Logs time worked on a day of a funded week not yet submitted (the member). A week's time
/// stays within the weekly cap.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/time-entries", operation_id = "log_time", tag = "contracts", security(("bearer" = [])), request_body = TimeEntryInput,
    params(("id" = String, Path, description = "Contract id")),
    responses((status = 201, body = ContractView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn log_time(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TimeEntryInput>,
) -> ApiResult<(StatusCode, Json<ContractView>)> {
    let id = path_id(&id)?;
    let k = state
        .run(move |app| app.work().log_time(&caller.account, &id, &body))
        .await?;
    Ok((StatusCode::CREATED, Json(k)))
}

/// Takes a time entry out of a week not yet submitted (the member).
#[utoipa::path(delete, path = "/api/v1/contracts/{id}/time-entries/{entry}", operation_id = "remove_time", tag = "contracts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Contract id"), ("entry" = String, Path, description = "Time entry id")),
    responses((status = 200, body = ContractView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_time(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, entry)): Path<(String, String)>,
) -> ApiResult<Json<ContractView>> {
    let (id, entry) = (path_id(&id)?, path_id(&entry)?);
    Ok(Json(
        state
            .run(move |app| app.work().remove_time(&caller.account, &id, &entry))
            .await?,
    ))
}

/// Ends an hourly contract (either side), once no week waits for an answer or holds time not
/// yet submitted: funded weeks without time go back to the client.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/end", operation_id = "end_hourly_contract", tag = "contracts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Contract id")),
    responses((status = 200, body = ContractView), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn end(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<ContractView>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().end_hourly_contract(&caller.account, &id))
            .await?,
    ))
}
