//! Hourly contracts: a rate and a weekly cap instead of fixed milestones. The client funds a
//! week (its cap at the rate goes into escrow, and the week becomes a milestone of the
//! contract); the member logs time entries in it and submits the week like a delivery; the
//! client approves it or disputes it, and a week left unanswered is approved when the review
//! period runs out. Approving pays the logged hours at the rate and returns the rest of the
//! week's escrow, so the ledger's rules are the milestones' own. Either side ends the contract
//! once no week waits for an answer.

use super::milestones::{
    SYSTEM, complete, milestone_of, next, refund_on_end, refund_request, refund_to_client, require,
    require_active,
};
use super::{ContractView, locked, view};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::ledger::{self, Lookup, MoneyRequest};
use guildhall_domain::contract::{ContractEvent, MilestoneEvent, MilestoneStatus};
use guildhall_domain::events::{ContractCancelled, Event, MilestoneFunded, TimeLogged};
use guildhall_domain::hourly::{self, MAX_ENTRY_MINUTES};
use guildhall_domain::money::Money;
use guildhall_domain::{FieldErrors, MilestoneId, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::contracts::{self as repo, ContractRow, MilestoneRow};
use guildhall_store::repo::hourly::{self as hours, EntryRow, TermsRow, WeekRow};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The lowest hourly rate, in minor units: a minute's work is then worth at least one.
pub const MIN_RATE: i64 = 60;
/// How far ahead a week may be funded.
const WEEKS_AHEAD: i64 = 52;

/// An hourly contract's terms, as offered.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HourlyInput {
    /// Minor units of the contract's currency per hour, at least 60.
    pub rate: i64,
    /// The most hours paid in a week, 1 to 80.
    pub weekly_cap_hours: i32,
}

/// An hourly contract's terms and weeks as its parties see them.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct HourlyView {
    /// Minor units per hour.
    pub rate: i64,
    /// Written out, e.g. `€45.00`.
    pub rate_display: String,
    /// The most hours paid in a week.
    pub weekly_cap_hours: i32,
    /// What a week's escrow holds (the cap at the rate), written out.
    pub week_escrow_display: String,
    /// The weeks funded, oldest first.
    pub weeks: Vec<WeekView>,
}

/// A week of an hourly contract.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WeekView {
    /// The week's Monday, `YYYY-MM-DD`.
    pub week_of: String,
    /// The week's Sunday.
    pub week_to: String,
    /// The milestone holding its escrow: submit, approve or dispute the week through it.
    pub milestone: String,
    /// Where the week stands.
    pub status: MilestoneStatus,
    /// Minutes logged.
    pub minutes: i64,
    /// Hours logged, written out (`12.5`).
    pub hours: String,
    /// What the logged hours come to at the rate (once approved, what was paid).
    pub amount_display: String,
    /// The day (UTC) an unanswered submitted week is approved, `YYYY-MM-DD`.
    pub approved_automatically_on: Option<String>,
    /// The time logged, by day.
    pub entries: Vec<TimeEntry>,
}

/// Time logged.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TimeEntry {
    /// The entry's id (UUIDv7).
    pub id: String,
    /// The day worked, `YYYY-MM-DD`.
    pub worked_on: String,
    /// Minutes.
    pub minutes: i32,
    /// Hours, written out.
    pub hours: String,
    /// What was done.
    pub note: String,
}

/// What logging time asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeEntryInput {
    /// The day worked, `YYYY-MM-DD`, in a week the client funded.
    pub worked_on: String,
    /// Minutes worked, 1 to 1440.
    pub minutes: i32,
    /// What was done, up to 500 characters.
    #[serde(default)]
    pub note: String,
}

/// Checks offered hourly terms, in `currency` when it is known.
pub(crate) fn check_terms(
    e: &mut FieldErrors,
    input: &HourlyInput,
    currency: Option<guildhall_domain::money::Currency>,
) {
    if !(1..=hourly::MAX_WEEKLY_HOURS).contains(&input.weekly_cap_hours) {
        e.add(
            "/hourly/weekly_cap_hours",
            format!("must be 1 to {} hours", hourly::MAX_WEEKLY_HOURS),
        );
    } else if input.rate < MIN_RATE {
        let least = match currency {
            Some(c) => Money::new(MIN_RATE, c).display(),
            None => format!("{MIN_RATE} of the currency's smallest unit"),
        };
        e.add("/hourly/rate", format!("must be at least {least} an hour"));
    } else if hourly::week_escrow(input.rate, input.weekly_cap_hours).is_none() {
        e.add("/hourly/rate", "is too high for a week at the cap");
    }
}

/// The hourly terms of a contract, if it is hourly; a contract of milestones costs no read.
pub(crate) fn terms(c: &mut DbConnection, k: &ContractRow) -> Result<Option<TermsRow>, AppError> {
    if !k.hourly {
        return Ok(None);
    }
    Ok(hours::terms_of(c, k.id)?)
}

/// The hourly part of a contract's view.
pub(crate) fn hourly_view(
    c: &mut DbConnection,
    k: &ContractRow,
    milestones: &[MilestoneRow],
) -> Result<Option<HourlyView>, AppError> {
    let Some(t) = terms(c, k)? else {
        return Ok(None);
    };
    let money = |minor: i64| Money::new(minor, k.currency).display();
    let entries = hours::entries_of(c, k.id)?;
    let weeks = hours::weeks_of(c, k.id)?
        .into_iter()
        .filter_map(|w| {
            let m = milestones.iter().find(|m| m.id == w.milestone_id)?;
            let mine: Vec<TimeEntry> = entries
                .iter()
                .filter(|e| e.milestone_id == w.milestone_id)
                .map(|e| TimeEntry {
                    id: e.id.clone(),
                    worked_on: e.worked_on.clone(),
                    minutes: e.minutes,
                    hours: hourly::hours_text(i64::from(e.minutes)),
                    note: e.note.clone(),
                })
                .collect();
            let minutes: i64 = mine.iter().map(|e| i64::from(e.minutes)).sum();
            let week_to = hourly::parse_week(&w.week_of)
                .map(|d| hourly::sunday_of(d).to_string())
                .unwrap_or_default();
            Some(WeekView {
                week_to,
                milestone: m.id.to_string(),
                status: m.status,
                hours: hourly::hours_text(minutes),
                amount_display: money(if m.status == MilestoneStatus::Released {
                    m.amount.minor
                } else {
                    hourly::pay_for(minutes, t.rate)
                }),
                approved_automatically_on: m
                    .auto_release_at
                    .filter(|_| m.status == MilestoneStatus::Submitted)
                    .map(super::statements::utc_day),
                minutes,
                entries: mine,
                week_of: w.week_of,
            })
        })
        .collect();
    Ok(Some(HourlyView {
        rate: t.rate,
        rate_display: money(t.rate),
        weekly_cap_hours: t.weekly_cap_hours,
        week_escrow_display: money(
            hourly::week_escrow(t.rate, t.weekly_cap_hours).unwrap_or_default(),
        ),
        weeks,
    }))
}

/// Before a week is paid: its escrow becomes what the logged hours come to at the rate, and
/// the rest goes back to the client. Milestones of fixed contracts are left as they are.
pub(super) fn settle_week(
    c: &mut DbConnection,
    now: i64,
    k: &ContractRow,
    m: &mut MilestoneRow,
) -> Result<(), AppError> {
    let Some(t) = terms(c, k)? else {
        return Ok(());
    };
    if hours::week_of_milestone(c, m.id)?.is_none() {
        return Ok(());
    }
    let pay = hourly::pay_for(hours::minutes_in(c, m.id)?, t.rate).min(m.amount.minor);
    let back = m.amount.minor - pay;
    if back > 0 {
        let system = MoneyRequest {
            requested_by: SYSTEM.into(),
            key: format!("unworked:{}", m.id),
        };
        if let Lookup::Unused(unused) =
            ledger::lookup(c, &system, "refund", &refund_request(m, back))?
        {
            refund_to_client(c, now, k, m, back, unused)?;
        }
        m.amount.minor = pay;
        repo::set_amount(c, m.id, m.amount)?;
    }
    Ok(())
}

/// Whether a milestone of `k` may be submitted: a week must have time logged.
pub(super) fn check_submittable(
    c: &mut DbConnection,
    k: &ContractRow,
    m: &MilestoneRow,
) -> Result<(), AppError> {
    if k.hourly && hours::week_of_milestone(c, m.id)?.is_some() && hours::minutes_in(c, m.id)? == 0
    {
        return Err(AppError::conflict(
            None,
            "log the time worked in this week before submitting it",
        ));
    }
    Ok(())
}

/// The terms of the locked contract `k`, checked for a step of `who`: they must be its client
/// (or member), and the contract active and hourly.
fn hourly_terms(
    c: &mut DbConnection,
    who: &Account,
    k: &ContractRow,
    client_side: bool,
) -> Result<TermsRow, AppError> {
    match client_side {
        true => require(who, k.client_id, "client")?,
        false => require(who, k.member_id, "member")?,
    }
    require_active(k)?;
    terms(c, k)?.ok_or_else(|| {
        AppError::conflict(None, "this contract is paid by milestones, not by the hour")
    })
}

impl crate::facades::Work<'_> {
    /// The client funds a week of an hourly contract: its cap at the rate goes into escrow.
    /// Keyed: the same key funds once.
    pub fn fund_week(
        &self,
        client: &Account,
        contract_id: &str,
        week_of: &str,
        key: &str,
    ) -> Result<ContractView, AppError> {
        let monday = hourly::parse_week(week_of).map_err(|m| AppError::field("/week_of", m))?;
        let now = self.now();
        let today = hourly::today_utc(now);
        let who = MoneyRequest {
            requested_by: client.id.to_string(),
            key: key.to_string(),
        };
        self.write_then_read(
            |c| {
                let k = locked(c, client, contract_id)?;
                let request = json!({"contract": k.id, "week": monday.to_string()});
                let unused = match ledger::lookup(c, &who, "fund", &request)? {
                    Lookup::Replayed(_) => return Ok(k),
                    Lookup::Unused(unused) => unused,
                };
                let t = hourly_terms(c, client, &k, true)?;
                if hourly::sunday_of(monday) < hourly::monday_of(today) {
                    return Err(AppError::field(
                        "/week_of",
                        "is over: fund this week or a later one",
                    ));
                }
                let horizon = today
                    .checked_add(jiff::Span::new().days(WEEKS_AHEAD * 7))
                    .unwrap_or(today);
                if monday > horizon {
                    return Err(AppError::field("/week_of", "is more than a year ahead"));
                }
                let week = monday.to_string();
                if hours::weeks_of(c, k.id)?.iter().any(|w| w.week_of == week) {
                    return Err(AppError::conflict(
                        Some("/week_of"),
                        format!("the week of {week} is already funded"),
                    ));
                }
                let amount = hourly::week_escrow(t.rate, t.weekly_cap_hours)
                    .ok_or_else(|| AppError::internal("stored hourly terms out of range"))?;
                let position = repo::milestones_of(c, k.id)?.len() as i32;
                let mut m = MilestoneRow {
                    id: MilestoneId::new(),
                    contract_id: k.id,
                    position,
                    title: format!("Week of {week}"),
                    amount: Money::new(amount, k.currency),
                    due_on: hourly::due_on(monday).to_string(),
                    status: MilestoneStatus::Pending,
                    submitted_at: None,
                    auto_release_at: None,
                    on_time: None,
                    updated_at: now,
                    change_note: None,
                    by_learner: false,
                };
                m.status = next(&m, MilestoneEvent::Fund)?;
                repo::insert_milestone(c, &m)?;
                hours::insert_week(
                    c,
                    &WeekRow {
                        milestone_id: m.id,
                        contract_id: k.id,
                        week_of: week,
                    },
                )?;
                let postings = guildhall_domain::ledger::fund(
                    &client.id.to_string(),
                    &k.id.to_string(),
                    amount,
                    k.currency,
                )
                .map_err(ledger::ledger_error)?;
                let memo = json!({"contract": k.id, "milestone": m.id});
                ledger::apply(c, now, unused, postings, memo)?;
                record(
                    c,
                    now,
                    Event::MilestoneFunded(MilestoneFunded {
                        client: client.id.to_string(),
                        contract: k.id.to_string(),
                        milestone: m.id.to_string(),
                        amount,
                        currency: k.currency.code().into(),
                    }),
                )?;
                Ok(k)
            },
            view,
        )
    }

    /// The member logs time worked on a day of a funded week not yet submitted; a week's time
    /// stays within the cap.
    pub fn log_time(
        &self,
        member: &Account,
        contract_id: &str,
        input: &TimeEntryInput,
    ) -> Result<ContractView, AppError> {
        let mut e = FieldErrors::new();
        let worked_on = validation::date(&mut e, "/worked_on", &input.worked_on);
        let note = validation::text(&mut e, "/note", &input.note, 0, 500, true);
        if !(1..=MAX_ENTRY_MINUTES).contains(&input.minutes) {
            e.add("/minutes", "must be from 1 minute to 24 hours");
        }
        let now = self.now();
        let day = guildhall_domain::availability::parse_date(&worked_on);
        if day.is_some_and(|d| d > tomorrow(now)) {
            e.add("/worked_on", "is in the future: log time once it is worked");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let day = day.ok_or_else(|| AppError::field("/worked_on", "must be a date"))?;
        self.write_then_read(
            |c| {
            let k = locked(c, member, contract_id)?;
            let t = hourly_terms(c, member, &k, false)?;
            let monday = hourly::monday_of(day).to_string();
            let week = hours::weeks_of(c, k.id)?
                .into_iter()
                .find(|w| w.week_of == monday)
                .ok_or_else(|| {
                    AppError::conflict(
                        Some("/worked_on"),
                        format!("the client has not funded the week of {monday} yet"),
                    )
                })?;
            let m = milestone_of(c, &k, week.milestone_id)?;
            if !matches!(
                m.status,
                MilestoneStatus::Funded | MilestoneStatus::ChangesRequested
            ) {
                return Err(AppError::conflict(
                    Some("/worked_on"),
                    format!("the week of {monday} is {}", m.status.label()),
                ));
            }
            let logged = hours::minutes_in(c, m.id)?;
            let cap = i64::from(t.weekly_cap_hours) * 60;
            if logged + i64::from(input.minutes) > cap {
                return Err(AppError::field(
                    "/minutes",
                    format!(
                        "would pass the weekly cap of {} hours ({} logged in the week of {monday})",
                        t.weekly_cap_hours,
                        hourly::hours_text(logged)
                    ),
                ));
            }
            let row = EntryRow {
                id: uuid::Uuid::now_v7().to_string(),
                contract_id: k.id,
                milestone_id: m.id,
                worked_on: worked_on.clone(),
                minutes: input.minutes,
                note: note.clone(),
                created_at: now,
            };
            hours::insert_entry(c, &row)?;
            record(c, now, Event::TimeLogged(logged_event(member, &row)))?;
            Ok(k)
            },
            view,
        )
    }

    /// The member takes an entry out of a week not yet submitted.
    pub fn remove_time(
        &self,
        member: &Account,
        contract_id: &str,
        entry_id: &str,
    ) -> Result<ContractView, AppError> {
        let now = self.now();
        self.write_then_read(
            |c| {
                let k = locked(c, member, contract_id)?;
                hourly_terms(c, member, &k, false)?;
                let row = hours::delete_entry(c, k.id, entry_id)?.ok_or(AppError::NotFound)?;
                let m = milestone_of(c, &k, row.milestone_id)?;
                if !matches!(
                    m.status,
                    MilestoneStatus::Funded | MilestoneStatus::ChangesRequested
                ) {
                    return Err(AppError::conflict(
                        None,
                        format!(
                            "the week is {}: its time can no longer change",
                            m.status.label()
                        ),
                    ));
                }
                record(c, now, Event::TimeRemoved(logged_event(member, &row)))?;
                Ok(k)
            },
            view,
        )
    }

    /// Ends an hourly contract (either side) once no week waits for an answer or holds time
    /// not yet submitted: funded weeks with no time go back to the client, and the contract is
    /// completed if any week was paid, cancelled otherwise.
    pub fn end_hourly_contract(
        &self,
        who: &Account,
        contract_id: &str,
    ) -> Result<ContractView, AppError> {
        let now = self.now();
        self.write(|c| {
            let mut k = locked(c, who, contract_id)?;
            require_active(&k)?;
            if terms(c, &k)?.is_none() {
                return Err(AppError::conflict(
                    None,
                    "this contract is paid by milestones: cancel it instead",
                ));
            }
            let weeks = hours::weeks_of(c, k.id)?;
            let mut refunded = 0;
            let mut paid = false;
            for w in &weeks {
                let mut m = milestone_of(c, &k, w.milestone_id)?;
                match m.status {
                    MilestoneStatus::Released => paid = true,
                    MilestoneStatus::Submitted | MilestoneStatus::Accepted => {
                        return Err(AppError::conflict(
                            None,
                            format!("answer the week of {} first", w.week_of),
                        ));
                    }
                    MilestoneStatus::Funded | MilestoneStatus::ChangesRequested => {
                        if hours::minutes_in(c, m.id)? > 0 {
                            return Err(AppError::conflict(
                                None,
                                format!(
                                    "the week of {} holds time not yet submitted: submit it or take the time out first",
                                    w.week_of
                                ),
                            ));
                        }
                        refund_on_end(c, now, &k, &m)?;
                        refunded += m.amount.minor;
                        m.status = next(&m, MilestoneEvent::Refund)?;
                        m.updated_at = now;
                        repo::update_milestone(c, &m)?;
                    }
                    _ => {}
                }
            }
            if paid {
                complete(c, now, &mut k, &who.id.to_string(), None)?;
            } else {
                let to = k
                    .status
                    .next(ContractEvent::Cancel)
                    .map_err(|e| AppError::conflict(None, e.to_string()))?;
                repo::set_status(c, k.id, to, now)?;
                record(
                    c,
                    now,
                    Event::ContractCancelled(ContractCancelled {
                        cancelled_by: who.id.to_string(),
                        contract: k.id.to_string(),
                        client: k.client_id.to_string(),
                        member: k.member_id.to_string(),
                        reason: "Ended before any hours were paid".into(),
                        refunded,
                        currency: k.currency.code().into(),
                        by: if who.id == k.client_id {
                            "client"
                        } else {
                            "member"
                        }
                        .into(),
                    }),
                )?;
            }
            let row = repo::by_id(c, k.id)?.ok_or(AppError::NotFound)?;
            view(c, row)
        })
    }
}

fn logged_event(member: &Account, row: &EntryRow) -> TimeLogged {
    TimeLogged {
        member: member.id.to_string(),
        contract: row.contract_id.to_string(),
        milestone: row.milestone_id.to_string(),
        entry: row.id.clone(),
        worked_on: row.worked_on.clone(),
        minutes: row.minutes,
    }
}

/// Tomorrow in UTC: a day already begun somewhere on Earth.
fn tomorrow(now: i64) -> jiff::civil::Date {
    hourly::today_utc(now + 24 * 3600 * 1000)
}
