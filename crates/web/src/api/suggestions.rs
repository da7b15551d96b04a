//! Co-created skills over the API: suggestions, answers, endorsements and the who-may-suggest
//! setting.

use super::extract::{ApiJson, ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::profiles::OwnItem;
use guildhall_app::suggestions::{IncomingSuggestion, SentSuggestion, SuggestionsFrom};
use guildhall_domain::account::Handle;
use serde::Deserialize;
use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// A skill suggestion.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestBody {
    /// The skill, in the suggester's words (resolved to the taxonomy when it can be).
    label: String,
    /// Where the suggester saw it (required, at most 280 characters).
    note: String,
}

fn handle(raw: &str) -> Result<Handle, ApiError> {
    Handle::parse(raw).map_err(|_| ApiError::not_found())
}

/// Suggests a skill to a member. The suggester later sees only "added" or "not added".
#[utoipa::path(post, path = "/api/v1/profiles/{handle}/skill-suggestions", tag = "skills", security(("bearer" = [])), request_body = SuggestBody,
    params(("handle" = String, Path, description = "Member handle")),
    responses((status = 201, body = SentSuggestion), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn suggest(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<SuggestBody>,
) -> ApiResult<(StatusCode, Json<SentSuggestion>)> {
    let h = handle(&raw)?;
    let sent = state
        .run(move |app| {
            app.skills()
                .suggest_skill(&caller.account, h.as_str(), &body.label, &body.note)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// Which suggestions.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoxQuery {
    /// `incoming` (made to you, default) or `sent` (made by you).
    #[serde(rename = "box")]
    #[param(rename = "box", inline)]
    box_: Option<SuggestionBox>,
}

/// Which side of a suggestion.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionBox {
    /// Made to you.
    #[default]
    Incoming,
    /// Made by you.
    Sent,
}

/// Suggestions, either box.
#[derive(serde::Serialize)]
#[serde(untagged)]
pub enum SuggestionList {
    /// Made to you.
    Incoming(Vec<IncomingSuggestion>),
    /// Made by you.
    Sent(Vec<SentSuggestion>),
}

// Written by hand because an empty list is both kinds: the derived `oneOf` would make every
// empty answer invalid, so the document says `anyOf`.
impl utoipa::PartialSchema for SuggestionList {
    fn schema() -> RefOr<Schema> {
        let list_of = |name: &str| {
            ArrayBuilder::new()
                .items(Ref::from_schema_name(name))
                .build()
        };
        AnyOfBuilder::new()
            .description(Some(
                "Suggestions made to you, or made by you (`box=sent`).",
            ))
            .item(list_of("IncomingSuggestion"))
            .item(list_of("SentSuggestion"))
            .into()
    }
}

impl ToSchema for SuggestionList {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push(("IncomingSuggestion".into(), IncomingSuggestion::schema()));
        schemas.push(("SentSuggestion".into(), SentSuggestion::schema()));
    }
}

/// Suggestions made to you (all, newest first) or by you (with their outcome only).
#[utoipa::path(get, path = "/api/v1/me/skill-suggestions", operation_id = "list_skill_suggestions", tag = "skills", security(("bearer" = [])), params(BoxQuery),
    responses((status = 200, body = SuggestionList), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<BoxQuery>,
) -> ApiResult<Json<SuggestionList>> {
    match q.box_.unwrap_or_default() {
        SuggestionBox::Incoming => Ok(Json(SuggestionList::Incoming(
            state
                .run(move |app| app.skills().incoming_suggestions(&caller.account, false))
                .await?,
        ))),
        SuggestionBox::Sent => Ok(Json(SuggestionList::Sent(
            state
                .run(move |app| app.skills().sent_suggestions(&caller.account))
                .await?,
        ))),
    }
}

/// How to add an accepted skill.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// Who may see the new claim (default: connections).
    audiences: Option<Vec<String>>,
    /// Level, 1 to 5 (default 3).
    level: Option<u8>,
}

/// Accepts a suggestion: the skill joins your profile, recording who suggested it.
#[utoipa::path(post, path = "/api/v1/me/skill-suggestions/{id}/accept", operation_id = "accept_skill_suggestion", tag = "skills", security(("bearer" = [])), request_body = AcceptBody,
    params(("id" = String, Path, description = "Suggestion id")),
    responses((status = 200, body = OwnItem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AcceptBody>,
) -> ApiResult<Json<OwnItem>> {
    let id = path_id(&id)?;
    let audiences = body.audiences.unwrap_or_else(|| vec!["connections".into()]);
    let level = body.level.unwrap_or(3);
    Ok(Json(
        state
            .run(move |app| {
                app.skills()
                    .accept_suggestion(&caller.account, &id, audiences, level)
            })
            .await?,
    ))
}

/// Declines a suggestion; the suggester sees "not added".
#[utoipa::path(post, path = "/api/v1/me/skill-suggestions/{id}/decline", operation_id = "decline_skill_suggestion", tag = "skills", security(("bearer" = [])),
    params(("id" = String, Path, description = "Suggestion id")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.skills().decline_suggestion(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who may suggest skills to you.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionSetting {
    /// `members`, `connections` or `off`.
    from: SuggestionsFrom,
}

/// Chooses who may suggest skills to you.
#[utoipa::path(put, path = "/api/v1/me/settings/skill-suggestions", tag = "skills", security(("bearer" = [])), request_body = SuggestionSetting,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn set_setting(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<SuggestionSetting>,
) -> ApiResult<StatusCode> {
    state
        .run(move |app| {
            app.skills()
                .set_suggestions_from(&caller.account, body.from)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An endorsement.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndorseBody {
    /// What the endorser saw (optional, at most 280 characters).
    #[serde(default)]
    note: String,
}

/// Endorses a skill claim you can see on a connection's profile.
#[utoipa::path(post, path = "/api/v1/profiles/{handle}/items/{id}/endorsements", tag = "skills", security(("bearer" = [])), request_body = EndorseBody,
    params(("handle" = String, Path, description = "Member handle"), ("id" = String, Path, description = "Skill claim id")),
    responses((status = 201), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn endorse(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<EndorseBody>,
) -> ApiResult<StatusCode> {
    let (h, id) = (handle(&raw)?, path_id(&id)?);
    state
        .run(move |app| {
            app.skills()
                .endorse(&caller.account, h.as_str(), &id, &body.note)
        })
        .await?;
    Ok(StatusCode::CREATED)
}
