//! Community events: times in the organiser's zone, capacity with a waitlist that moves up when
//! someone cancels, and iCalendar files per event and per community.

use super::Scope;
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::calendar::{self, CalendarEvent};
use guildhall_domain::community::{Action, Visibility};
use guildhall_domain::events::{Event, GatheringCreated, GatheringUpdated, Rsvp, RsvpChanged};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::communities::{self as communities, CommunityRow};
use guildhall_store::repo::gatherings::{self as repo, EventRow};
use serde::{Deserialize, Serialize};

/// What creating or editing an event asks for.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// What the event is called, 3 to 200 characters.
    pub title: String,
    /// What the event is about, up to 8,000 characters of Markdown: the community page shows it
    /// formatted (and sanitised), calendar files carry it as written.
    #[serde(default)]
    pub description: String,
    /// Local start, `YYYY-MM-DDTHH:MM`, in `timezone`.
    pub starts: String,
    /// Local end, `YYYY-MM-DDTHH:MM`, in `timezone`.
    pub ends: String,
    /// IANA zone, e.g. `Europe/Lisbon`.
    pub timezone: String,
    /// Online link.
    #[serde(default)]
    pub online_url: Option<String>,
    /// Place.
    #[serde(default)]
    pub place: Option<String>,
    /// Most people going; none for no limit.
    #[serde(default)]
    pub capacity: Option<i32>,
    /// The member who organises it, by handle, when a curator lists it for them: the
    /// contribution's points go to that member (who must belong to the community).
    #[serde(default)]
    pub credit: Option<String>,
}

pub use guildhall_domain::community::RsvpStatus;

/// An event as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    /// The event's id (UUIDv7), as in `/events/{id}`.
    pub id: String,
    /// What the event is called, as its organiser typed it.
    pub title: String,
    /// What the event is about, in Markdown as its organiser wrote it; may be empty.
    pub description: String,
    /// Start (UTC ms).
    pub starts_at: i64,
    /// End (UTC ms).
    pub ends_at: i64,
    /// The organiser's zone.
    pub timezone: String,
    /// Start in that zone, readable.
    pub starts_local: String,
    /// End in that zone, readable.
    pub ends_local: String,
    /// Start in that zone as a form field shows it (`YYYY-MM-DDTHH:MM`).
    pub starts_input: String,
    /// End in that zone as a form field shows it.
    pub ends_input: String,
    /// Online link.
    pub online_url: Option<String>,
    /// Where it happens, in the organiser's words; null for an online-only event.
    pub place: Option<String>,
    /// Most people who can be going; later RSVPs join the waitlist. Null for no limit.
    pub capacity: Option<i32>,
    /// People going.
    pub going: i64,
    /// People waiting.
    pub waitlisted: i64,
    /// The caller's RSVP.
    pub your_rsvp: Option<RsvpStatus>,
    /// Whether a curator called it off; it stays listed, and RSVPs as going are refused.
    pub cancelled: bool,
}

#[derive(Clone)]
struct Checked {
    title: String,
    description: String,
    starts_at: i64,
    ends_at: i64,
    timezone: String,
    online_url: Option<String>,
    place: Option<String>,
}

fn check(input: &EventInput) -> Result<Checked, FieldErrors> {
    let mut e = FieldErrors::new();
    let title = validation::text(&mut e, "/title", &input.title, 3, 200, false);
    let description = validation::text(&mut e, "/description", &input.description, 0, 8000, true);
    let timezone = input.timezone.trim().to_string();
    let zone_ok = timezone.len() <= 64 && calendar::is_time_zone(&timezone);
    if !zone_ok {
        e.add(
            "/timezone",
            "must be a time zone such as Europe/Lisbon or UTC",
        );
    }
    let mut at = |path: &str, raw: &str| match calendar::parse_local(raw, &timezone) {
        Ok(t) => t,
        Err(m) => {
            if zone_ok {
                e.add(path, m);
            }
            0
        }
    };
    let starts_at = at("/starts", &input.starts);
    let ends_at = at("/ends", &input.ends);
    if e.is_empty() && ends_at <= starts_at {
        e.add("/ends", "must be after the start");
    }
    if e.is_empty() && ends_at - starts_at > 14 * 24 * 3600 * 1000 {
        e.add("/ends", "an event lasts at most 14 days");
    }
    let online_url = input
        .online_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .map(|u| validation::web_url(&mut e, "/online_url", u));
    let place = input
        .place
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| validation::text(&mut e, "/place", p, 2, 300, false));
    if online_url.is_none() && place.is_none() {
        e.add("/place", "give a place or an online link");
    }
    if input.capacity.is_some_and(|c| !(1..=100_000).contains(&c)) {
        e.add("/capacity", "must be between 1 and 100000");
    }
    e.into_result(Checked {
        title,
        description,
        starts_at,
        ends_at,
        timezone,
        online_url,
        place,
    })
}

fn view_of(
    c: &mut DbConnection,
    row: EventRow,
    who: Option<&Account>,
    members: bool,
) -> Result<EventView, AppError> {
    let rsvps = repo::rsvps_of(c, &row.id)?;
    let going = rsvps
        .iter()
        .filter(|r| r.status == RsvpStatus::Going)
        .count() as i64;
    let your_rsvp = who
        .and_then(|w| rsvps.iter().find(|r| r.user_id == w.id))
        .map(|r| r.status);
    Ok(EventView {
        starts_local: calendar::format_local(row.starts_at, &row.timezone),
        ends_local: calendar::format_local(row.ends_at, &row.timezone),
        starts_input: calendar::local_input(row.starts_at, &row.timezone),
        ends_input: calendar::local_input(row.ends_at, &row.timezone),
        waitlisted: rsvps.len() as i64 - going,
        going,
        your_rsvp,
        // The link to join online is for members; the public only learns that it is online.
        online_url: if members { row.online_url } else { None },
        id: row.id,
        title: row.title,
        description: row.description,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        timezone: row.timezone,
        place: row.place,
        capacity: row.capacity,
        cancelled: row.cancelled,
    })
}

fn event_row(c: &mut DbConnection, scope: &Scope, id: &str) -> Result<EventRow, AppError> {
    repo::by_id(c, id)?
        .filter(|e| e.community_id == scope.id())
        .ok_or(AppError::NotFound)
}

fn calendar_event(row: &EventRow, members: bool) -> CalendarEvent {
    let online = row.online_url.clone().filter(|_| members);
    CalendarEvent {
        uid: format!("{}@guildhall", row.id),
        title: row.title.clone(),
        description: row.description.clone(),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        location: match (&row.place, online) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(u)) => Some(u),
            (None, None) => Some("Online".into()),
        },
        url: row.online_url.clone().filter(|_| members),
        updated_at: row.updated_at,
        sequence: row.sequence,
        cancelled: row.cancelled,
    }
}

/// How far back a feed reaches: a month of past events, so recent ones stay in calendars.
const FEED_PAST_MS: i64 = 31 * 24 * 3600 * 1000;

impl crate::facades::Communities<'_> {
    /// Creates an event (curators).
    pub fn create_event(
        &self,
        who: &Account,
        slug: &str,
        input: EventInput,
    ) -> Result<EventView, AppError> {
        let checked = check(&input);
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManageEvents)?;
            let checked = checked.clone().map_err(AppError::Validation)?;
            let row = EventRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                title: checked.title.clone(),
                description: checked.description.clone(),
                starts_at: checked.starts_at,
                ends_at: checked.ends_at,
                timezone: checked.timezone.clone(),
                online_url: checked.online_url.clone(),
                place: checked.place.clone(),
                capacity: input.capacity,
                created_by: who.id,
                created_at: now,
                updated_at: now,
                sequence: 0,
                cancelled: false,
            };
            repo::insert(c, &row)?;
            super::points::credit(c, &scope, &row.id, input.credit.as_deref(), now)?;
            record(
                c,
                now,
                Event::GatheringCreated(GatheringCreated {
                    organiser: who.id.to_string(),
                    community: scope.id().to_string(),
                    gathering: row.id.clone(),
                    starts_at: row.starts_at,
                }),
            )?;
            view_of(c, row, Some(who), true)
        })
    }

    /// Changes an event's details, or cancels it (curators). Calendars see a new sequence.
    pub fn update_event(
        &self,
        who: &Account,
        slug: &str,
        event_id: &str,
        input: EventInput,
        cancelled: bool,
    ) -> Result<EventView, AppError> {
        let checked = check(&input);
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManageEvents)?;
            let mut row = event_row(c, &scope, event_id)?;
            let checked = checked.clone().map_err(AppError::Validation)?;
            row.title = checked.title.clone();
            row.description = checked.description.clone();
            row.starts_at = checked.starts_at;
            row.ends_at = checked.ends_at;
            row.timezone = checked.timezone.clone();
            row.online_url = checked.online_url.clone();
            row.place = checked.place.clone();
            row.capacity = input.capacity;
            row.cancelled = cancelled;
            row.updated_at = now;
            row.sequence += 1;
            repo::update(c, &row)?;
            super::points::credit(c, &scope, &row.id, input.credit.as_deref(), now)?;
            record(
                c,
                now,
                Event::GatheringUpdated(GatheringUpdated {
                    organiser: who.id.to_string(),
                    community: scope.id().to_string(),
                    gathering: row.id.clone(),
                    cancelled,
                }),
            )?;
            view_of(c, row, Some(who), true)
        })
    }

    /// Upcoming events (and those under way), for members.
    pub fn events(&self, who: Option<&Account>, slug: &str) -> Result<Vec<EventView>, AppError> {
        let now = self.now();
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            scope.require(Action::ViewMembers)?;
            repo::of_community(c, scope.id(), now, 200)?
                .into_iter()
                .map(|row| view_of(c, row, who, true))
                .collect()
        })
    }

    /// One event, for members.
    pub fn event(
        &self,
        who: Option<&Account>,
        slug: &str,
        event_id: &str,
    ) -> Result<EventView, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            scope.require(Action::ViewMembers)?;
            let row = event_row(c, &scope, event_id)?;
            view_of(c, row, who, true)
        })
    }

    /// Answers an event: going (a place, or the waitlist when full) or not going (which gives
    /// the place to the first person waiting).
    pub fn rsvp(
        &self,
        who: &Account,
        slug: &str,
        event_id: &str,
        going: bool,
    ) -> Result<EventView, AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::Rsvp)?;
            let row = event_row(c, &scope, event_id)?;
            repo::lock(c, &row.id)?;
            let rsvps = repo::rsvps_of(c, &row.id)?;
            let mine = rsvps.iter().find(|r| r.user_id == who.id).map(|r| r.status);
            let going_count = rsvps
                .iter()
                .filter(|r| r.status == RsvpStatus::Going)
                .count() as i64;
            if going {
                if row.cancelled {
                    return Err(AppError::conflict(None, "this event is cancelled"));
                }
                if row.ends_at <= now {
                    return Err(AppError::conflict(None, "this event is over"));
                }
                if mine.is_none() {
                    let full = row
                        .capacity
                        .is_some_and(|cap| going_count >= i64::from(cap));
                    let status = if full {
                        RsvpStatus::Waitlisted
                    } else {
                        RsvpStatus::Going
                    };
                    repo::put_rsvp(c, &row.id, who.id, status, now)?;
                    record(
                        c,
                        now,
                        Event::Rsvp(Rsvp {
                            member: who.id.to_string(),
                            community: scope.id().to_string(),
                            gathering: row.id.clone(),
                            status: status.into(),
                        }),
                    )?;
                }
            } else if repo::delete_rsvp(c, &row.id, who.id)? {
                if mine == Some(RsvpStatus::Going) {
                    // The first person waiting takes the freed place.
                    if let Some(next) = rsvps.iter().find(|r| r.status == RsvpStatus::Waitlisted) {
                        let next = next.user_id;
                        repo::set_rsvp_status(c, &row.id, next, RsvpStatus::Going)?;
                        record(
                            c,
                            now,
                            Event::RsvpPromoted(RsvpChanged {
                                member: next.to_string(),
                                community: scope.id().to_string(),
                                gathering: row.id.clone(),
                            }),
                        )?;
                    }
                }
                record(
                    c,
                    now,
                    Event::RsvpCancelled(RsvpChanged {
                        member: who.id.to_string(),
                        community: scope.id().to_string(),
                        gathering: row.id.clone(),
                    }),
                )?;
            }
            view_of(c, row, Some(who), true)
        })
    }

    /// One event as an iCalendar file, for members.
    pub fn event_ics(
        &self,
        who: Option<&Account>,
        slug: &str,
        event_id: &str,
    ) -> Result<String, AppError> {
        let now = self.now();
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            scope.require(Action::ViewMembers)?;
            let row = event_row(c, &scope, event_id)?;
            Ok(calendar::ics(
                &scope.row.name,
                &[calendar_event(&row, true)],
                now,
            ))
        })
    }

    /// A public community's calendar feed, for anyone (without online links).
    pub fn public_feed(&self, slug: &str) -> Result<String, AppError> {
        let now = self.now();
        self.read(|c| {
            let scope = Scope::load(c, slug, None)?;
            if scope.row.visibility != Visibility::Public {
                return Err(AppError::NotFound);
            }
            feed(c, &scope.row, false, now)
        })
    }

    /// A community's calendar feed by its private token, for members' calendar apps (which
    /// cannot sign in). Includes online links.
    pub fn private_feed(&self, token: &str) -> Result<String, AppError> {
        let now = self.now();
        if token.is_empty() || token.len() > 64 {
            return Err(AppError::NotFound);
        }
        self.read(|c| {
            let row = communities::by_feed_token(c, token)?.ok_or(AppError::NotFound)?;
            feed(c, &row, true, now)
        })
    }
}

fn feed(
    c: &mut DbConnection,
    row: &CommunityRow,
    members: bool,
    now: i64,
) -> Result<String, AppError> {
    let events: Vec<CalendarEvent> = repo::of_community(c, &row.id, now - FEED_PAST_MS, 500)?
        .iter()
        .map(|e| calendar_event(e, members))
        .collect();
    Ok(calendar::ics(&row.name, &events, now))
}
