//! Work pages: your contracts with balances, and a contract's milestone timeline with the
//! actions each side may take. Money-moving forms carry an idempotency key made when the page
//! is shown, so submitting the same form twice moves money once.

use super::page_id;
use super::render::{Errors, Layout, PageResult, html};
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
use guildhall_app::ledger::Balance;
use guildhall_app::payments::Deposit;
use guildhall_app::work::ContractView;
use guildhall_app::work::deliveries::DeliveryInput;
use guildhall_app::work::disputes::DisputeInput;
use guildhall_app::work::hourly::TimeEntryInput;
use guildhall_app::work::reviews::{
    CLIENT_CRITERIA, ContractReviews, MEMBER_CRITERIA, ReviewInput,
};
use guildhall_domain::contract::{ContractStatus, MilestoneStatus};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "work.html")]
struct WorkPage {
    layout: Layout,
    contracts: Vec<ContractView>,
    balances: Vec<Balance>,
    deposits: Vec<Deposit>,
    is_operator: bool,
    errors: Errors,
}

#[derive(Template)]
#[template(path = "contract.html")]
struct ContractPage {
    layout: Layout,
    k: ContractView,
    is_client: bool,
    /// Whether the caller is the contract's learner, who takes only the steps of their part.
    is_learner: bool,
    /// The caller's handle: who delivers a milestone is its worker.
    me: String,
    key: String,
    errors: Errors,
    /// Both sides' reviews as the caller may see them, once the contract is completed.
    reviews: Option<ContractReviews>,
    /// What the caller rates in a review.
    criteria: [&'static str; 3],
    /// The wallet's balance, when funding failed for want of money.
    short_of_money: Option<String>,
    /// A refused form, to type again into its fields.
    typed: Form,
    /// Today (UTC), what the hours form starts on.
    today: String,
    /// This week's Monday, what the week form starts on.
    monday: String,
}

impl ContractPage {
    /// What was typed into field `name` of the refused form.
    fn typed(&self, name: &str) -> String {
        self.typed.get(name)
    }

    /// What was typed into field `name`, or `default` when nothing was.
    fn typed_or(&self, name: &str, default: &str) -> String {
        self.typed.opt(name).unwrap_or_else(|| default.to_string())
    }

    /// What was typed into field `name` of the refused form about milestone `milestone`.
    fn typed_for(&self, milestone: &str, name: &str) -> String {
        if self.typed.get("milestone") == milestone {
            self.typed.get(name)
        } else {
            String::new()
        }
    }
}

/// How the ledger says a wallet is short.
const NOT_ENOUGH_IN_WALLET: &str = "not enough money in the wallet";

impl ContractPage {
    /// A moment as a UTC date and time, such as `2026-12-17 14:05 UTC`.
    fn date(&self, ms: &i64) -> String {
        guildhall_domain::calendar::format_local(*ms, "UTC")
    }

    /// A file's size in words: `812 bytes`, `45 KB`, `3.2 MB`.
    fn size(&self, bytes: &i64) -> String {
        match *bytes {
            b if b < 1024 => format!("{b} bytes"),
            b if b < 1024 * 1024 => format!("{} KB", b / 1024),
            b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        }
    }
}

/// Your contracts, balances and deposits.
pub async fn overview(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let notice = q.get("done").map(String::as_str);
    overview_page(&state, &caller, &csrf, notice, Errors::default()).await
}

/// The work overview, with a notice after an action or the errors of a refused one.
pub(super) async fn overview_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    let account = caller.account.clone();
    let (contracts, balances, deposits) = state
        .run(move |app| {
            Ok((
                app.work().my_contracts(&account)?,
                app.work().balances(&account)?,
                app.work().my_deposits(&account)?,
            ))
        })
        .await?;
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Work", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &WorkPage {
            layout,
            contracts,
            balances,
            deposits,
            is_operator: caller.account.is_operator,
            errors,
        },
    ))
}

async fn contract_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    id: String,
    notice: Option<&str>,
    mut errors: Errors,
    typed: Form,
) -> PageResult {
    let account = caller.account.clone();
    // Short of money: say how much the wallet holds and where to add more, instead.
    let short = errors
        .0
        .iter()
        .any(|(_, m)| m.starts_with(NOT_ENOUGH_IN_WALLET));
    errors
        .0
        .retain(|(_, m)| !m.starts_with(NOT_ENOUGH_IN_WALLET));
    let (k, reviews, short_of_money, now) = state
        .run(move |app| {
            let k = app.work().contract(&account, &id)?;
            // Reviews are between the client and the member; a learner's evidence is their
            // delivered milestones.
            let learner = k.learner.as_deref() == Some(account.handle.as_str());
            let reviews = if k.status == ContractStatus::Completed && !learner {
                Some(app.work().contract_reviews(&account, &id)?)
            } else {
                None
            };
            let short_of_money = if short {
                Some(app.work().wallet_balance(&account, &k.currency)?)
            } else {
                None
            };
            Ok((k, reviews, short_of_money, app.now()))
        })
        .await?;
    let today = guildhall_domain::hourly::today_utc(now);
    let monday = first_unfunded_week(&k, today);
    let today = today.to_string();
    let is_client = k.client == caller.account.handle;
    let me = caller.account.handle.clone();
    let is_learner = k.learner.as_ref() == Some(&me);
    let layout = Layout::new(k.title.clone(), Some(caller), csrf).with_notice(notice);
    let status = if short_of_money.is_some() {
        StatusCode::CONFLICT
    } else {
        errors.status(StatusCode::CONFLICT)
    };
    Ok(html(
        status,
        &ContractPage {
            is_client,
            is_learner,
            me,
            criteria: if is_client {
                CLIENT_CRITERIA
            } else {
                MEMBER_CRITERIA
            },
            reviews,
            key: uuid::Uuid::now_v7().to_string(),
            layout,
            k,
            errors,
            short_of_money,
            typed,
            today,
            monday,
        },
    ))
}

/// A contract's milestone timeline.
pub async fn contract(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let id = page_id(&id)?;
    contract_page(
        &state,
        &caller,
        &csrf,
        id,
        q.get("done").map(String::as_str),
        Errors::default(),
        Form::default(),
    )
    .await
}

/// Downloads a file a delivery carries (the contract's parties; operators once disputed).
pub async fn file(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, file)): Path<(String, String)>,
) -> PageResult {
    let (id, file) = (page_id(&id)?, page_id(&file)?);
    let (file, bytes) = state
        .run(move |app| app.work().contract_file(&caller.account, &id, &file))
        .await?;
    Ok(crate::api::deliveries::attachment(&file, bytes))
}

/// Answers an offer, or acts on a milestone, as the form says.
pub async fn act(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let (who, k) = (caller.account.clone(), id.clone());
    let typed = form.clone();
    let result = state
        .run(move |app| {
            let m = form.get("milestone");
            let key = form.get("key");
            match form.get("action").as_str() {
                "accept-offer" => app
                    .work()
                    .answer_offer(&who, &k, true)
                    // A learner's acceptance leaves the offer open for the member.
                    .map(|k| match k.status {
                        ContractStatus::Offered => "part-accepted",
                        _ => "offer-accepted",
                    }),
                "decline-offer" => app
                    .work()
                    .answer_offer(&who, &k, false)
                    .map(|_| "offer-declined"),
                "fund" => app
                    .work()
                    .fund_milestone(&who, &k, &m, &key)
                    .map(|_| "funded"),
                "submit" => {
                    let mut files = Vec::new();
                    for (name, bytes) in form.uploads("files") {
                        let file = app.work().upload_delivery_file(&who, &k, &name, bytes)?;
                        files.push(file.id);
                    }
                    let delivery = DeliveryInput {
                        message: form.get("message"),
                        links: form.get("links").lines().map(str::to_string).collect(),
                        files,
                    };
                    app.work()
                        .deliver_milestone(&who, &k, &m, delivery)
                        .map(|_| "submitted")
                }
                "accept" => app
                    .work()
                    .accept_milestone(&who, &k, &m, &key)
                    .map(|_| "released"),
                "review" => app
                    .work()
                    .write_review(&who, &k, review_input(&form))
                    .map(|r| {
                        if r.theirs.is_some() {
                            "reviews-revealed"
                        } else {
                            "reviewed"
                        }
                    }),
                "dispute" => app
                    .work()
                    .open_dispute(
                        &who,
                        &k,
                        DisputeInput {
                            milestone: m,
                            reason: form.get("reason"),
                        },
                    )
                    .map(|_| "dispute-opened"),
                "changes" => app
                    .work()
                    .request_changes(&who, &k, &m, &form.get("note"))
                    .map(|_| "changes-requested"),
                "fund-week" => app
                    .work()
                    .fund_week(&who, &k, &form.get("week_of"), &key)
                    .map(|_| "week-funded"),
                "log-time" => {
                    let minutes = guildhall_domain::hourly::parse_hours(&form.get("hours"))
                        .ok_or_else(|| {
                            AppError::field(
                                "/hours",
                                "must be a number of hours from a minute to 24, such as 1.5",
                            )
                        })?;
                    let entry = TimeEntryInput {
                        worked_on: form.get("worked_on"),
                        minutes,
                        note: form.get("entry_note"),
                    };
                    app.work()
                        .log_time(&who, &k, &entry)
                        .map(|_| "time-logged")
                        .map_err(as_typed_hours)
                }
                "remove-time" => app
                    .work()
                    .remove_time(&who, &k, &form.get("entry"))
                    .map(|_| "time-removed"),
                "end" => app
                    .work()
                    .end_hourly_contract(&who, &k)
                    .map(|_| "contract-ended"),
                _ => Err(AppError::NotFound),
            }
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/work/contracts/{id}?done={done}")).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            contract_page(&state, &caller, &csrf, id, None, errors, typed).await
        }
    }
}

/// The first week from this one that the contract has not funded: what the week form offers.
fn first_unfunded_week(k: &ContractView, today: jiff::civil::Date) -> String {
    use guildhall_domain::hourly::{monday_of, next_week};
    let mut monday = monday_of(today);
    let funded: Vec<&str> = k
        .hourly
        .iter()
        .flat_map(|h| h.weeks.iter().map(|w| w.week_of.as_str()))
        .collect();
    while funded.contains(&monday.to_string().as_str()) {
        monday = next_week(monday);
    }
    monday.to_string()
}

/// The time form asks for hours and a note called `entry_note`: the use case's minutes and
/// note in those terms.
fn as_typed_hours(e: AppError) -> AppError {
    match e {
        AppError::Validation(mut errors) => {
            for error in &mut errors.0 {
                match error.path.as_str() {
                    "/minutes" => error.path = "/hours".into(),
                    "/note" => error.path = "/entry_note".into(),
                    _ => {}
                }
            }
            AppError::Validation(errors)
        }
        other => other,
    }
}

/// Reads the review form: the overall mark, a mark per criterion (blank ones left out), text.
fn review_input(form: &Form) -> ReviewInput {
    let mark = |name: &str| form.get(name).trim().parse::<i32>().ok();
    let criteria = CLIENT_CRITERIA
        .iter()
        .chain(MEMBER_CRITERIA.iter())
        .filter_map(|c| mark(&format!("criterion_{c}")).map(|v| (c.to_string(), v)))
        .collect();
    ReviewInput {
        overall: mark("overall").unwrap_or(0),
        criteria,
        text: form.get("text"),
    }
}
