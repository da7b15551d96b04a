//! Communities over the API: listing, creating and editing, joining, leaving, roles, the
//! persona each member shows, and the member directory.

use super::extract::ApiJson;
use super::profiles::ProfileOut;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::communities::{Community, CommunityInput, Question};
use guildhall_domain::account::Handle;
use guildhall_domain::community::{Admission, Role, Visibility};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A community to create, or its new settings.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommunityBody {
    /// The community's name as members and visitors see it (2 to 80 characters).
    name: String,
    /// URL name: 3–40 of a-z, 0-9 and `-` (ignored when editing).
    #[serde(default)]
    slug: String,
    /// What it is for.
    #[serde(default)]
    description: String,
    /// `public` (default), `listed` or `unlisted`.
    visibility: Option<Visibility>,
    /// `open` (default), `application` or `invitation`.
    admission: Option<Admission>,
    /// Most members, if capped.
    member_cap: Option<i32>,
    /// The application form.
    #[serde(default)]
    questions: Vec<Question>,
    /// Skills the community is about, by name.
    #[serde(default)]
    focus_skills: Vec<String>,
}

impl From<CommunityBody> for CommunityInput {
    fn from(body: CommunityBody) -> Self {
        CommunityInput {
            name: body.name,
            slug: body.slug,
            description: body.description,
            visibility: body.visibility,
            admission: body.admission,
            member_cap: body.member_cap,
            questions: body.questions,
            focus_skills: body.focus_skills,
        }
    }
}

/// A slug from a path, or not found.
pub(super) fn slug(raw: &str) -> Result<String, ApiError> {
    crate::paths::slug(raw).ok_or_else(ApiError::not_found)
}

/// The communities you may see.
#[utoipa::path(get, path = "/api/v1/communities", operation_id = "list_communities", tag = "communities", security((), ("bearer" = [])),
    responses((status = 200, body = Vec<Community>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
) -> ApiResult<Json<Vec<Community>>> {
    let who = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.communities().list(who.as_ref()))
            .await?,
    ))
}

/// Creates a community; you become its owner.
#[utoipa::path(post, path = "/api/v1/communities", operation_id = "create_community", tag = "communities", security(("bearer" = [])), request_body = CommunityBody,
    responses((status = 201, body = Community), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<CommunityBody>,
) -> ApiResult<(StatusCode, Json<Community>)> {
    let input = CommunityInput::from(body);
    let created = state
        .run(move |app| app.communities().create_community(&caller.account, input))
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One community, if you may see it.
#[utoipa::path(get, path = "/api/v1/communities/{slug}", operation_id = "get_community", tag = "communities", security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Community), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(raw): Path<String>,
) -> ApiResult<Json<Community>> {
    let slug = slug(&raw)?;
    let who = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.communities().community(&slug, who.as_ref()))
            .await?,
    ))
}

/// Joins an open community.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/join", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Community), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn join(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Community>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.communities().join_community(&caller.account, &slug))
            .await?,
    ))
}

/// Leaves a community.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/leave", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn leave(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let slug = slug(&raw)?;
    state
        .run(move |app| app.communities().leave_community(&caller.account, &slug))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new role.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    /// `owner`, `curator`, `mentor` or `member`.
    role: Role,
}

/// Gives a member a role (curators up to curator; owners any).
#[utoipa::path(put, path = "/api/v1/communities/{slug}/members/{handle}/role", tag = "communities", security(("bearer" = [])), request_body = RoleBody,
    params(("slug" = String, Path, description = "Community slug"), ("handle" = String, Path, description = "Member handle")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn set_role(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, handle)): Path<(String, String)>,
    ApiJson(body): ApiJson<RoleBody>,
) -> ApiResult<StatusCode> {
    let (slug, handle) = (
        slug(&raw)?,
        Handle::parse(&handle).map_err(|_| ApiError::not_found())?,
    );
    state
        .run(move |app| {
            app.communities()
                .set_community_role(&caller.account, &slug, handle.as_str(), body.role)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Why a member is removed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveBody {
    /// The reason, kept in the change feed.
    reason: String,
}

/// Removes a member (staff), with a reason.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/members/{handle}/remove", operation_id = "remove_member", tag = "communities", security(("bearer" = [])), request_body = RemoveBody,
    params(("slug" = String, Path, description = "Community slug"), ("handle" = String, Path, description = "Member handle")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, handle)): Path<(String, String)>,
    ApiJson(body): ApiJson<RemoveBody>,
) -> ApiResult<StatusCode> {
    let (slug, handle) = (
        slug(&raw)?,
        Handle::parse(&handle).map_err(|_| ApiError::not_found())?,
    );
    state
        .run(move |app| {
            app.communities().remove_community_member(
                &caller.account,
                &slug,
                handle.as_str(),
                &body.reason,
            )
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes a community's settings (owners). The slug is its address and stays: send the current
/// one, or leave it out.
#[utoipa::path(put, path = "/api/v1/communities/{slug}", tag = "communities", security(("bearer" = [])), request_body = CommunityBody,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Community), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<CommunityBody>,
) -> ApiResult<Json<Community>> {
    let slug = slug(&raw)?;
    let sent = body.slug.trim();
    if !sent.is_empty() && !sent.eq_ignore_ascii_case(&slug) {
        return Err(ApiError::field(
            "/slug",
            "a community's slug cannot change: send its current slug",
        ));
    }
    let input = CommunityInput::from(body);
    Ok(Json(
        state
            .run(move |app| {
                app.communities()
                    .edit_community(&caller.account, &slug, input)
            })
            .await?,
    ))
}

/// The persona a community sees.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaChoice {
    /// One of your personas, or null for your profile as fellow members see it.
    persona_id: Option<String>,
}

/// Chooses which persona this community sees of you.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/persona", tag = "communities", security(("bearer" = [])), request_body = PersonaChoice,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Community), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn choose_persona(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<PersonaChoice>,
) -> ApiResult<Json<Community>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| {
                app.communities().set_community_persona(
                    &caller.account,
                    &slug,
                    body.persona_id.as_deref(),
                )
            })
            .await?,
    ))
}

/// A member as the community sees them.
#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    /// What the member may do in the community: owner, curator, mentor or member.
    role: Role,
    /// What the member shows this community.
    profile: ProfileOut,
}

/// The community's members, each as they chose to be seen there (members only).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/members", tag = "communities", security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<MemberOut>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn members(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<MemberOut>>> {
    let slug = slug(&raw)?;
    let who = caller.map(|ApiCaller(c)| c.account);
    let cards = state
        .run(move |app| app.communities().community_members(who.as_ref(), &slug))
        .await?;
    Ok(Json(
        cards
            .into_iter()
            .map(|m| MemberOut {
                role: m.role,
                profile: m.shown.into(),
            })
            .collect(),
    ))
}
