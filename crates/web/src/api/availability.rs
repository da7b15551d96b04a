//! Availability over the API: the caller's working pattern, the calendars they import, their
//! free/busy feed, and a member's free hours as the caller may see them.

use super::extract::{ApiJson, ApiQuery, path_id};
use super::gatherings::calendar;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use guildhall_app::AppError;
use guildhall_app::availability::{CalendarInfo, FreeTime};
use guildhall_app::profiles::{ItemInput, OwnItem};
use guildhall_domain::FieldErrors;
use guildhall_domain::account::Handle;
use guildhall_domain::availability::{DaysOff, WorkingHours};
use guildhall_domain::profile::ItemData;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The caller's availability and what feeds it.
#[derive(Serialize, ToSchema)]
pub struct AvailabilityOut {
    /// The availability item, absent until set.
    item: Option<OwnItem>,
    /// Calendars imported for busy times.
    calendars: Vec<CalendarInfo>,
    /// The address of the private free/busy feed, absent until made.
    feed_url: Option<String>,
}

/// The caller's availability, imported calendars and feed address.
#[utoipa::path(get, path = "/api/v1/me/availability", operation_id = "my_availability", tag = "availability", security(("bearer" = [])),
    responses((status = 200, body = AvailabilityOut), (status = 401, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<AvailabilityOut>> {
    let out = state
        .run(move |app| {
            let a = app.availability();
            Ok(AvailabilityOut {
                item: a.mine(&caller.account)?,
                calendars: a.calendars(&caller.account)?,
                feed_url: a.feed_url(&caller.account)?,
            })
        })
        .await?;
    Ok(Json(out))
}

/// A working pattern with its audiences.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityBody {
    /// Who sees it (as for any profile item).
    #[schema(example = json!(["connections"]))]
    audiences: Vec<String>,
    /// The zone the hours are written in: an IANA name such as `Europe/Lisbon`, `UTC`, or
    /// `UTC±HH:MM`.
    #[schema(example = "Europe/Lisbon")]
    timezone: String,
    /// Working hours per day of the week; blocks of one day may not overlap.
    weekly: Vec<WorkingHours>,
    /// Days off.
    #[serde(default)]
    days_off: Vec<DaysOff>,
    /// Most hours a week taken on.
    hours_per_week: u8,
}

/// Sets the caller's availability (a profile item; setting it again replaces it).
#[utoipa::path(put, path = "/api/v1/me/availability", operation_id = "set_availability", tag = "availability", security(("bearer" = [])), request_body = AvailabilityBody,
    responses((status = 200, body = OwnItem), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn set(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<AvailabilityBody>,
) -> ApiResult<Json<OwnItem>> {
    let input = ItemInput {
        audiences: body.audiences,
        data: ItemData::Availability {
            timezone: body.timezone,
            weekly: body.weekly,
            days_off: body.days_off,
            hours_per_week: body.hours_per_week,
        },
    };
    // The use case checks an item, whose fields sit under `/data`; this body holds them at
    // its top level.
    let item = state
        .run(move |app| app.availability().set(&caller.account, input))
        .await
        .map_err(|e| match e {
            AppError::Validation(errors) => AppError::Validation(FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|mut f| {
                        if let Some(rest) = f.path.strip_prefix("/data") {
                            f.path = rest.to_string();
                        }
                        f
                    })
                    .collect(),
            )),
            other => other,
        })?;
    Ok(Json(item))
}

/// The largest body of a calendar import: the file's own limit, with room for JSON's escapes
/// of its line ends.
pub const CALENDAR_BODY_LIMIT: usize = 2 * guildhall_app::availability::MAX_ICS_BYTES + 4096;

/// A calendar to import: a file's text, or an address to subscribe to (one of the two).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarBody {
    /// A name for it, such as "Work".
    name: String,
    /// The iCalendar (RFC 5545) text of a file, at most 1 MB.
    ics: Option<String>,
    /// An `https://` (or `http://`) address serving the calendar, fetched now and every three
    /// hours; addresses in private networks are refused.
    url: Option<String>,
}

/// Imports a calendar: a file's text, or an address to subscribe to. Its busy times count
/// against the caller's free hours. A calendar that cannot be fetched or read is refused with
/// what is wrong, and nothing is stored.
#[utoipa::path(post, path = "/api/v1/me/calendars", operation_id = "import_calendar", tag = "availability", security(("bearer" = [])), request_body = CalendarBody,
    responses((status = 201, body = CalendarInfo), (status = 401, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn import(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<CalendarBody>,
) -> ApiResult<(StatusCode, Json<CalendarInfo>)> {
    let info = state
        .run(move |app| match (&body.ics, &body.url) {
            (Some(ics), None) => {
                app.availability()
                    .import_calendar(&caller.account, &body.name, ics)
            }
            (None, Some(url)) => {
                app.availability()
                    .subscribe_calendar(&caller.account, &body.name, url)
            }
            _ => Err(AppError::field(
                "/url",
                "send either ics (a file's text) or url (an address to subscribe to), not both",
            )),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// Removes an imported calendar.
#[utoipa::path(delete, path = "/api/v1/me/calendars/{id}", operation_id = "remove_calendar", tag = "availability", security(("bearer" = [])),
    params(("id" = String, Path, description = "Calendar id")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.availability().remove_calendar(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The address of a free/busy feed.
#[derive(Serialize, ToSchema)]
pub struct FeedOut {
    /// Subscribe a calendar app to it; anyone holding it sees the caller's busy times.
    feed_url: String,
}

/// Makes a new address for the caller's free/busy feed; the old one stops working.
#[utoipa::path(post, path = "/api/v1/me/availability/feed", operation_id = "rotate_availability_feed", tag = "availability", security(("bearer" = [])),
    responses((status = 200, body = FeedOut), (status = 401, body = Problem)))]
pub async fn rotate_feed(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<FeedOut>> {
    let feed_url = state
        .run(move |app| app.availability().rotate_feed(&caller.account))
        .await?;
    Ok(Json(FeedOut { feed_url }))
}

/// A member's free/busy feed by its secret key: busy times and hours outside their working
/// pattern for the next eight weeks, and their commitments, as iCalendar.
#[utoipa::path(get, path = "/api/v1/availability/{key}", operation_id = "availability_feed", tag = "availability",
    params(("key" = String, Path, description = "The feed's secret key")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = Problem)))]
pub async fn feed(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let text = state.run(move |app| app.availability().feed(&key)).await?;
    Ok(calendar(text, "availability.ics"))
}

/// The span free hours are asked for.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SpanQuery {
    /// First day, `YYYY-MM-DD`, in the member's zone.
    from: String,
    /// Last day, included, within a year of the first.
    to: String,
}

/// A member's free hours week by week, if their availability is shown to the caller (404
/// otherwise, as for a member who does not exist). Only the member sees what makes them.
#[utoipa::path(get, path = "/api/v1/profiles/{handle}/free-time", operation_id = "free_time", tag = "availability", security((), ("bearer" = [])),
    params(("handle" = String, Path, description = "Member handle"), SpanQuery),
    responses((status = 200, body = FreeTime), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn free_time(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(handle): Path<String>,
    ApiQuery(q): ApiQuery<SpanQuery>,
) -> ApiResult<Json<FreeTime>> {
    let handle = Handle::parse(&handle).map_err(|_| ApiError::not_found())?;
    let viewer = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| {
                app.availability()
                    .free_time(viewer.as_ref(), handle.as_str(), &q.from, &q.to)
            })
            .await?,
    ))
}
