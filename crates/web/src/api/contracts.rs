//! Contracts, milestones and money over the API. Money-moving calls need an
//! `Idempotency-Key` header: replaying a key returns the first answer and moves nothing.

use super::extract::{ApiJson, ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use guildhall_app::ledger::{Balance, Receipt, money};
use guildhall_app::work::deliveries::DeliveryInput;
use guildhall_app::work::receipts::MoneyReceipt;
use guildhall_app::work::reviews::{ContractReviews, Review, ReviewInput};
use guildhall_app::work::statements::Statement;
use guildhall_app::work::{ContractView, OfferInput};
use serde::Deserialize;
use utoipa::ToSchema;

/// The `Idempotency-Key` header, required on calls that move money.
pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    guildhall_app::ledger::check_key(key).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "idempotency-key",
            "Idempotency key needed",
            "send an Idempotency-Key header of 1 to 100 visible ASCII characters, unique per movement",
        )
    })?;
    Ok(key.to_string())
}

/// Your contracts, as client or member.
#[utoipa::path(get, path = "/api/v1/contracts", operation_id = "list_contracts", tag = "contracts", security(("bearer" = [])),
    responses((status = 200, body = Vec<ContractView>), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<ContractView>>> {
    Ok(Json(
        state
            .run(move |app| app.work().my_contracts(&caller.account))
            .await?,
    ))
}

/// Offers a contract to a member directly.
#[utoipa::path(post, path = "/api/v1/contracts", operation_id = "offer_contract", tag = "contracts", security(("bearer" = [])), request_body = OfferInput,
    responses((status = 201, body = ContractView), (status = 422, body = Problem)))]
pub async fn offer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<OfferInput>,
) -> ApiResult<(StatusCode, Json<ContractView>)> {
    let k = state
        .run(move |app| app.work().offer_contract(&caller.account, body))
        .await?;
    Ok((StatusCode::CREATED, Json(k)))
}

/// One of your contracts.
#[utoipa::path(get, path = "/api/v1/contracts/{id}", operation_id = "get_contract", tag = "contracts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Contract id")),
    responses((status = 200, body = ContractView), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<ContractView>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().contract(&caller.account, &id))
            .await?,
    ))
}

/// An answer to an offer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// true to accept (the member, or the learner their part), false to decline or withdraw.
    accept: bool,
}

/// Accepts or declines an offer (the member), or withdraws it (the client). In a pair the
/// learner answers first: accepting their part leaves the offer open (`learner_accepted`), and
/// the member's acceptance before it is `409`; the learner's decline ends the offer.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/answer", tag = "contracts", security(("bearer" = [])), request_body = AnswerBody,
    params(("id" = String, Path, description = "Contract id")),
    responses((status = 200, body = ContractView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> ApiResult<Json<ContractView>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().answer_offer(&caller.account, &id, body.accept))
            .await?,
    ))
}

/// Why a contract ends early.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// The reason, kept in the record.
    reason: String,
}

/// Ends an active contract early; escrow goes back to the client.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/cancel", operation_id = "cancel_contract", tag = "contracts", security(("bearer" = [])), request_body = CancelBody,
    params(("id" = String, Path, description = "Contract id")),
    responses((status = 200, body = ContractView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CancelBody>,
) -> ApiResult<Json<ContractView>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| {
                app.work()
                    .cancel_contract(&caller.account, &id, &body.reason)
            })
            .await?,
    ))
}

/// What happens to a milestone.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneAction {
    /// The client pays it into escrow (needs an Idempotency-Key).
    Fund,
    /// The member delivers.
    Submit,
    /// The client accepts and releases it (needs an Idempotency-Key).
    Accept,
    /// The client asks for changes (needs a note).
    RequestChanges,
}

/// A milestone action.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneBody {
    /// The action.
    action: MilestoneAction,
    /// What to change (for request_changes).
    #[serde(default)]
    note: String,
    /// A message to the client (for submit; at most 4,000 characters).
    #[serde(default)]
    message: String,
    /// Addresses of the work (for submit; at most 10).
    #[serde(default)]
    links: Vec<String>,
    /// Ids of files uploaded to the contract (for submit; at most 5), from
    /// `POST /api/v1/contracts/{id}/files`.
    #[serde(default)]
    files: Vec<String>,
}

/// Funds, delivers (with a message, links and uploaded files), accepts or sends back a
/// milestone.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/milestones/{milestone}", tag = "contracts", security(("bearer" = [])), request_body = MilestoneBody,
    params(("id" = String, Path, description = "Contract id"), ("milestone" = String, Path, description = "Milestone id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Needed to fund and accept")),
    responses((status = 200, body = ContractView), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn milestone(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, milestone)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<MilestoneBody>,
) -> ApiResult<Json<ContractView>> {
    let (id, m) = (path_id(&id)?, path_id(&milestone)?);
    let key = match body.action {
        MilestoneAction::Fund | MilestoneAction::Accept => idempotency_key(&headers)?,
        _ => String::new(),
    };
    let who = caller.account;
    Ok(Json(
        state
            .run(move |app| match body.action {
                MilestoneAction::Fund => app.work().fund_milestone(&who, &id, &m, &key),
                MilestoneAction::Submit => {
                    let delivery = DeliveryInput {
                        message: body.message,
                        links: body.links,
                        files: body.files,
                    };
                    app.work().deliver_milestone(&who, &id, &m, delivery)
                }
                MilestoneAction::Accept => app.work().accept_milestone(&who, &id, &m, &key),
                MilestoneAction::RequestChanges => {
                    app.work().request_changes(&who, &id, &m, &body.note)
                }
            })
            .await?,
    ))
}

/// Your balances.
#[utoipa::path(get, path = "/api/v1/me/balances", tag = "contracts", security(("bearer" = [])),
    responses((status = 200, body = Vec<Balance>), (status = 401, body = Problem)))]
pub async fn balances(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Balance>>> {
    Ok(Json(
        state
            .run(move |app| app.work().balances(&caller.account))
            .await?,
    ))
}

/// A transfer through the manual provider.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    /// The member whose wallet it is.
    handle: String,
    /// Minor units.
    amount: i64,
    /// ISO 4217.
    currency: String,
    /// true for money that arrived, false for money paid out.
    deposit: bool,
}

/// Records a transfer an operator made or received by hand (operators; needs an
/// Idempotency-Key).
#[utoipa::path(post, path = "/api/v1/admin/transfers", tag = "contracts", security(("bearer" = [])), request_body = TransferBody,
    params(("Idempotency-Key" = String, Header, description = "Unique per transfer")),
    responses((status = 200, body = Receipt), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn transfer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<TransferBody>,
) -> ApiResult<Json<Receipt>> {
    let key = idempotency_key(&headers)?;
    let amount = money(body.amount, &body.currency)?;
    let who = caller.account;
    Ok(Json(
        state
            .run(move |app| {
                if body.deposit {
                    app.work().confirm_deposit(&who, &body.handle, amount, &key)
                } else {
                    app.work().record_payout(&who, &body.handle, amount, &key)
                }
            })
            .await?,
    ))
}

/// The reviews of one of your contracts: yours, and theirs once revealed.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/reviews", tag = "contracts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Contract id")),
    responses((status = 200, body = ContractReviews), (status = 404, body = Problem)))]
pub async fn reviews(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<ContractReviews>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().contract_reviews(&caller.account, &id))
            .await?,
    ))
}

/// Reviews the other side of a completed contract (double-blind).
#[utoipa::path(post, path = "/api/v1/contracts/{id}/reviews", operation_id = "review_contract", tag = "contracts", security(("bearer" = [])), request_body = ReviewInput,
    params(("id" = String, Path, description = "Contract id")),
    responses((status = 201, body = ContractReviews), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReviewInput>,
) -> ApiResult<(StatusCode, Json<ContractReviews>)> {
    let id = path_id(&id)?;
    let r = state
        .run(move |app| app.work().write_review(&caller.account, &id, body))
        .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Revealed reviews about a member, if the member shows you their review score (empty
/// otherwise). Authors are named only to the member and to themselves.
#[utoipa::path(get, path = "/api/v1/profiles/{handle}/reviews", tag = "contracts", security((), ("bearer" = [])),
    params(("handle" = String, Path, description = "Member handle")),
    responses((status = 200, body = Vec<Review>), (status = 404, body = Problem)))]
pub async fn about(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(handle): Path<String>,
) -> ApiResult<Json<Vec<Review>>> {
    let handle =
        guildhall_domain::account::Handle::parse(&handle).map_err(|_| ApiError::not_found())?;
    let viewer = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.work().reviews_about(handle.as_str(), viewer.as_ref()))
            .await?,
    ))
}

/// The period of a statement.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatementQuery {
    /// First day, `YYYY-MM-DD` (UTC), inclusive.
    from: String,
    /// Last day, inclusive.
    to: String,
    /// `json` (default) or `csv`.
    #[param(pattern = "^(json|csv)$")]
    format: Option<String>,
}

/// Your statement for a period: every movement on your wallet and reward accounts, with
/// earnings and spending totals per currency; `format=csv` downloads the lines.
#[utoipa::path(get, path = "/api/v1/me/statement", tag = "contracts", security(("bearer" = [])),
    params(StatementQuery),
    responses((status = 200, content((Statement = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn statement(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::field("/format", "must be json or csv")),
    };
    let s = state
        .run(move |app| app.work().statement(&caller.account, &q.from, &q.to))
        .await?;
    if csv {
        let name = format!("statement-{}-{}.csv", s.from, s.to);
        let body = s.to_csv()?;
        return Ok((
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "text/csv; charset=utf-8".to_string(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            body,
        )
            .into_response());
    }
    Ok(Json(s).into_response())
}

/// The receipt of one movement of money you took part in: a deposit, a milestone funded or
/// refunded, a payment released, a payout (operators read every one).
#[utoipa::path(get, path = "/api/v1/me/receipts/{id}", operation_id = "receipt", tag = "contracts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Ledger transaction id, as in a statement line")),
    responses((status = 200, body = MoneyReceipt), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn receipt(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<MoneyReceipt>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().receipt(&caller.account, &id))
            .await?,
    ))
}
