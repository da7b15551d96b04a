//! Recording and reading the change feed.

use crate::{App, AppError, Page, PageRequest};
use guildhall_store::DbConnection;
use guildhall_store::repo::events;
use serde::Serialize;

/// Appends one event in the caller's transaction.
pub fn record(
    conn: &mut DbConnection,
    now: i64,
    event_type: &str,
    actor: Option<&str>,
    subjects: &[&str],
    payload: serde_json::Value,
) -> Result<(), AppError> {
    if let DbConnection::Postgresql(_) = conn {
        // Serialise appends until commit, so sequence numbers become visible in order and a
        // node tailing the feed by `seq` never skips an event that commits late.
        diesel::connection::SimpleConnection::batch_execute(
            conn,
            "SELECT pg_advisory_xact_lock(727170)",
        )?;
    }
    let event = events::NewEvent {
        id: uuid::Uuid::now_v7().to_string(),
        event_type: event_type.to_string(),
        actor_id: actor.map(str::to_string),
        subject_ids: serde_json::to_string(subjects).unwrap_or_else(|_| "[]".into()),
        occurred_at: now,
        payload: payload.to_string(),
    };
    events::append(conn, &event)?;
    crate::evidence::append_if_evidence(conn, &event.id, event_type, now, actor, subjects, &payload)
}

/// An event as shown to its actor.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FeedEvent {
    /// Position in the feed.
    pub seq: i64,
    /// Stable type name.
    pub event_type: String,
    /// Ids concerned.
    pub subject_ids: Vec<String>,
    /// Unix milliseconds.
    pub occurred_at: i64,
    /// Details.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

impl From<events::EventRow> for FeedEvent {
    fn from(row: events::EventRow) -> Self {
        FeedEvent {
            seq: row.seq,
            event_type: row.event_type,
            subject_ids: serde_json::from_str(&row.subject_ids).unwrap_or_default(),
            occurred_at: row.occurred_at,
            payload: serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null),
        }
    }
}

impl App {
    /// The caller's own activity, newest first.
    pub fn my_events(
        &self,
        user_id: &str,
        page: &PageRequest,
    ) -> Result<Page<FeedEvent>, AppError> {
        let limit = page.limit()?;
        let before =
            match page.key()? {
                Some(k) => Some(k.parse::<i64>().map_err(|_| {
                    AppError::field("/cursor", "is not a cursor this server gave out")
                })?),
                None => None,
            };
        let rows = self.read(|c| Ok(events::by_actor(c, user_id, before, limit + 1)?))?;
        Ok(Page::from_rows(rows, limit, |r| r.seq.to_string()).map(FeedEvent::from))
    }
}
