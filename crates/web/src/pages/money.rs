//! Money pages: asking for a deposit, the statement of a period, and the operators' desk where
//! deposits are confirmed and disputes resolved. Forms that move money carry an idempotency key
//! made when the page is shown.

use super::item_form::parse_amount;
use super::page_id;
use super::render::{Errors, Layout, PageError, PageResult, html};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::AppError;
use guildhall_app::ledger::money;
use guildhall_app::payments::Deposit;
use guildhall_app::work::disputes::{Dispute, Resolution};
use guildhall_app::work::receipts::MoneyReceipt;
use guildhall_app::work::statements::Statement;
use std::collections::HashMap;

/// Asks for a deposit, or cancels one, as the form's `action` says; back to /work.
pub async fn deposit(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let who = caller.account.clone();
    let f = form.clone();
    let result = state
        .run(move |app| match f.get("action").as_str() {
            "request" => {
                let currency = f.get("currency");
                let minor = parse_amount(&f.get("amount"), &currency)
                    .map_err(|m| AppError::field("/amount", m))?;
                let amount = money(minor, &currency)?;
                app.work()
                    .request_deposit(&who, amount)
                    .map(|_| "deposit-requested")
            }
            "cancel" => app
                .work()
                .cancel_deposit_request(&who, &f.get("deposit"))
                .map(|_| "deposit-cancelled"),
            _ => Err(AppError::NotFound),
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/work?done={done}")).into_response()),
        Err(e) => {
            super::work::overview_page(&state, &caller, &csrf, None, Errors::from_app(e)?).await
        }
    }
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage {
    layout: Layout,
    s: Option<Statement>,
    from: String,
    to: String,
    errors: Errors,
}

/// What came in and went out in a period: totals per currency and every movement.
pub async fn statement(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let who = caller.account.clone();
    let year = state.run(|app| Ok(app.now())).await?;
    let year = guildhall_domain::calendar::local_input(year, "UTC")
        .get(..4)
        .unwrap_or("2026")
        .to_string();
    let from = q.get("from").cloned().unwrap_or(format!("{year}-01-01"));
    let to = q.get("to").cloned().unwrap_or(format!("{year}-12-31"));
    let (f, t) = (from.clone(), to.clone());
    let (s, errors) = match state
        .run(move |app| app.work().statement(&who, &f, &t))
        .await
    {
        Ok(s) => (Some(s), Errors::default()),
        Err(e) => (None, Errors::from_app(e)?),
    };
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Statement", Some(&caller), &csrf);
    Ok(html(
        status,
        &StatementPage {
            layout,
            s,
            from,
            to,
            errors,
        },
    ))
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    layout: Layout,
    r: MoneyReceipt,
    instance: crate::Instance,
}

/// A receipt of one movement of money, printable.
pub async fn receipt(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&id)?;
    let who = caller.account.clone();
    let r = state.run(move |app| app.work().receipt(&who, &id)).await?;
    let layout = Layout::new(format!("Receipt: {}", r.title), Some(&caller), &csrf);
    let instance = state.config.instance.clone();
    Ok(html(
        StatusCode::OK,
        &ReceiptPage {
            layout,
            r,
            instance,
        },
    ))
}

#[derive(Template)]
#[template(path = "admin_money.html")]
struct AdminPage {
    layout: Layout,
    deposits: Vec<Deposit>,
    disputes: Vec<Dispute>,
    key: String,
    errors: Errors,
}

async fn admin_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    if !caller.account.is_operator {
        return Err(PageError::forbidden(
            "Only the operators of this instance confirm payments and resolve disputes.",
        ));
    }
    let who = caller.account.clone();
    let (deposits, disputes) = state
        .run(move |app| {
            Ok((
                app.work().pending_deposits(&who)?,
                app.work().open_disputes(&who)?,
            ))
        })
        .await?;
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Payments and disputes", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &AdminPage {
            layout,
            deposits,
            disputes,
            key: uuid::Uuid::now_v7().to_string(),
            errors,
        },
    ))
}

/// The operators' desk.
pub async fn admin(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let notice = q.get("done").map(String::as_str);
    admin_page(&state, &caller, &csrf, notice, Errors::default()).await
}

/// Confirms or cancels a deposit (operators).
pub async fn admin_deposit(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let who = caller.account.clone();
    let result = state
        .run(move |app| match form.get("action").as_str() {
            "confirm" => app
                .work()
                .confirm_deposit_request(&who, &id, &form.get("key"))
                .map(|_| "deposit-confirmed"),
            "cancel" => app
                .work()
                .cancel_deposit_request(&who, &id)
                .map(|_| "deposit-cancelled"),
            _ => Err(AppError::NotFound),
        })
        .await;
    after_admin(&state, &caller, &csrf, result).await
}

/// Resolves a dispute (operators): the member's part in major units, the rest to the client.
pub async fn admin_dispute(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let who = caller.account.clone();
    let result = state
        .run(move |app| {
            let minor = parse_amount(&form.get("member_amount"), &form.get("currency"))
                .map_err(|m| AppError::field("/member_amount", m))?;
            let resolution = Resolution {
                member_amount: minor,
                note: form.get("note"),
            };
            app.work()
                .resolve_dispute(&who, &id, resolution, &form.get("key"))
                .map(|_| "dispute-resolved")
        })
        .await;
    after_admin(&state, &caller, &csrf, result).await
}

async fn after_admin(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    result: Result<&'static str, AppError>,
) -> PageResult {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/admin/money?done={done}")).into_response()),
        Err(AppError::Forbidden(m)) => Err(PageError::forbidden(m)),
        Err(e) => admin_page(state, caller, csrf, None, Errors::from_app(e)?).await,
    }
}
