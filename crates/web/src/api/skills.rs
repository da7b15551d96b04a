//! The skill taxonomy: autocomplete.

use super::extract::ApiQuery;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the user typed.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AutocompleteQuery {
    /// The text so far (at most 100 characters).
    q: String,
    /// Suggestions wanted, 1 to 50 (default 10).
    #[param(minimum = 1, maximum = 50)]
    limit: Option<usize>,
}

/// One suggestion.
#[derive(Serialize, ToSchema)]
pub struct SkillSuggestion {
    /// The taxonomy skill the label stands for; use it to claim the skill.
    skill_id: String,
    /// The label that matched.
    label: String,
    /// `preferred`, `alias` or `tag`.
    matched: &'static str,
    /// `prefix`, `word` or `typo`.
    how: &'static str,
}

/// Skills whose labels, aliases or tags match the text: label prefixes first (preferred labels,
/// then aliases, then members' tags), then words inside labels, then labels one typo away;
/// more-claimed skills first within each.
#[utoipa::path(get, path = "/api/v1/skills/autocomplete", tag = "skills", params(AutocompleteQuery),
    responses((status = 200, body = Vec<SkillSuggestion>), (status = 422, body = Problem)))]
pub async fn autocomplete(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AutocompleteQuery>,
) -> ApiResult<Json<Vec<SkillSuggestion>>> {
    let limit = q.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::field("/limit", "must be between 1 and 50"));
    }
    let found = state
        .run(move |app| app.skills().suggest_skills(&q.q, limit))
        .await?;
    Ok(Json(found.into_iter().map(suggestion).collect()))
}

fn suggestion(s: guildhall_domain::skills::Suggestion) -> SkillSuggestion {
    use guildhall_domain::skills::LabelKind;
    SkillSuggestion {
        skill_id: s.skill_id,
        label: s.label,
        matched: match s.kind {
            LabelKind::Preferred => "preferred",
            LabelKind::Alias => "alias",
            LabelKind::Tag => "tag",
        },
        how: match s.tier {
            0 => "prefix",
            1 => "word",
            _ => "typo",
        },
    }
}

/// A merge of a member tag into a skill.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The member tag to merge away.
    tag_id: String,
    /// The skill it becomes an alias of.
    skill_id: String,
}

/// Merges a member tag into a skill (operators): its words become the skill's aliases and every
/// claim and pending suggestion of it moves to the skill.
#[utoipa::path(post, path = "/api/v1/admin/skill-merges", tag = "skills", security(("bearer" = [])), request_body = MergeBody,
    responses((status = 201, body = guildhall_app::merges::MergeReport), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn merge(
    State(state): State<AppState>,
    crate::auth::ApiCaller(caller): crate::auth::ApiCaller,
    super::extract::ApiJson(body): super::extract::ApiJson<MergeBody>,
) -> ApiResult<(
    axum::http::StatusCode,
    Json<guildhall_app::merges::MergeReport>,
)> {
    let report = state
        .run(move |app| {
            app.instance()
                .merge_tag(&caller.account, &body.tag_id, &body.skill_id)
        })
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(report)))
}

/// Undoes a merge exactly (operators).
#[utoipa::path(delete, path = "/api/v1/admin/skill-merges/{id}", tag = "skills", security(("bearer" = [])),
    params(("id" = String, Path, description = "Merge id")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn undo_merge(
    State(state): State<AppState>,
    crate::auth::ApiCaller(caller): crate::auth::ApiCaller,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<axum::http::StatusCode> {
    let id = super::extract::path_id(&id)?;
    state
        .run(move |app| app.instance().undo_merge(&caller.account, &id))
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// A skill: its labels, related, broader and narrower skills. A member's tag nobody shared is
/// found only by its author and by those who may see a claim of it.
#[utoipa::path(get, path = "/api/v1/skills/{id}", tag = "skills", security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Skill id")),
    responses((status = 200, body = guildhall_app::skills::SkillDetails), (status = 404, body = Problem)))]
pub async fn details(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<Json<guildhall_app::skills::SkillDetails>> {
    let id = super::extract::path_id(&id)?;
    let viewer = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.skills().skill_details(&id, viewer.as_ref()))
            .await?,
    ))
}
