//! Work: contracts between a client and a member, paid milestone by milestone through escrow.
//! Every change locks the contract's row first, asks the state machine in
//! `guildhall_domain::contract`, then moves money through the ledger in the same transaction.

pub mod deliveries;
pub mod disputes;
pub mod hourly;
pub mod jobs;
pub mod milestones;
pub mod payouts;
pub mod receipts;
pub mod reviews;
pub mod statements;

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use deliveries::Delivery;
use guildhall_domain::contract::{ContractEvent, ContractStatus, MilestoneStatus};
use guildhall_domain::events::{ContractOffered, Event, OfferAnswered};
use guildhall_domain::ledger::MAX_AMOUNT;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::{ContractId, MilestoneId, UserId};
use guildhall_domain::{FieldErrors, calendar, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::communities;
use guildhall_store::repo::contracts::{self as repo, ContractRow, MilestoneRow};
use guildhall_store::repo::users;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;

/// Fees and periods for new contracts; each contract keeps the values it was offered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkSettings {
    /// Platform fee on every release, in basis points (100 = 1 %).
    pub platform_bps: u32,
    /// The community's share when work came through a community.
    pub community_bps: u32,
    /// The referrer's reward when the member was referred.
    pub referral_bps: u32,
    /// How long a client has to answer a delivery before it is released automatically.
    pub review_period: Duration,
    /// Offers one account may send in a day, counted in the database so the limit holds
    /// across nodes: offers are cheap to send and each one lands in its target's list.
    pub offers_per_day: u32,
}

impl Default for WorkSettings {
    fn default() -> Self {
        Self {
            platform_bps: 1000,
            community_bps: 250,
            referral_bps: 500,
            review_period: Duration::from_secs(14 * 24 * 3600),
            offers_per_day: 20,
        }
    }
}

/// One milestone of an offer.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneInput {
    /// What is delivered.
    pub title: String,
    /// Minor units of the contract's currency.
    pub amount: i64,
    /// `YYYY-MM-DD`; deliveries after it are late.
    pub due_on: String,
    /// Whether the contract's learner does this milestone and is paid for it (only with a
    /// `learner`); otherwise the member does.
    #[serde(default)]
    pub by_learner: bool,
}

/// A contract a client offers.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// The member offered the work.
    pub member: String,
    /// What the contract is for, 3 to 200 characters, shown to both sides.
    pub title: String,
    /// ISO 4217.
    pub currency: String,
    /// Milestones, in order (1 to 20); none for an hourly contract.
    #[serde(default)]
    pub milestones: Vec<MilestoneInput>,
    /// Makes the contract hourly: a rate and a weekly cap instead of milestones.
    #[serde(default)]
    pub hourly: Option<hourly::HourlyInput>,
    /// The community the work came through (both must be members).
    #[serde(default)]
    pub community: Option<String>,
    /// The member who referred the worker: on a direct offer, only one who referred them to
    /// one of your jobs; an offer for a proposal names the job's referrer itself.
    #[serde(default)]
    pub referrer: Option<String>,
    /// A learner working beside the member, who mentors them (a pair): the milestones marked
    /// `by_learner` are theirs, paid to them, and their evidence names the member as mentor.
    /// The learner accepts their part before the member starts the contract. Only for
    /// milestones, and each of the two needs at least one.
    #[serde(default)]
    pub learner: Option<String>,
}

/// A milestone as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MilestoneView {
    /// The milestone's id (UUIDv7), as in `/contracts/{id}/milestones/{milestone}`.
    pub id: String,
    /// Order.
    pub position: i32,
    /// What is delivered at this milestone, as the client wrote it in the offer.
    pub title: String,
    /// Minor units.
    pub amount: i64,
    /// Written out.
    pub amount_display: String,
    /// Due date.
    pub due_on: String,
    /// State.
    pub status: MilestoneStatus,
    /// First delivery (ms).
    pub submitted_at: Option<i64>,
    /// Automatic release, if the client does not answer (ms).
    pub auto_release_at: Option<i64>,
    /// Whether the first delivery was on time.
    pub on_time: Option<bool>,
    /// What the client asked to change, at the latest request for changes.
    pub change_note: Option<String>,
    /// What the member delivered, oldest first: each delivery's message, links and files.
    pub deliveries: Vec<deliveries::Delivery>,
    /// Whether the contract's learner does it.
    pub by_learner: bool,
    /// The handle of who does it and is paid for it: the member, or the learner.
    pub worker: String,
}

/// A contract as its client or member sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ContractView {
    /// The contract's id (UUIDv7), as in `/contracts/{id}`.
    pub id: String,
    /// What the contract is for; the job's title when offered from a proposal.
    pub title: String,
    /// Client's handle.
    pub client: String,
    /// Member's handle.
    pub member: String,
    /// The learner's handle, when the member works as a pair with a learner they mentor.
    pub learner: Option<String>,
    /// Whether the learner accepted their part of the offer (false without a learner).
    pub learner_accepted: bool,
    /// ISO 4217.
    pub currency: String,
    /// State.
    pub status: ContractStatus,
    /// Its milestones in order of `position`, each paid on its own through escrow.
    pub milestones: Vec<MilestoneView>,
    /// Disputes, oldest first: the open one (while the contract is disputed) and past ones.
    pub disputes: Vec<disputes::Dispute>,
    /// Where the contract's whole value goes, known to both sides before they agree (for an
    /// hourly contract: a full week at the cap).
    pub shares: Shares,
    /// An hourly contract's rate, cap and weeks; none for fixed milestones.
    pub hourly: Option<hourly::HourlyView>,
}

/// Where a contract's whole value goes when every milestone is paid, in the currency's own
/// format with each rate.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Shares {
    /// The sum of the milestones.
    pub total: String,
    /// The platform's fee, e.g. "€100.00 (10 %)".
    pub platform_fee: String,
    /// The community's share, when the work came through a community.
    pub community_share: Option<String>,
    /// The referrer's reward, when the member was referred.
    pub referral_reward: Option<String>,
    /// What the member receives (for a pair: for the member's own milestones).
    pub member_receives: String,
    /// What the learner receives for their milestones, after the same shares; none without a
    /// learner.
    pub learner_receives: Option<String>,
    /// Days the client has to answer a delivery before it is released automatically.
    pub review_days: i64,
}

/// A rate in basis points as people write it: 1000 → "10 %", 250 → "2.5 %".
pub(crate) fn percent(bps: i32) -> String {
    let text = format!("{:.2}", f64::from(bps) / 100.0);
    format!("{} %", text.trim_end_matches('0').trim_end_matches('.'))
}

/// Where `total` of the contract goes, `learner_part` of it being the learner's milestones.
/// Each part is split as its releases will be, so the figures add up to what is paid.
fn shares_of(row: &ContractRow, total: i64, learner_part: i64) -> Result<Shares, AppError> {
    let currency = row.currency;
    let referrer = row.referrer_id.map(|id| id.to_string());
    let (rates, beneficiaries) = milestones::rates_of(row, referrer.as_deref(), 0);
    let split_of = |amount: i64| {
        guildhall_domain::ledger::split(amount, rates, &beneficiaries).unwrap_or(
            guildhall_domain::ledger::Split {
                fee: 0,
                community: 0,
                pool: 0,
                referral: 0,
                member: amount,
            },
        )
    };
    let (own, learners) = (split_of(total - learner_part), split_of(learner_part));
    let split = guildhall_domain::ledger::Split {
        fee: own.fee + learners.fee,
        community: own.community + learners.community,
        pool: own.pool + learners.pool,
        referral: own.referral + learners.referral,
        member: own.member,
    };
    let money = |minor: i64| Money::new(minor, currency).display();
    let part = |minor: i64, bps: i32| format!("{} ({})", money(minor), percent(bps));
    Ok(Shares {
        total: money(total),
        platform_fee: part(split.fee, row.platform_bps),
        community_share: row
            .community_id
            .as_ref()
            .map(|_| part(split.community, row.community_bps)),
        referral_reward: row
            .referrer_id
            .as_ref()
            .map(|_| part(split.referral, row.referral_bps)),
        member_receives: money(split.member),
        learner_receives: row.learner_id.map(|_| money(learners.member)),
        review_days: row.review_period_ms / (24 * 3600 * 1000),
    })
}

pub(crate) fn handle_of(c: &mut DbConnection, id: UserId) -> Result<String, AppError> {
    Ok(users::by_id(c, id)?
        .map(|u| u.handle)
        .unwrap_or_else(|| GONE.into()))
}

/// How a party whose account is gone is shown.
const GONE: &str = "(gone)";

/// The handle of `id` among handles read together, or how a party that is gone is shown.
fn handle_in(handles: &[(UserId, String)], id: UserId) -> String {
    handles
        .iter()
        .find(|(user, _)| *user == id)
        .map_or_else(|| GONE.into(), |(_, handle)| handle.clone())
}

/// A contract as a milestone step left it, for the step's answer: its row, and its milestones
/// and parties' handles when the step read them and changed only the milestone it returns, so
/// the answer need not read them again.
pub(crate) struct Stepped {
    contract: ContractRow,
    read: Option<AsRead>,
    /// Every delivery of the contract, by milestone, when the step knows them all.
    deliveries: Option<HashMap<String, Vec<Delivery>>>,
}

/// Every milestone of a contract and its parties' handles, as a step read them.
pub(crate) struct AsRead {
    pub(crate) milestones: Vec<MilestoneRow>,
    pub(crate) parties: repo::Parties,
}

impl AsRead {
    /// Holds `m`, changed by the step, in place of the milestone as read.
    pub(crate) fn changed(&mut self, m: MilestoneRow) {
        match self.milestones.iter_mut().find(|held| held.id == m.id) {
            Some(held) => *held = m,
            None => self.milestones.push(m),
        }
    }
}

impl Stepped {
    /// The contract as it stands (a replayed step changed nothing): the answer reads its
    /// milestones and its parties' handles.
    pub(crate) fn unchanged(contract: ContractRow) -> Stepped {
        Stepped {
            contract,
            read: None,
            deliveries: None,
        }
    }

    /// After a step changed `m`, one of the contract's milestones as the step read them.
    pub(crate) fn after(contract: ContractRow, mut read: AsRead, m: MilestoneRow) -> Stepped {
        read.changed(m);
        Stepped {
            contract,
            read: Some(read),
            deliveries: None,
        }
    }

    /// After the contract's first delivery, which is then all of its deliveries: the answer
    /// need not read them.
    pub(crate) fn with_only_delivery(mut self, milestone: String, delivery: Delivery) -> Stepped {
        self.deliveries = Some(HashMap::from([(milestone, vec![delivery])]));
        self
    }
}

/// The contract `row` as its parties see it.
pub(crate) fn view(c: &mut DbConnection, row: ContractRow) -> Result<ContractView, AppError> {
    view_after(c, Stepped::unchanged(row))
}

/// The contract a milestone step left, as its parties see it. The steps that change money read
/// it after their transaction commits, so the writer's turn (one at a time on SQLite) holds only
/// the change.
pub(crate) fn view_after(c: &mut DbConnection, step: Stepped) -> Result<ContractView, AppError> {
    let row = step.contract;
    let (rows, parties) = match step.read {
        Some(read) => (read.milestones, read.parties),
        None => (
            repo::milestones_of(c, row.id)?,
            users::handles(
                c,
                &[row.client_id, row.member_id]
                    .into_iter()
                    .chain(row.learner_id)
                    .collect::<Vec<_>>(),
            )?,
        ),
    };
    let hourly = hourly::hourly_view(c, &row, &rows)?;
    let learner_part = rows
        .iter()
        .filter(|m| m.by_learner)
        .map(|m| m.amount.minor)
        .sum();
    let shares = match &hourly {
        Some(h) => shares_of(&row, h.rate * i64::from(h.weekly_cap_hours), 0),
        None => shares_of(
            &row,
            rows.iter().map(|m| m.amount.minor).sum(),
            learner_part,
        ),
    }?;
    // Only a delivery sets a milestone's `submitted_at`, and nothing clears it: a contract none
    // of whose milestones has one has no deliveries to read.
    let mut delivered = if let Some(known) = step.deliveries {
        known
    } else if rows.iter().any(|m| m.submitted_at.is_some()) {
        deliveries::deliveries_by_milestone(c, row.id)?
    } else {
        Default::default()
    };
    let milestones = rows
        .into_iter()
        .map(|m| -> Result<MilestoneView, AppError> {
            Ok(MilestoneView {
                worker: handle_in(&parties, row.worker_of(&m)),
                by_learner: m.by_learner,
                amount_display: m.amount.display(),
                status: m.status,
                id: m.id.to_string(),
                position: m.position,
                title: m.title,
                amount: m.amount.minor,
                due_on: m.due_on,
                submitted_at: m.submitted_at,
                auto_release_at: m.auto_release_at,
                on_time: m.on_time,
                change_note: m.change_note,
                deliveries: delivered.remove(&m.id.to_string()).unwrap_or_default(),
            })
        })
        .collect::<Result<_, _>>()?;
    let disputes = if row.has_disputes {
        guildhall_store::repo::disputes::of_contract(c, row.id)?
            .into_iter()
            .map(|d| disputes::dispute_of(c, d))
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    Ok(ContractView {
        disputes,
        shares,
        hourly,
        status: row.status,
        client: handle_in(&parties, row.client_id),
        member: handle_in(&parties, row.member_id),
        learner: row.learner_id.map(|id| handle_in(&parties, id)),
        learner_accepted: row.learner_accepted_at.is_some(),
        id: row.id.to_string(),
        title: row.title,
        currency: row.currency.code().into(),
        milestones,
    })
}

/// The contract `id` if `who` is its client or its member, locked for the rest of the
/// transaction. A learner takes only the steps of their own part (`locked_for_party`).
pub(crate) fn locked(
    c: &mut DbConnection,
    who: &Account,
    id: &str,
) -> Result<ContractRow, AppError> {
    locked_if(c, id, |k| k.client_id == who.id || k.member_id == who.id)
}

/// The contract `id` if `who` is its client, member or learner, locked for the rest of the
/// transaction.
pub(crate) fn locked_for_party(
    c: &mut DbConnection,
    who: &Account,
    id: &str,
) -> Result<ContractRow, AppError> {
    locked_if(c, id, |k| k.is_party(who.id))
}

/// The contract `id`, locked, if `keep` says the caller may act on it; else `NotFound`.
fn locked_if(
    c: &mut DbConnection,
    id: &str,
    keep: impl Fn(&ContractRow) -> bool,
) -> Result<ContractRow, AppError> {
    let id: ContractId = sent_id(id)?;
    repo::locked(c, id)?
        .filter(|k| keep(k))
        .ok_or(AppError::NotFound)
}

/// An id (of a contract, milestone, dispute, …) as a caller sent it: text that is not such an
/// id names nothing there is, so it is `NotFound` rather than a validation error.
pub(crate) fn sent_id<T: std::str::FromStr>(id: &str) -> Result<T, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

fn user_id(c: &mut DbConnection, handle: &str, path: &str) -> Result<UserId, AppError> {
    users::by_handle(c, handle)?
        .map(|u| u.id)
        .ok_or_else(|| AppError::field(path, "no member has this handle"))
}

/// Checks an offer made at `now`. A due date may be today anywhere on Earth, so only dates
/// before yesterday in UTC are in the past.
pub(crate) fn check_offer(
    input: &OfferInput,
    now: i64,
) -> Result<(String, Currency, Vec<MilestoneInput>), AppError> {
    let mut e = FieldErrors::new();
    let yesterday = calendar::local_input(now - 24 * 3600 * 1000, "UTC");
    let yesterday = &yesterday[..10.min(yesterday.len())];
    let title = validation::text(&mut e, "/title", &input.title, 3, 200, false);
    let currency = Currency::parse(&input.currency);
    if let Err(m) = currency {
        e.add("/currency", m);
    }
    match &input.hourly {
        Some(terms) => {
            hourly::check_terms(&mut e, terms, currency.ok());
            if !input.milestones.is_empty() {
                e.add(
                    "/milestones",
                    "an hourly contract has no milestones: each week is funded on its own",
                );
            }
        }
        None if !(1..=20).contains(&input.milestones.len()) => {
            e.add("/milestones", "a contract has 1 to 20 milestones");
        }
        None => {}
    }
    check_pair(&mut e, input);
    let mut items = Vec::new();
    for (i, m) in input.milestones.iter().enumerate() {
        let title = validation::text(
            &mut e,
            &format!("/milestones/{i}/title"),
            &m.title,
            2,
            200,
            false,
        );
        let path = format!("/milestones/{i}/due_on");
        let due_on = validation::date(&mut e, &path, &m.due_on);
        if due_on.len() == 10 && due_on.as_str() < yesterday {
            e.add(path, "is in the past: choose today or a later date");
        }
        if !(1..=MAX_AMOUNT).contains(&m.amount) {
            e.add(
                format!("/milestones/{i}/amount"),
                format!("must be between 1 and {MAX_AMOUNT}"),
            );
        }
        items.push(MilestoneInput {
            title,
            amount: m.amount,
            due_on,
            by_learner: m.by_learner,
        });
    }
    match currency {
        Ok(c) if e.is_empty() => Ok((title, c, items)),
        _ => Err(e.into()),
    }
}

/// Checks the shape of a pair: a learner works on milestones, and each of the two has some.
fn check_pair(e: &mut FieldErrors, input: &OfferInput) {
    let theirs = input.milestones.iter().filter(|m| m.by_learner).count();
    match &input.learner {
        None => {
            if let Some(i) = input.milestones.iter().position(|m| m.by_learner) {
                e.add(
                    format!("/milestones/{i}/by_learner"),
                    format!(
                        "milestone {} is marked for the learner: name the learner, or give it to the member",
                        i + 1
                    ),
                );
            }
        }
        Some(_) if input.hourly.is_some() => e.add(
            "/learner",
            "a pair works on milestones: an hourly contract has one member",
        ),
        Some(_) if theirs == 0 => e.add(
            "/learner",
            "give the learner at least one milestone of their own",
        ),
        Some(_) if theirs == input.milestones.len() => e.add(
            "/learner",
            "keep at least one milestone for the member who mentors the learner",
        ),
        Some(_) => {}
    }
}

/// Stores an offer checked by `check_offer`, for a job or not.
pub(crate) fn create_offer(
    c: &mut DbConnection,
    now: i64,
    settings: &WorkSettings,
    client: &Account,
    input: &OfferInput,
    (title, currency, items): &(String, Currency, Vec<MilestoneInput>),
    job_id: Option<&str>,
) -> Result<ContractRow, AppError> {
    let member_id = user_id(c, &input.member, "/member")?;
    if member_id == client.id {
        return Err(AppError::field("/member", "you cannot hire yourself"));
    }
    const DAY: i64 = 24 * 3600 * 1000;
    // The day's allowance is used up while the client's `offers_per_day`-th newest offer is
    // less than a day old; once it is older, one more may be sent. An allowance of none
    // refuses every offer for a day.
    let used_up_by = match settings.offers_per_day {
        0 => Some(now),
        limit => repo::nth_newest_offer_since(c, client.id, now - DAY, limit)?,
    };
    if let Some(sent) = used_up_by {
        return Err(AppError::RateLimited {
            retry_after_secs: ((sent + DAY - now) / 1000).max(1) as u64,
        });
    }
    let learner_id = match &input.learner {
        Some(h) => {
            let id = user_id(c, h, "/learner")?;
            if id == client.id || id == member_id {
                return Err(AppError::field(
                    "/learner",
                    "a learner is a third member, beside the one you hire",
                ));
            }
            if guildhall_store::repo::conversations::blocked_between(c, client.id, id)?
                || guildhall_store::repo::conversations::blocked_between(c, member_id, id)?
            {
                return Err(AppError::field(
                    "/learner",
                    "this member cannot work with you on this contract",
                ));
            }
            Some(id)
        }
        None => None,
    };
    let community_id = match &input.community {
        Some(slug) => {
            let community = communities::by_slug(c, &slug.trim().to_ascii_lowercase())?
                .ok_or_else(|| AppError::field("/community", "no such community"))?;
            for id in [client.id, member_id].into_iter().chain(learner_id) {
                if communities::role_of(c, &community.id, id)?.is_none() {
                    return Err(AppError::field(
                        "/community",
                        "every party must be a member of the community",
                    ));
                }
            }
            Some(community.id)
        }
        None => None,
    };
    let referrer_id = match &input.referrer {
        Some(h) => {
            let id = user_id(c, h, "/referrer")?;
            if id == client.id || id == member_id {
                return Err(AppError::field("/referrer", "a referrer is a third member"));
            }
            // An offer made for a proposal names the job's referrer itself; a direct offer may
            // name only someone who referred this member to one of the client's jobs, so no
            // client can hand a reward to a friend who had no part in it.
            if job_id.is_none()
                && !guildhall_store::repo::jobs::referred_to_client(c, id, member_id, client.id)?
            {
                return Err(AppError::field(
                    "/referrer",
                    "only a member who referred them to one of your jobs can be named referrer",
                ));
            }
            Some(id)
        }
        None => None,
    };
    let row = ContractRow {
        id: ContractId::new(),
        client_id: client.id,
        member_id,
        community_id,
        referrer_id,
        title: title.clone(),
        currency: *currency,
        status: ContractStatus::Offered,
        platform_bps: settings.platform_bps as i32,
        community_bps: settings.community_bps as i32,
        referral_bps: settings.referral_bps as i32,
        review_period_ms: settings.review_period.as_millis() as i64,
        created_at: now,
        updated_at: now,
        job_id: job_id.map(str::to_string),
        learner_id,
        learner_accepted_at: None,
        hourly: input.hourly.is_some(),
        has_disputes: false,
    };
    let milestones: Vec<MilestoneRow> = items
        .iter()
        .enumerate()
        .map(|(i, m)| MilestoneRow {
            id: MilestoneId::new(),
            contract_id: row.id,
            position: i as i32,
            title: m.title.clone(),
            amount: Money::new(m.amount, *currency),
            due_on: m.due_on.clone(),
            status: MilestoneStatus::Pending,
            submitted_at: None,
            auto_release_at: None,
            on_time: None,
            updated_at: now,
            change_note: None,
            by_learner: m.by_learner,
        })
        .collect();
    repo::insert(c, &row, &milestones)?;
    if let Some(terms) = &input.hourly {
        guildhall_store::repo::hourly::insert_terms(
            c,
            &guildhall_store::repo::hourly::TermsRow {
                contract_id: row.id,
                rate: terms.rate,
                weekly_cap_hours: terms.weekly_cap_hours,
            },
        )?;
    }
    let total: i64 = milestones.iter().map(|m| m.amount.minor).sum();
    record(
        c,
        now,
        Event::ContractOffered(ContractOffered {
            client: client.id.to_string(),
            contract: row.id.to_string(),
            member: member_id.to_string(),
            currency: row.currency.code().into(),
            total,
            milestones: milestones.len() as u64,
            job: Some(job_id.map(str::to_string)),
            hourly_rate: input.hourly.as_ref().map(|h| h.rate),
            weekly_cap_hours: input.hourly.as_ref().map(|h| h.weekly_cap_hours),
            learner: learner_id.map(|id| id.to_string()),
        }),
    )?;
    Ok(row)
}

impl crate::facades::Work<'_> {
    /// Offers a contract to a member.
    pub fn offer_contract(
        &self,
        client: &Account,
        input: OfferInput,
    ) -> Result<ContractView, AppError> {
        let now = self.now();
        let checked = check_offer(&input, now)?;
        let settings = self.settings().work;
        self.write(|c| {
            let row = create_offer(c, now, &settings, client, &input, &checked, None)?;
            view(c, row)
        })
    }

    /// The member accepts or declines an offer; the client may withdraw it (a decline). In a
    /// pair the learner first accepts their part (or declines the whole offer), and the member
    /// can start the contract only after that.
    pub fn answer_offer(
        &self,
        who: &Account,
        id: &str,
        accept: bool,
    ) -> Result<ContractView, AppError> {
        let now = self.now();
        self.write(|c| {
            let row = locked_for_party(c, who, id)?;
            if accept && row.learner_id == Some(who.id) {
                return learner_accepts(c, now, who, row);
            }
            if accept && who.id != row.member_id {
                return Err(AppError::Forbidden(
                    "only the member accepts an offer".into(),
                ));
            }
            if let Some(learner) = row.learner_id
                && accept
                && row.learner_accepted_at.is_none()
            {
                let learner = handle_of(c, learner)?;
                return Err(AppError::conflict(
                    None,
                    format!("@{learner} has not accepted their part yet: the contract starts once they do"),
                ));
            }
            let event = if accept {
                ContractEvent::Accept
            } else {
                ContractEvent::Decline
            };
            let next = row
                .status
                .next(event)
                .map_err(|e| AppError::conflict(None, e.to_string()))?;
            repo::set_status(c, row.id, next, now)?;
            if accept && let Some(job_id) = &row.job_id {
                jobs::hired(c, now, job_id, &row)?;
            }
            record(c, now, {
                // A learner's answer is about the learner, and names who would have mentored
                // them.
                let subject = if row.learner_id == Some(who.id) {
                    who.id
                } else {
                    row.member_id
                };
                let answer = OfferAnswered {
                    by: Some(who.id.to_string()),
                    contract: row.id.to_string(),
                    client: row.client_id.to_string(),
                    member: subject.to_string(),
                    data_member: Some(subject.to_string()),
                    offered_at: Some(row.created_at),
                    suspended: None,
                    mentor: row.mentor_of(subject).map(|id| id.to_string()),
                };
                // Only the member's own answer is evidence about them; a client withdrawing an
                // offer is not, so nobody can put entries about a stranger into the log.
                if accept {
                    Event::ContractStarted(answer)
                } else if who.id == subject {
                    Event::OfferDeclined(answer)
                } else {
                    Event::OfferWithdrawn(answer)
                }
            })?;
            let row = repo::by_id(c, row.id)?.ok_or(AppError::NotFound)?;
            view(c, row)
        })
    }

    /// A contract the caller is a side of (client, member or learner).
    pub fn contract(&self, who: &Account, id: &str) -> Result<ContractView, AppError> {
        let id: ContractId = sent_id(id)?;
        self.read(|c| {
            let row = repo::by_id(c, id)?
                .filter(|k| k.is_party(who.id))
                .ok_or(AppError::NotFound)?;
            view(c, row)
        })
    }

    /// The caller's contracts, as client, member or learner, newest first.
    pub fn my_contracts(&self, who: &Account) -> Result<Vec<ContractView>, AppError> {
        self.read(|c| {
            repo::of_user(c, who.id)?
                .into_iter()
                .map(|row| view(c, row))
                .collect()
        })
    }
}

/// The learner of a paired offer accepts their part: the offer stays open for the member, who
/// starts the contract.
fn learner_accepts(
    c: &mut DbConnection,
    now: i64,
    learner: &Account,
    row: ContractRow,
) -> Result<ContractView, AppError> {
    row.status
        .next(ContractEvent::Accept)
        .map_err(|e| AppError::conflict(None, e.to_string()))?;
    if row.learner_accepted_at.is_some() {
        return Err(AppError::conflict(
            None,
            "you already accepted your part: the member starts the contract",
        ));
    }
    repo::set_learner_accepted(c, row.id, now)?;
    record(
        c,
        now,
        Event::LearnerJoined(OfferAnswered {
            by: Some(learner.id.to_string()),
            contract: row.id.to_string(),
            client: row.client_id.to_string(),
            member: learner.id.to_string(),
            data_member: Some(learner.id.to_string()),
            offered_at: Some(row.created_at),
            suspended: None,
            mentor: Some(row.member_id.to_string()),
        }),
    )?;
    let row = repo::by_id(c, row.id)?.ok_or(AppError::NotFound)?;
    view(c, row)
}
