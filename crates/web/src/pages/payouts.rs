//! Money out: a member's balances with the movements behind them, their payout methods and
//! payouts (`/work/money`), and the operators' queue of payouts to send (`/admin/payouts`).
//! Forms that move money carry an idempotency key made when the page is shown; a refused form
//! comes back with what was typed.

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
use guildhall_app::work::payouts::{MoneyOverview, Payout, PayoutInput, PayoutMethodInput};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "money.html")]
struct MoneyPage {
    layout: Layout,
    m: MoneyOverview,
    /// What was typed, when a form comes back.
    typed: Form,
    key: String,
    errors: Errors,
}

impl MoneyPage {
    /// The value of the "pay out from" choice for a balance.
    fn source_value(&self, from: &str, currency: &str, community: &Option<String>) -> String {
        match community {
            Some(slug) => format!("{from}:{currency}:{slug}"),
            None => format!("{from}:{currency}"),
        }
    }

    /// Whether a payout is on its way: why nothing can be paid out, when nothing can.
    fn some_on_its_way(&self) -> bool {
        self.m.balances.iter().any(|b| b.on_its_way.is_some())
    }

    /// Whether any balance can be paid out now.
    fn can_pay_out(&self) -> bool {
        self.m
            .balances
            .iter()
            .any(|b| b.available > 0 && b.on_its_way.is_none())
    }
}

/// A payout's status in words.
pub fn status_words(status: &str) -> &'static str {
    match status {
        "pending" => "On its way",
        "paid" => "Sent",
        _ => "Not sent",
    }
}

async fn money_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    typed: Form,
    errors: Errors,
) -> PageResult {
    let who = caller.account.clone();
    let m = state.run(move |app| app.work().money(&who)).await?;
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Balances and payouts", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &MoneyPage {
            layout,
            m,
            typed,
            key: uuid::Uuid::now_v7().to_string(),
            errors,
        },
    ))
}

/// Balances, payout methods and payouts.
pub async fn money(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let notice = q.get("done").map(String::as_str);
    money_page(
        &state,
        &caller,
        &csrf,
        notice,
        Form::default(),
        Errors::default(),
    )
    .await
}

/// Saves or removes a payout method, or asks for a payout, as the form's `action` says.
pub async fn money_action(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let who = caller.account.clone();
    let f = form.clone();
    let result = state
        .run(move |app| match f.get("action").as_str() {
            "add-method" => app
                .work()
                .add_payout_method(
                    &who,
                    PayoutMethodInput {
                        label: f.get("label"),
                        details: f.get("details"),
                    },
                )
                .map(|_| "payout-method-saved"),
            "remove-method" => app
                .work()
                .remove_payout_method(&who, &f.get("method"))
                .map(|_| "payout-method-removed"),
            "payout" => {
                let input = payout_input(&f)?;
                app.work()
                    .request_payout(&who, input, &f.get("key"))
                    .map(|_| "payout-requested")
            }
            _ => Err(AppError::NotFound),
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/work/money?done={done}")).into_response()),
        Err(e) => money_page(&state, &caller, &csrf, None, form, Errors::from_app(e)?).await,
    }
}

/// The payout the form asks for: its source is `kind:currency[:community]`, its amount in
/// the currency's units as typed.
fn payout_input(f: &Form) -> Result<PayoutInput, AppError> {
    let source = f.get("source");
    let mut parts = source.splitn(3, ':');
    let (from, currency, community) = (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
        parts.next().map(str::to_string),
    );
    if currency.is_empty() {
        return Err(AppError::field("/source", "choose what to pay out"));
    }
    let amount =
        parse_amount(&f.get("amount"), &currency).map_err(|m| AppError::field("/amount", m))?;
    Ok(PayoutInput {
        from,
        community,
        amount,
        currency,
        method: f.get("method"),
    })
}

#[derive(Template)]
#[template(path = "admin_payouts.html")]
struct AdminPayoutsPage {
    layout: Layout,
    payouts: Vec<Payout>,
    /// The payout a refused form was about, and what was typed.
    failing: String,
    typed: Form,
    key: String,
    errors: Errors,
}

impl AdminPayoutsPage {
    fn has_pending(&self) -> bool {
        self.payouts.iter().any(|p| p.status == "pending")
    }

    fn count_decided(&self) -> usize {
        self.payouts
            .iter()
            .filter(|p| p.status != "pending")
            .count()
    }
}

async fn admin_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    (failing, typed): (String, Form),
    errors: Errors,
) -> PageResult {
    if !caller.account.is_operator {
        return Err(PageError::forbidden(
            "Only the operators of this instance send payouts.",
        ));
    }
    let who = caller.account.clone();
    let payouts = state
        .run(move |app| app.work().payouts_to_send(&who))
        .await?;
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Payouts", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &AdminPayoutsPage {
            layout,
            payouts,
            failing,
            typed,
            key: uuid::Uuid::now_v7().to_string(),
            errors,
        },
    ))
}

/// The operators' queue of payouts.
pub async fn admin(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let notice = q.get("done").map(String::as_str);
    let nothing = (String::new(), Form::default());
    admin_page(&state, &caller, &csrf, notice, nothing, Errors::default()).await
}

/// Says a payout was sent, or why it could not be (operators).
pub async fn admin_decide(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let who = caller.account.clone();
    let (f, payout) = (form.clone(), id.clone());
    let result = state
        .run(move |app| match f.get("action").as_str() {
            "paid" => app
                .work()
                .confirm_payout(&who, &payout, f.opt("reference").as_deref(), &f.get("key"))
                .map(|_| "payout-sent"),
            "failed" => app
                .work()
                .fail_payout(&who, &payout, &f.get("reason"), &f.get("key"))
                .map(|_| "payout-failed"),
            _ => Err(AppError::NotFound),
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/admin/payouts?done={done}")).into_response()),
        Err(AppError::Forbidden(m)) => Err(PageError::forbidden(m)),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            admin_page(&state, &caller, &csrf, None, (id, form), errors).await
        }
    }
}
