//! `/c/{slug}/ownership`: a member's points in the community and how they are earned, the
//! revenue share and what its distributions paid them, and the perks they qualify for. Owners
//! set the revenue share here and curators list perks; a refused form comes back with what
//! was typed.

use super::slug;
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use crate::pages::page_id;
use crate::pages::render::{Errors, Layout, PageResult, html};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::AppError;
use guildhall_app::communities::ownership::{Ownership, RevenueShareInput};
use guildhall_app::communities::perks::{Perk, PerkInput};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "ownership.html")]
struct OwnershipPage {
    layout: Layout,
    o: Ownership,
    perks: Vec<Perk>,
    /// What was typed, when a form comes back; which form it was is in `form`.
    typed: Form,
    form: &'static str,
    errors: Errors,
}

impl OwnershipPage {
    /// The value to show in a revenue share field: what was typed, else what is set.
    fn share_value(&self, name: &str) -> String {
        if self.form == "share" {
            return self.typed.get(name);
        }
        match (&self.o.revenue_share, name) {
            (Some(s), "share_percent") => percent_text(s.share_bps),
            (Some(s), _) => s.period_days.to_string(),
            (None, "share_percent") => String::new(),
            (None, _) => "30".into(),
        }
    }

    /// What was typed in the perk form.
    fn perk_value(&self, name: &str) -> String {
        if self.form == "perk" {
            self.typed.get(name)
        } else {
            String::new()
        }
    }

    /// Whether the perks form's box was ticked when it came back.
    fn perk_ticked(&self) -> bool {
        self.form == "perk" && self.typed.opt("active_contract").is_some()
    }
}

/// `2500` basis points as a form shows it: `25`; `1250` as `12.5`.
fn percent_text(bps: u32) -> String {
    let text = format!("{:.2}", f64::from(bps) / 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

async fn ownership_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    slug: String,
    notice: Option<&str>,
    (form, typed): (&'static str, Form),
    errors: Errors,
) -> PageResult {
    let who = caller.account.clone();
    let (o, perks) = state
        .run(move |app| {
            let o = app.communities().ownership(&who, &slug)?;
            let perks = app.communities().perks(&who, &slug)?;
            Ok((o, perks))
        })
        .await?;
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout =
        Layout::new(format!("Ownership · {}", o.name), Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &OwnershipPage {
            layout,
            o,
            perks,
            typed,
            form,
            errors,
        },
    ))
}

/// The member's points, statement and perks.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let slug = slug(&raw)?;
    let notice = q.get("done").map(String::as_str);
    let none = ("", Form::default());
    ownership_page(
        &state,
        &caller,
        &csrf,
        slug,
        notice,
        none,
        Errors::default(),
    )
    .await
}

/// Sets the revenue share (owners), lists a perk or takes one off (curators), as the form's
/// `action` says.
pub async fn act(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let (who, s, f) = (caller.account.clone(), slug.clone(), form.clone());
    let which = match form.get("action").as_str() {
        "share" => "share",
        "add-perk" => "perk",
        _ => "",
    };
    let result = state
        .run(move |app| match f.get("action").as_str() {
            "share" => {
                let input = share_input(&f)?;
                app.communities()
                    .set_revenue_share(&who, &s, &input)
                    .map(|_| "revenue-share-saved")
            }
            "add-perk" => {
                let input = perk_input(&f)?;
                app.communities()
                    .add_perk(&who, &s, &input)
                    .map(|_| "perk-added")
            }
            "remove-perk" => {
                let id = page_id(&f.get("perk")).map_err(|_| AppError::NotFound)?;
                app.communities()
                    .remove_perk(&who, &s, &id)
                    .map(|_| "perk-removed")
            }
            _ => Err(AppError::NotFound),
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/c/{slug}/ownership?done={done}")).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            ownership_page(&state, &caller, &csrf, slug, None, (which, form), errors).await
        }
    }
}

/// The revenue share as its form asks for it: a percentage (up to two decimals) and days.
fn share_input(f: &Form) -> Result<RevenueShareInput, AppError> {
    let mut e = guildhall_domain::FieldErrors::new();
    let share_bps = match parse_percent(&f.get("share_percent")) {
        Some(bps) => bps,
        None => {
            e.add(
                "/share_percent",
                "must be a percentage from 0 to 100, such as 25 or 12.5",
            );
            0
        }
    };
    let period_days = match f.get("period_days").trim().parse::<u32>() {
        Ok(d) if (1..=366).contains(&d) => d,
        _ => {
            e.add("/period_days", "must be a number of days from 1 to 366");
            0
        }
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    Ok(RevenueShareInput {
        share_bps,
        period_days,
    })
}

/// `25` or `12.5` (or `12,5`) percent as basis points; none for anything else.
fn parse_percent(raw: &str) -> Option<u32> {
    let raw = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = raw.split_once('.').unwrap_or((&raw, ""));
    if whole.is_empty()
        || whole.len() > 3
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let bps = whole.parse::<u32>().ok()? * 100 + format!("{frac:0<2}").parse::<u32>().ok()?;
    (bps <= 10_000).then_some(bps)
}

fn perk_input(f: &Form) -> Result<PerkInput, AppError> {
    let min_points = match f.opt("min_points") {
        None => None,
        Some(raw) => match raw.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return Err(AppError::field(
                    "/min_points",
                    "must be a whole number of points, such as 100",
                ));
            }
        },
    };
    Ok(PerkInput {
        title: f.get("title"),
        description: f.get("description"),
        min_points,
        active_contract: f.opt("active_contract").is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_as_people_write_them() {
        assert_eq!(parse_percent("25"), Some(2500));
        assert_eq!(parse_percent(" 12,5 % "), Some(1250));
        assert_eq!(parse_percent("0.07"), Some(7));
        assert_eq!(parse_percent("100"), Some(10_000));
        for bad in ["", "101", "-1", "1.234", "ten", ".5", "1e2"] {
            assert_eq!(parse_percent(bad), None, "{bad}");
        }
        assert_eq!(percent_text(1250), "12.5");
        assert_eq!(percent_text(2500), "25");
    }
}
