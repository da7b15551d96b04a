//! Persona pages: list, create, edit, and the page a persona's link opens.

use super::page_id;
use super::render::{Errors, Layout, PageResult, html};
use super::view_model::{ProfileCard, item_line, kind_label};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::personas::PersonaInput;
use guildhall_domain::Viewer;
use guildhall_domain::audience::Audience;
use guildhall_domain::persona::Persona;
use guildhall_domain::profile::ProfileItem;
use std::collections::HashMap;

/// An item a persona may select.
pub struct Choice {
    /// The profile item this choice includes or leaves out.
    pub id: String,
    /// Description.
    pub label: String,
    /// Selected.
    pub checked: bool,
    /// Whom the item is shown to, when the link's audience cannot see it: the persona would
    /// leave it out, so the form warns.
    pub hidden_from_link: Option<String>,
}

/// A persona form, new or existing.
pub struct PersonaForm {
    /// Id when editing.
    pub id: Option<String>,
    /// The persona's name as typed.
    pub name: String,
    /// The headline as typed (empty keeps the profile's).
    pub headline: String,
    /// The summary as typed (empty keeps the profile's).
    pub summary: String,
    /// Who the persona's link shows it to, as the form's choice names it.
    pub link_audience: String,
    /// Link path.
    pub link: String,
    /// Items to choose from.
    pub choices: Vec<Choice>,
    /// Problems from the last submission.
    pub errors: Errors,
}

impl PersonaForm {
    fn new(items: &[ProfileItem]) -> Self {
        PersonaForm {
            id: None,
            name: String::new(),
            headline: String::new(),
            summary: String::new(),
            link_audience: "public".into(),
            link: String::new(),
            choices: choices(items, &[], "public"),
            errors: Errors::default(),
        }
    }

    fn of(p: &Persona, items: &[ProfileItem], public_url: &str) -> Self {
        let selected: Vec<String> = p.item_ids.iter().map(ToString::to_string).collect();
        PersonaForm {
            id: Some(p.id.to_string()),
            name: p.name.clone(),
            headline: p.headline.clone(),
            summary: p.summary.clone(),
            link_audience: p.link_audience.to_string(),
            link: format!("{public_url}/p/{}", p.link_token),
            choices: choices(items, &selected, &p.link_audience.to_string()),
            errors: Errors::default(),
        }
    }

    /// Whether a chosen item is one the link's audience cannot see.
    pub fn hides_selected(&self) -> bool {
        self.choices
            .iter()
            .any(|c| c.checked && c.hidden_from_link.is_some())
    }

    /// Audience options for the link.
    pub fn audience_options(&self) -> Vec<(String, String, bool)> {
        [
            Audience::Public,
            Audience::Members,
            Audience::Connections,
            Audience::Clients,
        ]
        .iter()
        .map(|a| {
            (
                a.to_string(),
                a.label(),
                a.to_string() == self.link_audience,
            )
        })
        .collect()
    }

    /// Element id prefix.
    pub fn dom_id(&self) -> String {
        self.id
            .clone()
            .map_or_else(|| "new-persona".into(), |id| format!("persona-{id}"))
    }
}

fn choices(items: &[ProfileItem], selected: &[String], link_audience: &str) -> Vec<Choice> {
    let viewer = link_audience
        .parse::<Audience>()
        .map(|a| Viewer::for_audience(&a))
        .unwrap_or_else(|_| Viewer::public());
    items
        .iter()
        .map(|i| {
            let id = i.id.to_string();
            let shown_to = || {
                i.audiences
                    .iter()
                    .map(Audience::label)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Choice {
                checked: selected.contains(&id),
                label: format!("{}: {}", kind_label(i.data.kind()), item_line(i)),
                hidden_from_link: (!viewer.can_see(&i.audiences)).then(shown_to),
                id,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "personas.html")]
struct PersonasPage {
    layout: Layout,
    personas: Vec<PersonaForm>,
    new_form: PersonaForm,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    failed: Option<(Option<String>, Form, Errors)>,
) -> PageResult {
    let account = caller.account.clone();
    let (items, personas) = state
        .run(move |app| {
            Ok((
                app.profiles().my_items(&account)?,
                app.profiles().my_personas(&account)?,
            ))
        })
        .await?;
    let mut forms: Vec<PersonaForm> = personas
        .iter()
        .map(|p| PersonaForm::of(p, &items, &state.config.public_url))
        .collect();
    let mut new_form = PersonaForm::new(&items);
    let mut status = StatusCode::OK;
    if let Some((id, form, errors)) = failed {
        status = StatusCode::UNPROCESSABLE_ENTITY;
        let target = match &id {
            Some(id) => forms.iter_mut().find(|f| f.id.as_ref() == Some(id)),
            None => Some(&mut new_form),
        };
        if let Some(f) = target {
            f.name = form.get("name");
            f.headline = form.get("headline");
            f.summary = form.get("summary");
            f.link_audience = form.get("link_audience");
            let selected = form.all("item_ids");
            f.choices = choices(&items, &selected, &f.link_audience);
            f.errors = errors;
        }
    }
    let layout = Layout::new("Personas", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &PersonasPage {
            layout,
            personas: forms,
            new_form,
        },
    ))
}

/// The member's personas.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    page(
        &state,
        &caller,
        &csrf,
        q.get("done").map(String::as_str),
        None,
    )
    .await
}

fn input(form: &Form) -> PersonaInput {
    PersonaInput {
        name: form.get("name"),
        headline: form.get("headline"),
        summary: form.get("summary"),
        item_ids: form.all("item_ids"),
        link_audience: form.get("link_audience"),
    }
}

/// Creates a persona.
pub async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let (account, persona) = (caller.account.clone(), input(&form));
    match state
        .run(move |app| app.profiles().create_persona(&account, persona))
        .await
    {
        Ok(_) => Ok(Redirect::to("/me/personas?done=persona-created").into_response()),
        Err(e) => {
            page(
                &state,
                &caller,
                &csrf,
                None,
                Some((None, form, Errors::from_app(e)?)),
            )
            .await
        }
    }
}

/// Saves a persona.
pub async fn update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let (account, persona, pid) = (caller.account.clone(), input(&form), id.clone());
    let new_link = form.get("new_link") == "1";
    match state
        .run(move |app| {
            app.profiles()
                .update_persona(&account, &pid, persona, new_link)
        })
        .await
    {
        Ok(_) => Ok(Redirect::to("/me/personas?done=persona-saved").into_response()),
        Err(e) => {
            page(
                &state,
                &caller,
                &csrf,
                None,
                Some((Some(id), form, Errors::from_app(e)?)),
            )
            .await
        }
    }
}

/// Removes a persona.
pub async fn delete(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    _form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    state
        .run(move |app| app.profiles().delete_persona(&caller.account, &id))
        .await?;
    Ok(Redirect::to("/me/personas?done=persona-removed").into_response())
}

#[derive(Template)]
#[template(path = "persona_view.html")]
struct PersonaView {
    layout: Layout,
    card: ProfileCard,
}

/// What a persona's unlisted link shows.
pub async fn view_link(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> PageResult {
    if token.len() > 64
        || !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(super::render::PageError::not_found());
    }
    let (view, reputation) = state
        .run(move |app| {
            let view = app.profiles().view_persona_link(&token)?;
            let reputation = app.evidence().shown_reputation(&view, None)?;
            Ok((view, reputation))
        })
        .await?;
    let mut card = ProfileCard::from_view(&view);
    card.reputation = reputation
        .as_ref()
        .map(super::reputation::ReputationPanel::of);
    let caller = caller.map(|PageCaller(c)| c);
    let mut response = html(
        StatusCode::OK,
        &PersonaView {
            layout: Layout::new(card.name.clone(), caller.as_ref(), &csrf),
            card,
        },
    );
    // Unlisted: keep it out of search engines.
    response.headers_mut().insert(
        "x-robots-tag",
        axum::http::HeaderValue::from_static("noindex"),
    );
    Ok(response)
}
