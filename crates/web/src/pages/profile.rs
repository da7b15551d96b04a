//! The profile editor with its "view as" preview, and the profile page others see.

use super::item_form::{self, ItemForm};
use super::page_id;
use super::render::{Errors, Layout, PageError, PageResult, html};
use super::reputation::ReputationPanel;
use super::view_model::{AudienceChoice, KINDS, ProfileCard, item_line};
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
use std::collections::{HashMap, HashSet};

/// One editable item.
pub struct EditItem {
    /// The item being edited.
    pub id: String,
    /// Kind in words.
    pub kind_label: &'static str,
    /// One-line description.
    pub line: String,
    /// Audiences: (stored name, words).
    pub audiences: Vec<(String, String)>,
    /// Its edit form.
    pub form: ItemForm,
    /// Open the edit form (after an error).
    pub open: bool,
    /// For a skill: whether it matched the taxonomy (true) or became the member's own tag.
    pub in_taxonomy: Option<bool>,
}

impl EditItem {
    fn of(item: &ProfileItem, tags: &HashSet<String>) -> Self {
        let in_taxonomy = match &item.data {
            ItemData::Skill { skill_id, .. } => {
                Some(skill_id.as_ref().is_some_and(|id| !tags.contains(id)))
            }
            _ => None,
        };
        EditItem {
            in_taxonomy,
            id: item.id.to_string(),
            kind_label: super::view_model::kind_label(item.data.kind()),
            line: item_line(item),
            audiences: item
                .audiences
                .iter()
                .map(|a| (a.to_string(), a.label()))
                .collect(),
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
    /// The audience or persona previewed as (`public`, `persona:<id>`…), empty when editing.
    preview_as: String,
}

#[derive(Template)]
#[template(path = "item_partial.html")]
struct ItemPartial {
    layout: Layout,
    item: EditItem,
}

fn tabs(personas: &[Persona], communities: &[(String, String)], current: &str) -> Vec<Tab> {
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
        Tab {
            value: "client".into(),
            label: "Client".into(),
            current: current == "client",
        },
    ];
    for (id, name) in communities {
        let value = format!("community:{id}");
        tabs.push(Tab {
            current: current == value,
            label: format!("Member of {name}"),
            value,
        });
    }
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

fn my_items_and_tags(
    app: &guildhall_app::App,
    account: &guildhall_app::accounts::Account,
) -> Result<(Vec<ProfileItem>, HashSet<String>), guildhall_app::AppError> {
    let items = app.profiles().my_items(account)?;
    let tags = app.skills().tags_among(items.iter().map(|i| &i.data))?;
    Ok((items, tags))
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
    let (items, tags, personas, communities, preview) = state
        .run(move |app| {
            let items = app.profiles().my_items(&account)?;
            let tags = app.skills().tags_among(items.iter().map(|i| &i.data))?;
            let personas = app.profiles().my_personas(&account)?;
            let communities: Vec<(String, String)> = app
                .communities()
                .list(Some(&account))?
                .into_iter()
                .filter(|c| c.your_role.is_some())
                .map(|c| (c.id, c.name))
                .collect();
            let preview = match preview_as
                .map(|p| app.profiles().preview(&account, &p))
                .transpose()?
            {
                Some(view) => {
                    // What the previewed audience would read: nobody's part named.
                    let reputation = app.evidence().shown_reputation(&view, None)?;
                    let mut card = ProfileCard::from_view(&view);
                    card.reputation = reputation.as_ref().map(ReputationPanel::of);
                    Some(card)
                }
                None => None,
            };
            Ok((items, tags, personas, communities, preview))
        })
        .await?;
    let mut edit_items: Vec<EditItem> = items.iter().map(|i| EditItem::of(i, &tags)).collect();
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
    // Community audiences by name, and every community of the member offered as one.
    for (id, name) in &communities {
        let (value, words) = (format!("community:{id}"), format!("Members of {name}"));
        for item in &mut edit_items {
            for (v, w) in &mut item.audiences {
                if *v == value {
                    *w = words.clone();
                }
            }
        }
        let forms = edit_items
            .iter_mut()
            .map(|i| &mut i.form)
            .chain(add_forms.iter_mut());
        for form in forms {
            match form.audiences.iter_mut().find(|c| c.value == value) {
                Some(choice) => choice.label = words.clone(),
                None => form.audiences.push(AudienceChoice {
                    value: value.clone(),
                    label: words.clone(),
                    checked: false,
                }),
            }
        }
    }
    let tabs = tabs(&personas, &communities, as_);
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
        preview_as: as_.to_string(),
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
    let added = state
        .run(move |app| {
            let item = app.profiles().add_item(&account, input)?;
            let tags = app.skills().tags_among([&item.data])?;
            Ok((item, tags))
        })
        .await;
    match added {
        Ok((item, tags)) => {
            // Say whether a skill matched the taxonomy or was kept as the member's own words.
            let done = match &item.data {
                ItemData::Skill { skill_id, .. } => match skill_id {
                    Some(id) if !tags.contains(id) => "skill-matched",
                    _ => "skill-tagged",
                },
                _ => "item-added",
            };
            Ok(Redirect::to(&format!("/me/profile?done={done}")).into_response())
        }
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
                .run(move |app| app.profiles().update_item(&account, &item_id, input, None))
                .await
                .map_err(Errors::from_app)
        }
        Err(errors) => Err(Ok(errors)),
    };
    let layout = Layout::new("Your profile", Some(&caller), &csrf);
    match result {
        Ok(saved) if is_htmx(&headers) => {
            let account = caller.account.clone();
            let (items, tags) = state
                .run(move |app| my_items_and_tags(app, &account))
                .await?;
            let item = items
                .iter()
                .find(|i| i.id.to_string() == saved.id)
                .ok_or_else(PageError::not_found)?;
            Ok(html(
                StatusCode::OK,
                &ItemPartial {
                    layout,
                    item: EditItem::of(item, &tags),
                },
            ))
        }
        Ok(_) => Ok(Redirect::to("/me/profile?done=item-saved").into_response()),
        Err(errors) => {
            let failed = ItemForm::submitted(&form, Some(id.clone()), errors?);
            if is_htmx(&headers) {
                let account = caller.account.clone();
                let (items, tags) = state
                    .run(move |app| my_items_and_tags(app, &account))
                    .await?;
                let item = items
                    .iter()
                    .find(|i| i.id.to_string() == id)
                    .ok_or_else(PageError::not_found)?;
                let mut edit = EditItem::of(item, &tags);
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
        .run(move |app| app.profiles().delete_item(&caller.account, &id))
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
    /// Whether the viewer blocked this member.
    blocked: bool,
    /// Why the viewer may endorse this member's skills, if they may.
    endorse_because: Option<&'static str>,
    /// A refused skill suggestion, (skill, note) as typed.
    suggestion: Option<(String, String)>,
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
            let view = app
                .profiles()
                .view_profile(handle.as_str(), viewer.as_ref())?;
            let connection = match &viewer {
                Some(v) => app.profiles().connection_state(v, handle.as_str())?,
                None => None,
            };
            let reputation = app.evidence().shown_reputation(&view, viewer.as_ref())?;
            let claims: Vec<String> = view
                .items
                .iter()
                .filter(|i| matches!(i.data, ItemData::Skill { .. }))
                .map(|i| i.id.to_string())
                .collect();
            let endorsements =
                app.skills()
                    .endorsements_shown(&view.handle, &claims, viewer.as_ref())?;
            let basis = match &viewer {
                Some(v) => app.skills().endorsement_basis(v, &view.handle)?,
                None => None,
            };
            let blocked = match &viewer {
                Some(v) if v.handle != view.handle => {
                    app.conversations().is_blocked(v, &view.handle)?
                }
                _ => false,
            };
            Ok((
                view,
                connection
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                reputation,
                (endorsements, basis, blocked),
            ))
        })
        .await?;
    let (view, connection, reputation, (endorsements, basis, blocked)) = view;
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
        blocked,
        endorse_because: basis.map(|b| b.words()),
        suggestion: q.get("label").map(|label| {
            let note = q.get("note").cloned().unwrap_or_default();
            (label.clone(), note)
        }),
        card,
    };
    Ok(html(StatusCode::OK, &page))
}
