//! The availability page: working hours and days off with their audiences, the next four
//! weeks of free hours, imported calendars, and the private free/busy feed.

mod form;

use super::render::{Errors, Layout, PageResult, html};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use form::AvailabilityForm;
use guildhall_app::AppError;
use guildhall_app::availability::{CalendarInfo, FreeTime, MAX_ICS_BYTES};

#[derive(Template)]
#[template(path = "availability.html")]
struct AvailabilityPage {
    layout: Layout,
    form: AvailabilityForm,
    weeks: Option<FreeTime>,
    calendars: Vec<CalendarInfo>,
    typed: Typed,
    feed_url: Option<String>,
}

/// A calendar form as typed, when it comes back refused: which one, its fields, its problems.
#[derive(Default)]
struct Typed {
    /// `file` or `url`.
    form: &'static str,
    name: String,
    url: String,
    errors: Errors,
}

impl AvailabilityPage {
    /// The name typed in calendar form `form`.
    fn typed_name(&self, form: &str) -> String {
        if self.typed.form == form {
            self.typed.name.clone()
        } else {
            String::new()
        }
    }

    /// The problem with field `name` of calendar form `form`.
    fn calendar_error(&self, form: &str, name: &str) -> String {
        if self.typed.form == form {
            self.typed.errors.about(name, "This")
        } else {
            String::new()
        }
    }

    /// Problems of calendar form `form` not tied to one of its fields.
    fn calendar_general(&self, form: &str) -> Vec<String> {
        if self.typed.form == form {
            self.typed.errors.general(&["name", "file", "url"])
        } else {
            Vec::new()
        }
    }
}

fn layout(caller: &Caller, csrf: &CsrfToken) -> Layout {
    Layout::new("Availability", Some(caller), csrf)
}

/// What the page shows besides the pattern's form.
struct Around {
    weeks: Option<FreeTime>,
    calendars: Vec<CalendarInfo>,
    feed_url: Option<String>,
}

async fn around(state: &AppState, caller: &Caller) -> Result<Around, AppError> {
    let account = caller.account.clone();
    state
        .run(move |app| {
            let a = app.availability();
            let weeks = a.next_weeks(&account)?;
            Ok(Around {
                weeks,
                calendars: a.calendars(&account)?,
                feed_url: a.feed_url(&account)?,
            })
        })
        .await
}

fn page(layout: Layout, form: AvailabilityForm, around: Around, typed: Typed) -> Response {
    let refused = !form.errors.is_empty() || !typed.errors.is_empty();
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(
        status,
        &AvailabilityPage {
            layout,
            form,
            weeks: around.weeks,
            calendars: around.calendars,
            typed,
            feed_url: around.feed_url,
        },
    )
}

/// Whether a redirect named a notice to show.
#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// The page.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(done): Query<Done>,
) -> PageResult {
    let form = own_form(&state, &caller).await?;
    let around = around(&state, &caller).await?;
    let layout =
        Layout::new("Availability", Some(&caller), &csrf).with_notice(done.done.as_deref());
    Ok(page(layout, form, around, Default::default()))
}

/// Saves the pattern; on any problem the page comes back as typed, each message beside its
/// field.
pub async fn save(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    posted: Form,
) -> PageResult {
    let errors = match form::read(&posted) {
        Ok((input, origins)) => {
            let account = caller.account.clone();
            match state
                .run(move |app| app.availability().set(&account, input))
                .await
            {
                Ok(_) => {
                    return Ok(
                        Redirect::to("/availability?done=availability-saved").into_response()
                    );
                }
                Err(e) => origins.place(Errors::from_app(e)?),
            }
        }
        Err(errors) => errors,
    };
    let around = around(&state, &caller).await?;
    let form = AvailabilityForm::posted(&posted, errors.sentences());
    Ok(page(
        layout(&caller, &csrf),
        form,
        around,
        Default::default(),
    ))
}

/// Imports an uploaded calendar file.
pub async fn import(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    posted: Form,
) -> PageResult {
    let name = posted.get("name");
    let problem = match posted.file("file") {
        None => Some("choose a calendar file (.ics) to import".to_string()),
        Some(bytes) if bytes.len() > MAX_ICS_BYTES => {
            Some("is larger than 1 MB; export a shorter span of the calendar".to_string())
        }
        Some(bytes) => match String::from_utf8(bytes.to_vec()) {
            Err(_) => Some("is not a text file; export the calendar as .ics".to_string()),
            Ok(text) => {
                let (account, typed) = (caller.account.clone(), name.clone());
                match state
                    .run(move |app| app.availability().import_calendar(&account, &typed, &text))
                    .await
                {
                    Ok(_) => {
                        return Ok(
                            Redirect::to("/availability?done=calendar-imported#calendars")
                                .into_response(),
                        );
                    }
                    Err(e) => {
                        let errors = Errors::from_app(e)?;
                        let around = around(&state, &caller).await?;
                        let form = own_form(&state, &caller).await?;
                        let errors = Errors(
                            errors
                                .0
                                .into_iter()
                                .map(|(p, m)| (if p == "/ics" { "file".into() } else { p }, m))
                                .collect(),
                        );
                        let typed = Typed {
                            form: "file",
                            name,
                            url: String::new(),
                            errors: errors.sentences(),
                        };
                        return Ok(page(layout(&caller, &csrf), form, around, typed));
                    }
                }
            }
        },
    };
    let around = around(&state, &caller).await?;
    let form = own_form(&state, &caller).await?;
    let errors = Errors(
        problem
            .into_iter()
            .map(|m| ("file".to_string(), m))
            .collect(),
    );
    let typed = Typed {
        form: "file",
        name,
        url: String::new(),
        errors: errors.sentences(),
    };
    Ok(page(layout(&caller, &csrf), form, around, typed))
}

async fn own_form(state: &AppState, caller: &Caller) -> Result<AvailabilityForm, AppError> {
    let account = caller.account.clone();
    let items = state
        .run(move |app| app.profiles().my_items(&account))
        .await?;
    Ok(items
        .iter()
        .find(|i| i.data.kind() == "availability")
        .map_or_else(AvailabilityForm::blank, AvailabilityForm::of_item))
}

/// Subscribes to a calendar's address; a refusal comes back with the fields as typed.
pub async fn subscribe(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    posted: Form,
) -> PageResult {
    let (account, name, url) = (
        caller.account.clone(),
        posted.get("name"),
        posted.get("url"),
    );
    let result = state
        .run(move |app| app.availability().subscribe_calendar(&account, &name, &url))
        .await;
    let errors = match result {
        Ok(_) => {
            return Ok(
                Redirect::to("/availability?done=calendar-subscribed#calendars").into_response(),
            );
        }
        Err(e) => Errors::from_app(e)?.sentences(),
    };
    let around = around(&state, &caller).await?;
    let form = own_form(&state, &caller).await?;
    let typed = Typed {
        form: "url",
        name: posted.get("name"),
        url: posted.get("url"),
        errors,
    };
    Ok(page(layout(&caller, &csrf), form, around, typed))
}

/// Removes an imported calendar.
pub async fn remove(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    _form: Form,
) -> PageResult {
    let account = caller.account.clone();
    state
        .run(move |app| app.availability().remove_calendar(&account, &id))
        .await?;
    Ok(Redirect::to("/availability?done=calendar-removed#calendars").into_response())
}

/// Makes a new feed address; the old one stops working.
pub async fn rotate_feed(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    _form: Form,
) -> PageResult {
    let account = caller.account.clone();
    state
        .run(move |app| app.availability().rotate_feed(&account))
        .await?;
    Ok(Redirect::to("/availability?done=feed-made#feed").into_response())
}
