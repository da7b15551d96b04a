//! Member search.

use super::extract::ApiQuery;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use guildhall_app::search::{MemberHit, MemberQuery};
use serde::Deserialize;

/// Search criteria; every one given must hold.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// A skill, by any of its labels or aliases; related and narrower skills match with a
    /// lower score.
    pub skill: Option<String>,
    /// Words in headlines, summaries, work history and skill notes.
    pub q: Option<String>,
    /// Words of a place.
    pub location: Option<String>,
    /// A time zone, e.g. `Europe/Lisbon`.
    pub timezone: Option<String>,
    /// Results, 1 to 100 (default 20).
    pub limit: Option<usize>,
}

impl SearchQuery {
    /// As the use case takes it.
    pub fn query(self) -> MemberQuery {
        let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        MemberQuery {
            skill_id: None,
            skill: blank(self.skill),
            text: blank(self.q),
            location: blank(self.location),
            timezone: blank(self.timezone),
            limit: self.limit.unwrap_or(20),
        }
    }
}

/// Members matching the criteria, best first. A member is found only through items the caller
/// may see.
#[utoipa::path(get, path = "/api/v1/members", tag = "profiles", security((), ("bearer" = [])), params(SearchQuery),
    responses((status = 200, body = Vec<MemberHit>), (status = 422, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Vec<MemberHit>>> {
    let viewer = caller.map(|ApiCaller(c)| c.account);
    let query = q.query();
    Ok(Json(
        state
            .run(move |app| app.profiles().search_members(viewer.as_ref(), &query))
            .await?,
    ))
}
