//! The profile editor with its "view as" preview, and the profile page others see.

use super::item_form::{self, ItemForm};
use super::page_id;
use super::render::{Errors, Layout, PageError, PageResult, html};
use super::reputation::ReputationPanel;
use super::view_model::{KINDS, ProfileCard, item_line};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use guildhall_domain::account::Handle;
use guildhall_domain::persona::Persona;
use guildhall_domain::profile::{ItemData, ProfileItem};
use std::collections::HashMap;

/// One editable item.
pub struct EditItem {
    /// Id.
    pub id: String,
    /// Kind in words.
    pub kind_label: &'static str,
    /// One-line description.
    pub line: String,
    /// Audience names.
    pub audiences: Vec<String>,
    /// Its edit form.
    pub form: ItemForm,
    /// Open the edit form (after an error).
    pub open: bool,
}

impl EditItem {
    fn of(item: &ProfileItem) -> Self {
        EditItem {
            id: item.id.to_string(),
            kind_label: super::view_model::kind_label(item.data.kind()),
            line: item_line(item),
            audiences: item.audiences.iter().map(ToString::to_string).collect(),
            form: ItemForm::of_item(item),
            open: false,
        }
    }

    /// CSS class of an audience badge.
    pub fn badge_class(audience: &str) -> &'static str {
        match audience.split(':').next().unwrap_or("") {
            "public" => "aud-public",
            "members" => "aud-members",
            "connections" => "aud-connections",
            "clients" => "aud-clients",
            "community" => "aud-community",
            _ => "aud-private",
        }
    }
}

/// A "view as" tab.
pub struct Tab {
    /// Query value.
    pub value: String,
    /// Words.
    pub label: String,
    /// Currently shown.
    pub current: bool,
}

#[derive(Template)]
#[template(path = "profile_edit.html")]
struct EditorPage {
    layout: Layout,
    handle: String,
    items: Vec<EditItem>,
    add_forms: Vec<ItemForm>,
    open_kind: String,
    tabs: Vec<Tab>,
    preview: Option<ProfileCard>,
    preview_label: String,
}

#[derive(Template)]
#[template(path = "item_partial.html")]
struct ItemPartial {
    layout: Layout,
    item: EditItem,
}

fn tabs(personas: &[Persona], current: &str) -> Vec<Tab> {
    let mut tabs = vec![
        Tab {
            value: String::new(),
            label: "Edit".into(),
            current: current.is_empty(),
        },
        Tab {
            value: "public".into(),
            label: "Public".into(),
            current: current == "public",
        },
        Tab {
            value: "member".into(),
            label: "Signed-in member".into(),
            current: current == "member",
        },
        Tab {
            value: "connection".into(),
            label: "Connection".into(),
            current: current == "connection",
        },
    ];
    for p in personas {
        let value = format!("persona:{}", p.id);
        tabs.push(Tab {
            current: current == value,
            label: format!("Persona: {}", p.name),
            value,
        });
    }
    tabs
}

/// Renders the editor; `failed` re-shows a submitted form with its errors.
async fn editor_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    as_: &str,
    notice: Option<&str>,
    failed: Option<ItemForm>,
) -> PageResult {
    let account = caller.account.clone();
    let preview_as = match as_ {
        "" => None,
        other => Some(crate::api::profiles::preview_as(other).map_err(|_| PageError::not_found())?),
    };
    let (items, personas, preview) = state
        .run(move |app| {
            let items = app.my_items(&account)?;
            let personas = app.my_personas(&account)?;
            let preview = match preview_as.map(|p| app.preview(&account, &p)).transpose()? {
                Some(view) => {
                    // What the previewed audience would read: nobody's part named.
                    let reputation = app.shown_reputation(&view, None)?;
                    let mut card = ProfileCard::from_view(&view);
                    card.reputation = reputation.as_ref().map(ReputationPanel::of);
                    Some(card)
                }
                None => None,
            };
            Ok((items, personas, preview))
        })
        .await?;
    let mut edit_items: Vec<EditItem> = items.iter().map(EditItem::of).collect();
    let mut add_forms: Vec<ItemForm> = KINDS.iter().map(|(k, _)| ItemForm::blank(k)).collect();
    let mut open_kind = String::new();
    if let Some(failed) = failed {
        match &failed.id {
            Some(id) => {
                if let Some(it) = edit_items.iter_mut().find(|i| &i.id == id) {
                    it.form = failed;
                    it.open = true;
                }
            }
            None => {
                open_kind = failed.kind.clone();
                if let Some(slot) = add_forms.iter_mut().find(|f| f.kind == failed.kind) {
                    *slot = failed;
                }
            }
        }
    }
    let tabs = tabs(&personas, as_);
    let preview_label = tabs
        .iter()
        .find(|t| t.current)
        .map(|t| t.label.clone())
        .unwrap_or_default();
    let status = if open_kind.is_empty() && !edit_items.iter().any(|i| i.open) {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = EditorPage {
        layout: Layout::new("Your profile", Some(caller), csrf).with_notice(notice),
        handle: caller.account.handle.clone(),
        items: edit_items,
        add_forms,
        open_kind,
        tabs,
        preview,
        preview_label,
    };
    Ok(html(status, &page))
}

/// The profile editor; `?as=public|member|connection|persona:<id>` shows the preview.
pub async fn editor(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let as_ = q.get("as").cloned().unwrap_or_default();
    editor_page(
        &state,
        &caller,
        &csrf,
        &as_,
        q.get("done").map(String::as_str),
        None,
    )
    .await
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

/// Adds an item.
pub async fn add_item(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let input = match item_form::parse(&form) {
        Ok(input) => input,
        Err(errors) => {
            return editor_page(
                &state,
                &caller,
                &csrf,
                "",
                None,
                Some(ItemForm::submitted(&form, None, errors)),
            )
            .await;
        }
    };
    let account = caller.account.clone();
    match state.run(move |app| app.add_item(&account, input)).await {
        Ok(_) => Ok(Redirect::to("/me/profile?done=item-added").into_response()),
        Err(e) => {
            editor_page(
                &state,
                &caller,
                &csrf,
                "",
                None,
                Some(ItemForm::submitted(&form, None, Errors::from_app(e)?)),
            )
            .await
        }
    }
}

/// Saves an edited item; htmx requests get the item's new markup back.
pub async fn update_item(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let result = match item_form::parse(&form) {
        Ok(input) => {
            let (account, item_id) = (caller.account.clone(), id.clone());
            state
                .run(move |app| app.update_item(&account, &item_id, input, None))
                .await
                .map_err(Errors::from_app)
        }
        Err(errors) => Err(Ok(errors)),
    };
    let layout = Layout::new("Your profile", Some(&caller), &csrf);
    match result {
        Ok(saved) if is_htmx(&headers) => {
            let account = caller.account.clone();
            let items = state.run(move |app| app.my_items(&account)).await?;
            let item = items
                .iter()
                .find(|i| i.id.to_string() == saved.id)
                .ok_or_else(PageError::not_found)?;
            Ok(html(
                StatusCode::OK,
                &ItemPartial {
                    layout,
                    item: EditItem::of(item),
                },
            ))
        }
        Ok(_) => Ok(Redirect::to("/me/profile?done=item-saved").into_response()),
        Err(errors) => {
            let failed = ItemForm::submitted(&form, Some(id.clone()), errors?);
            if is_htmx(&headers) {
                let account = caller.account.clone();
                let items = state.run(move |app| app.my_items(&account)).await?;
                let item = items
                    .iter()
                    .find(|i| i.id.to_string() == id)
                    .ok_or_else(PageError::not_found)?;
                let mut edit = EditItem::of(item);
                edit.form = failed;
                edit.open = true;
                // 200 so htmx swaps the form with its errors in.
                return Ok(html(StatusCode::OK, &ItemPartial { layout, item: edit }));
            }
            editor_page(&state, &caller, &csrf, "", None, Some(failed)).await
        }
    }
}

/// Removes an item.
pub async fn delete_item(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    _form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    state
        .run(move |app| app.delete_item(&caller.account, &id))
        .await?;
    if is_htmx(&headers) {
        return Ok(String::new().into_response());
    }
    Ok(Redirect::to("/me/profile?done=item-removed").into_response())
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    card: ProfileCard,
    can_connect: bool,
    own: bool,
    connection: String,
    /// Why the viewer may endorse this member's skills, if they may.
    endorse_because: Option<&'static str>,
}

/// A member's profile as the visitor may see it.
pub async fn public_profile(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(handle): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let handle = Handle::parse(&handle).map_err(|_| PageError::not_found())?;
    let caller = caller.map(|PageCaller(c)| c);
    let viewer = caller.as_ref().map(|c| c.account.clone());
    let view = state
        .run(move |app| {
            let view = app.view_profile(handle.as_str(), viewer.as_ref())?;
            let connection = match &viewer {
                Some(v) => app.connection_state(v, handle.as_str())?,
                None => None,
            };
            let reputation = app.shown_reputation(&view, viewer.as_ref())?;
            let claims: Vec<String> = view
                .items
                .iter()
                .filter(|i| matches!(i.data, ItemData::Skill { .. }))
                .map(|i| i.id.to_string())
                .collect();
            let endorsements = app.endorsements_shown(&view.handle, &claims, viewer.as_ref())?;
            let basis = match &viewer {
                Some(v) => app.endorsement_basis(v, &view.handle)?,
                None => None,
            };
            Ok((
                view,
                connection.unwrap_or_default(),
                reputation,
                (endorsements, basis),
            ))
        })
        .await?;
    let (view, connection, reputation, (endorsements, basis)) = view;
    let mut card = ProfileCard::from_view(&view).with_endorsements(endorsements);
    card.reputation = reputation.as_ref().map(ReputationPanel::of);
    let own = caller
        .as_ref()
        .is_some_and(|c| c.account.handle == card.handle);
    let can_connect = caller.is_some() && !own && connection.is_empty();
    let page = ProfilePage {
        layout: Layout::new(card.name.clone(), caller.as_ref(), &csrf)
            .with_notice(q.get("done").map(String::as_str)),
        can_connect,
        own,
        connection,
        endorse_because: basis.map(|b| b.words()),
        card,
    };
    Ok(html(StatusCode::OK, &page))
}
