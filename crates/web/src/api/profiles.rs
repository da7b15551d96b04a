//! Profile items of the caller, and profiles as a viewer sees them.

use super::extract::{ApiJson, ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::profiles::{ItemInput, OwnItem, PreviewAs};
use guildhall_domain::account::Handle;
use guildhall_domain::profile::ItemData;
use guildhall_domain::view::ProfileView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An item as a viewer sees it: content only, never its audiences.
#[derive(Serialize, ToSchema)]
pub struct VisibleItem {
    /// Item id.
    id: String,
    /// Content.
    data: ItemData,
}

/// A persona's own header.
#[derive(Serialize, ToSchema)]
pub struct PersonaHeaderOut {
    /// Persona name.
    name: String,
    /// Persona headline.
    headline: String,
    /// Persona summary.
    summary: String,
}

/// A profile as the caller may see it.
#[derive(Serialize, ToSchema)]
pub struct ProfileOut {
    /// The member's handle, without the `@`.
    handle: String,
    /// Name to show (the handle when no display name is visible).
    display_name: String,
    /// Present when seen through a persona.
    persona: Option<PersonaHeaderOut>,
    /// Visible items, in order.
    items: Vec<VisibleItem>,
}

impl From<ProfileView> for ProfileOut {
    fn from(v: ProfileView) -> Self {
        ProfileOut {
            display_name: v.display_name().to_string(),
            handle: v.handle,
            persona: v.persona.map(|p| PersonaHeaderOut {
                name: p.name,
                headline: p.headline,
                summary: p.summary,
            }),
            items: v
                .items
                .into_iter()
                .map(|i| VisibleItem {
                    id: i.id.to_string(),
                    data: i.data,
                })
                .collect(),
        }
    }
}

/// A member's profile as the caller may see it. Anonymous callers see public items only;
/// hidden items are left out exactly as if they did not exist.
#[utoipa::path(get, path = "/api/v1/profiles/{handle}", tag = "profiles", security((), ("bearer" = [])),
    params(("handle" = String, Path, description = "Member handle")),
    responses((status = 200, body = ProfileOut), (status = 404, body = Problem)))]
pub async fn view(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(handle): Path<String>,
) -> ApiResult<Json<ProfileOut>> {
    let handle = Handle::parse(&handle).map_err(|_| ApiError::not_found())?;
    let viewer = caller.map(|ApiCaller(c)| c.account);
    if viewer.is_none()
        && let Some(view) = state.app.profiles().cached_public_profile(handle.as_str())
    {
        return Ok(Json(view.into()));
    }
    let view = state
        .run(move |app| {
            app.profiles()
                .view_profile(handle.as_str(), viewer.as_ref())
        })
        .await?;
    Ok(Json(view.into()))
}

/// The caller's items with their audiences.
#[utoipa::path(get, path = "/api/v1/me/items", tag = "profiles", security(("bearer" = [])),
    responses((status = 200, body = Vec<OwnItem>), (status = 401, body = Problem)))]
pub async fn list_items(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<OwnItem>>> {
    let items = state
        .run(move |app| app.profiles().my_items(&caller.account))
        .await?;
    Ok(Json(items.iter().map(OwnItem::from).collect()))
}

/// An item to add or replace.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// Who may see it: `public`, `members`, `connections`, `clients`, `private`, `community:<id>`.
    #[schema(example = json!(["public"]))]
    audiences: Vec<String>,
    /// Content, by kind.
    data: ItemData,
    /// New position (on replace only).
    position: Option<i32>,
}

/// Adds an item at the end of the caller's profile.
#[utoipa::path(post, path = "/api/v1/me/items", tag = "profiles", security(("bearer" = [])), request_body = ItemBody,
    responses((status = 201, body = OwnItem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn add_item(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<ItemBody>,
) -> ApiResult<(StatusCode, Json<OwnItem>)> {
    if body.position.is_some() {
        return Err(ApiError::field(
            "/position",
            "set the position when replacing an item, not when adding one",
        ));
    }
    let input = ItemInput {
        audiences: body.audiences,
        data: body.data,
    };
    let item = state
        .run(move |app| app.profiles().add_item(&caller.account, input))
        .await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// Replaces an item's content and audiences.
#[utoipa::path(put, path = "/api/v1/me/items/{id}", tag = "profiles", security(("bearer" = [])), request_body = ItemBody,
    params(("id" = String, Path, description = "Item id")),
    responses((status = 200, body = OwnItem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_item(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ItemBody>,
) -> ApiResult<Json<OwnItem>> {
    let id = path_id(&id)?;
    let input = ItemInput {
        audiences: body.audiences,
        data: body.data,
    };
    let item = state
        .run(move |app| {
            app.profiles()
                .update_item(&caller.account, &id, input, body.position)
        })
        .await?;
    Ok(Json(item))
}

/// Removes an item.
#[utoipa::path(delete, path = "/api/v1/me/items/{id}", tag = "profiles", security(("bearer" = [])),
    params(("id" = String, Path, description = "Item id")),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete_item(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.profiles().delete_item(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whom to preview as.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PreviewQuery {
    /// `public`, `member`, `connection`, `client`, `community:<id>` (a fellow member of one of
    /// your communities) or `persona:<id>`.
    #[serde(rename = "as")]
    #[param(
        rename = "as",
        pattern = "^(public|member|connection|client|(community|persona):[0-9a-fA-F-]{36})$"
    )]
    pub as_: String,
}

/// Parses a preview audience.
pub fn preview_as(raw: &str) -> Result<PreviewAs, ApiError> {
    match raw {
        "public" => Ok(PreviewAs::Public),
        "member" => Ok(PreviewAs::Member),
        "connection" => Ok(PreviewAs::Connection),
        "client" => Ok(PreviewAs::Client),
        other => match other.split_once(':') {
            Some(("persona", id)) => {
                Ok(PreviewAs::Persona(path_id(id).map_err(|_| {
                    ApiError::field("/as", "names no persona of yours")
                })?))
            }
            Some(("community", id)) => {
                Ok(PreviewAs::Community(path_id(id).map_err(|_| {
                    ApiError::field("/as", "names no community of yours")
                })?))
            }
            _ => Err(ApiError::field(
                "/as",
                "must be public, member, connection, client, community:<id> or persona:<id>",
            )),
        },
    }
}

/// The caller's own profile as someone else would see it.
#[utoipa::path(get, path = "/api/v1/me/preview", operation_id = "preview_profile", tag = "profiles", security(("bearer" = [])), params(PreviewQuery),
    responses((status = 200, body = ProfileOut), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn preview(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<PreviewQuery>,
) -> ApiResult<Json<ProfileOut>> {
    let as_ = preview_as(&q.as_)?;
    let view = state
        .run(move |app| app.profiles().preview(&caller.account, &as_))
        .await?;
    Ok(Json(view.into()))
}
