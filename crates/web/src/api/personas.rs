//! Personas of the caller, and persona links.

use super::extract::{ApiJson, path_id};
use super::profiles::ProfileOut;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::personas::PersonaInput;
use guildhall_domain::persona::Persona;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A persona as its owner sees it.
#[derive(Serialize, ToSchema)]
pub struct PersonaOut {
    /// The persona's id, for editing or removing it.
    id: String,
    /// The persona's name, seen only by its owner ("For clients").
    name: String,
    /// The one-line headline this persona shows instead of the profile's.
    headline: String,
    /// The summary this persona shows instead of the profile's (Markdown).
    summary: String,
    /// Selected item ids, in order.
    item_ids: Vec<String>,
    /// Audience the link stands for.
    link_audience: String,
    /// Path of the unlisted link.
    link: String,
    /// The unlisted link in full, to share: the instance's public address and the path.
    url: String,
}

impl PersonaOut {
    fn new(p: Persona, public_url: &str) -> Self {
        let link = format!("/p/{}", p.link_token);
        PersonaOut {
            id: p.id.to_string(),
            name: p.name,
            headline: p.headline,
            summary: p.summary,
            item_ids: p.item_ids.iter().map(ToString::to_string).collect(),
            link_audience: p.link_audience.to_string(),
            url: format!("{public_url}{link}"),
            link,
        }
    }
}

/// A persona to create or replace.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaBody {
    /// Name, e.g. "Data engineer".
    name: String,
    /// Headline shown through the persona.
    #[serde(default)]
    headline: String,
    /// Summary shown through the persona.
    #[serde(default)]
    summary: String,
    /// Selected item ids, in display order.
    #[serde(default)]
    item_ids: Vec<String>,
    /// Audience the link stands for (default `public`).
    link_audience: Option<String>,
    /// On replace: issue a new link so the old one stops working.
    #[serde(default)]
    new_link: bool,
}

impl PersonaBody {
    fn input(self) -> (PersonaInput, bool) {
        let input = PersonaInput {
            name: self.name,
            headline: self.headline,
            summary: self.summary,
            item_ids: self.item_ids,
            link_audience: self.link_audience.unwrap_or_else(|| "public".into()),
        };
        (input, self.new_link)
    }
}

/// The caller's personas.
#[utoipa::path(get, path = "/api/v1/me/personas", operation_id = "list_personas", tag = "personas", security(("bearer" = [])),
    responses((status = 200, body = Vec<PersonaOut>), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<PersonaOut>>> {
    let personas = state
        .run(move |app| app.profiles().my_personas(&caller.account))
        .await?;
    let url = &state.config.public_url;
    Ok(Json(
        personas
            .into_iter()
            .map(|p| PersonaOut::new(p, url))
            .collect(),
    ))
}

/// Creates a persona.
#[utoipa::path(post, path = "/api/v1/me/personas", operation_id = "create_persona", tag = "personas", security(("bearer" = [])), request_body = PersonaBody,
    responses((status = 201, body = PersonaOut), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<PersonaBody>,
) -> ApiResult<(StatusCode, Json<PersonaOut>)> {
    if body.new_link {
        return Err(ApiError::field(
            "/new_link",
            "applies when replacing a persona",
        ));
    }
    let (input, _) = body.input();
    let persona = state
        .run(move |app| app.profiles().create_persona(&caller.account, input))
        .await?;
    let out = PersonaOut::new(persona, &state.config.public_url);
    Ok((StatusCode::CREATED, Json(out)))
}

/// One of the caller's personas.
#[utoipa::path(get, path = "/api/v1/me/personas/{id}", operation_id = "get_persona", tag = "personas", security(("bearer" = [])),
    params(("id" = String, Path, description = "Persona id")),
    responses((status = 200, body = PersonaOut), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonaOut>> {
    let id = path_id(&id)?;
    let persona = state
        .run(move |app| app.profiles().my_persona(&caller.account, &id))
        .await?;
    Ok(Json(PersonaOut::new(persona, &state.config.public_url)))
}

/// Replaces a persona.
#[utoipa::path(put, path = "/api/v1/me/personas/{id}", operation_id = "update_persona", tag = "personas", security(("bearer" = [])), request_body = PersonaBody,
    params(("id" = String, Path, description = "Persona id")),
    responses((status = 200, body = PersonaOut), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonaBody>,
) -> ApiResult<Json<PersonaOut>> {
    let id = path_id(&id)?;
    let (input, new_link) = body.input();
    let persona = state
        .run(move |app| {
            app.profiles()
                .update_persona(&caller.account, &id, input, new_link)
        })
        .await?;
    Ok(Json(PersonaOut::new(persona, &state.config.public_url)))
}

/// Removes a persona; its link stops working.
#[utoipa::path(delete, path = "/api/v1/me/personas/{id}", tag = "personas", security(("bearer" = [])),
    params(("id" = String, Path, description = "Persona id")),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.profiles().delete_persona(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a persona's unlisted link shows, the same for whoever opens it.
#[utoipa::path(get, path = "/api/v1/personas/{token}", tag = "personas",
    params(("token" = String, Path, description = "The link's token")),
    responses((status = 200, body = ProfileOut), (status = 404, body = Problem)))]
pub async fn view_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<ProfileOut>> {
    if !token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ApiError::not_found());
    }
    let view = state
        .run(move |app| app.profiles().view_persona_link(&token))
        .await?;
    Ok(Json(view.into()))
}
