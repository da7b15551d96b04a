//! The operators' desk: the communities whose curation the operators trust.

use super::render::{Layout, PageError, PageResult, html};
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
use guildhall_app::operators::VettingRow;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "admin.html")]
struct DeskPage {
    layout: Layout,
    communities: Vec<VettingRow>,
}

fn operators_only(caller: &Caller) -> Result<(), PageError> {
    if caller.account.is_operator {
        Ok(())
    } else {
        Err(PageError::forbidden(
            "Only the operators of this instance use this desk.",
        ))
    }
}

/// The desk.
pub async fn desk(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    operators_only(&caller)?;
    let who = caller.account.clone();
    let communities = state.run(move |app| app.vetting_list(&who)).await?;
    let layout = Layout::new("Operators’ desk", Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    Ok(html(
        StatusCode::OK,
        &DeskPage {
            layout,
            communities,
        },
    ))
}

/// Vets a community, or stops.
pub async fn vet(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(slug): Path<String>,
    form: Form,
) -> PageResult {
    operators_only(&caller)?;
    let vetted = form.get("vetted") == "yes";
    let who = caller.account.clone();
    match state
        .run(move |app| app.set_vetted(&who, &slug, vetted))
        .await
    {
        Ok(_) => {
            let done = if vetted { "vetted" } else { "unvetted" };
            Ok(Redirect::to(&format!("/admin?done={done}")).into_response())
        }
        Err(AppError::NotFound) => Err(PageError::not_found()),
        Err(e) => Err(e.into()),
    }
}
