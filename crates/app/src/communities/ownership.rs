//! Member ownership: an owner sets the part of the community's share of every release that its
//! members share out, and how long a period is; at the end of each period the pool of each
//! currency is shared among the members in proportion to their points (largest remainder),
//! as one ledger transaction per currency. Members see the formula, their points and their
//! statement.
//!
//! Any node may run the distribution: a period is claimed by moving the setting's start on in
//! the same transaction that pays it, so exactly one transaction pays each period, and a node
//! that stopped catches up period by period when it starts again.

use super::Scope;
use super::points::points_between;
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::ledger::{self, Lookup, MoneyRequest};
use crate::work::statements::utc_day;
use guildhall_domain::community::Action;
use guildhall_domain::events::{Event, RevenueShareSet, SYSTEM, ShareDistributed};
use guildhall_domain::ledger::AccountKind;
use guildhall_domain::money::Money;
use guildhall_domain::ownership::{FORMULA, Formula, Points, largest_remainder};
use guildhall_domain::{FieldErrors, UserId};
use guildhall_store::DbConnection;
use guildhall_store::repo::communities as members_repo;
use guildhall_store::repo::ledger as ledger_repo;
use guildhall_store::repo::ownership::{self as repo, DistributionRow, RevenueShareRow, ShareRow};
use serde::{Deserialize, Serialize};
use serde_json::json;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// Periods one pass distributes for a community at most, so a node that was stopped for long
/// catches up over a few passes instead of holding the write lock for one long one.
const CATCH_UP: usize = 12;
/// Lines of a member's statement shown.
const STATEMENT_LINES: i64 = 50;

/// What setting a community's revenue share asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevenueShareInput {
    /// The members' part of the community's share of every release, in basis points (2500 is
    /// 25 %); 0 stops setting money aside (what the pool holds is still shared out).
    pub share_bps: u32,
    /// Days in a period, 1 to 366.
    pub period_days: u32,
}

/// A community's revenue share as members see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RevenueShare {
    /// The members' part of the community's share, in basis points.
    pub share_bps: u32,
    /// Written out, e.g. `25 %`.
    pub share_display: String,
    /// Days in a period.
    pub period_days: u32,
    /// The current period's first day (UTC), `YYYY-MM-DD`.
    pub period_from: String,
    /// The day (UTC) the current period is shared out, `YYYY-MM-DD`.
    pub distributed_on: String,
    /// What the pool holds now, per currency.
    pub pools: Vec<Pool>,
}

/// What a pool holds in one currency.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Pool {
    /// ISO 4217.
    pub currency: String,
    /// Minor units.
    pub minor: i64,
    /// Written out.
    pub display: String,
}

/// A member's points, by where they came from.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PointsView {
    /// Every point, whatever the currency.
    pub total: i64,
    /// From work paid through the community, per currency.
    pub work: Vec<WorkPoints>,
    /// From referrals that were hired.
    pub referrals: i64,
    /// From mentoring sessions given that both parties confirmed.
    pub mentoring: i64,
    /// From learning resources and events added to the community.
    pub contributions: i64,
}

/// Work points in one currency.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WorkPoints {
    /// ISO 4217.
    pub currency: String,
    /// Points.
    pub points: i64,
}

/// One line of a member's statement: what one distribution paid them in one currency.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StatementLine {
    /// The distribution.
    pub distribution: String,
    /// The period's first day (UTC), `YYYY-MM-DD`.
    pub period_from: String,
    /// The period's last day (UTC), `YYYY-MM-DD`.
    pub period_to: String,
    /// ISO 4217.
    pub currency: String,
    /// Their points in that pool.
    pub points: i64,
    /// What they received, in minor units.
    pub amount: i64,
    /// Written out.
    pub display: String,
}

/// What a member sees of owning a part of their community.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Ownership {
    /// The community's address.
    pub community: String,
    /// Its name.
    pub name: String,
    /// The revenue share, if an owner set one and it is on or its pool still holds money.
    pub revenue_share: Option<RevenueShare>,
    /// How points are earned.
    #[schema(value_type = Object)]
    pub formula: Formula,
    /// The caller's points in the current period (since the revenue share was set, when none
    /// is set: the last 365 days).
    pub period_points: PointsView,
    /// The caller's points over the last 365 days: what perks ask for.
    pub year_points: PointsView,
    /// What distributions paid the caller, newest first.
    pub statement: Vec<StatementLine>,
    /// Whether the caller may change the revenue share (owners).
    pub can_set_share: bool,
    /// Whether the caller may list perks and take them off (curators).
    pub can_manage_perks: bool,
}

impl crate::facades::Communities<'_> {
    /// Sets the part of the community's share its members share out, and the period (owners).
    /// The first setting starts the first period now; later ones keep the current period.
    pub fn set_revenue_share(
        &self,
        who: &Account,
        slug: &str,
        input: &RevenueShareInput,
    ) -> Result<RevenueShare, AppError> {
        let mut e = FieldErrors::new();
        if input.share_bps > 10_000 {
            e.add("/share_bps", "must be from 0 to 10000 (0 % to 100 %)");
        }
        if !(1..=366).contains(&input.period_days) {
            e.add("/period_days", "must be from 1 to 366 days");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManageMoney)?;
            let period_from = repo::setting(c, scope.id())?.map_or(now, |s| s.period_from);
            let row = RevenueShareRow {
                community_id: scope.id().to_string(),
                share_bps: input.share_bps as i32,
                period_days: input.period_days as i32,
                period_from,
                updated_at: now,
            };
            repo::put_setting(c, &row)?;
            record(
                c,
                now,
                Event::RevenueShareSet(RevenueShareSet {
                    by: who.id.to_string(),
                    community: scope.id().to_string(),
                    share_bps: input.share_bps,
                    period_days: input.period_days,
                }),
            )?;
            revenue_share(c, &row)
        })
    }

    /// The caller's view of owning a part of the community (members).
    pub fn ownership(&self, who: &Account, slug: &str) -> Result<Ownership, AppError> {
        let now = self.now();
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ViewMembers)?;
            let setting = repo::setting(c, scope.id())?;
            let year_from = now - 365 * DAY_MS;
            let period_from = setting.as_ref().map_or(year_from, |s| s.period_from);
            let mine = |c: &mut DbConnection, from| -> Result<PointsView, AppError> {
                let all = points_between(c, scope.id(), from, now + 1)?;
                Ok(view(all.get(&who.id).cloned().unwrap_or_default()))
            };
            let statement = repo::shares_of(c, scope.id(), who.id, STATEMENT_LINES)?
                .into_iter()
                .map(|(d, s)| statement_line(&d, &s))
                .collect();
            let shown = match &setting {
                Some(s) => {
                    let shown = revenue_share(c, s)?;
                    (s.share_bps > 0 || !shown.pools.is_empty()).then_some(shown)
                }
                None => None,
            };
            Ok(Ownership {
                community: scope.row.slug.clone(),
                name: scope.row.name.clone(),
                revenue_share: shown,
                formula: FORMULA,
                period_points: mine(c, period_from)?,
                year_points: mine(c, year_from)?,
                statement,
                can_set_share: scope.may(Action::ManageMoney),
                can_manage_perks: scope.may(Action::ManagePerks),
            })
        })
    }

    /// Shares out every member pool whose period ended: one distribution per community and
    /// period, claimed so that any number of nodes pay each period once. Returns how many
    /// periods were distributed.
    pub fn distribute_due(&self) -> Result<usize, AppError> {
        let settings = self.read(|c| Ok(repo::all_settings(c)?))?;
        let mut made = 0;
        for setting in settings {
            let mut from = setting.period_from;
            for _ in 0..CATCH_UP {
                let now = self.now();
                // Most minutes no period has ended: take the write lock only when one has.
                // (`distribute` checks again, with the setting as it stands then.)
                if from + i64::from(setting.period_days.max(1)) * DAY_MS > now {
                    break;
                }
                let paid = self.write(|c| distribute(c, now, &setting.community_id, from))?;
                match paid {
                    Some(next) => {
                        made += 1;
                        from = next;
                    }
                    None => break,
                }
            }
        }
        Ok(made)
    }
}

/// The part of a community's share its members share out, in basis points (0 when unset): a
/// release reads it when it splits.
pub(crate) fn members_pool_bps(c: &mut DbConnection, community_id: &str) -> Result<u32, AppError> {
    Ok(repo::setting(c, community_id)?.map_or(0, |s| s.share_bps.clamp(0, 10_000) as u32))
}

/// Distributes the community's period starting at `from`, if it ended and nobody else did;
/// returns where the next period starts.
fn distribute(
    c: &mut DbConnection,
    now: i64,
    community_id: &str,
    from: i64,
) -> Result<Option<i64>, AppError> {
    let Some(setting) = repo::setting(c, community_id)? else {
        return Ok(None);
    };
    let to = from + i64::from(setting.period_days.max(1)) * DAY_MS;
    if setting.period_from != from || to > now || !repo::claim_period(c, community_id, from, to)? {
        return Ok(None);
    }
    let points = points_between(c, community_id, from, to)?;
    let members = members_repo::members(c, community_id)?;
    let distribution = DistributionRow {
        id: uuid::Uuid::now_v7().to_string(),
        community_id: community_id.to_string(),
        period_from: from,
        period_to: to,
        created_at: now,
    };
    let mut shares = Vec::new();
    for pool in ledger_repo::accounts_of(c, community_id)? {
        if pool.kind != AccountKind::MemberPool.as_str() || pool.balance <= 0 {
            continue;
        }
        let currency = pool.currency;
        let weights: Vec<(UserId, i64)> = members
            .iter()
            .map(|(id, _)| {
                let p = points.get(id).map_or(0, |p| p.in_pool(currency.code()));
                (*id, p)
            })
            .collect();
        let parts = largest_remainder(pool.balance, &weights);
        if parts.is_empty() {
            // Nobody earned points in this currency: the pool waits for the next period.
            continue;
        }
        let lines: Vec<(String, i64)> = parts.iter().map(|(u, a)| (u.to_string(), *a)).collect();
        let postings = guildhall_domain::ledger::distribute(community_id, currency, &lines)
            .map_err(ledger::ledger_error)?;
        let request = MoneyRequest {
            requested_by: SYSTEM.into(),
            key: format!("distribution:{}:{}", distribution.id, currency.code()),
        };
        let asked = json!({"distribution": distribution.id, "currency": currency.code()});
        let Lookup::Unused(unused) = ledger::lookup(c, &request, "distribution", &asked)? else {
            return Err(AppError::internal(
                "a new distribution's key was used before",
            ));
        };
        let memo = json!({"community": community_id, "distribution": distribution.id});
        ledger::apply(c, now, unused, postings, memo)?;
        for (member, amount) in parts {
            let weight = points
                .get(&member)
                .map_or(0, |p| p.in_pool(currency.code()));
            record(
                c,
                now,
                Event::ShareDistributed(ShareDistributed {
                    community: community_id.to_string(),
                    distribution: distribution.id.clone(),
                    member: member.to_string(),
                    points: weight,
                    amount,
                    currency: currency.code().into(),
                }),
            )?;
            shares.push(ShareRow {
                distribution_id: distribution.id.clone(),
                user_id: member,
                currency,
                points: weight,
                amount,
            });
        }
    }
    repo::insert_distribution(c, &distribution, &shares)?;
    Ok(Some(to))
}

fn revenue_share(c: &mut DbConnection, s: &RevenueShareRow) -> Result<RevenueShare, AppError> {
    let pools = ledger_repo::accounts_of(c, &s.community_id)?
        .into_iter()
        .filter(|a| a.kind == AccountKind::MemberPool.as_str() && a.balance > 0)
        .map(|a| Pool {
            currency: a.currency.code().into(),
            minor: a.balance,
            display: Money::new(a.balance, a.currency).display(),
        })
        .collect();
    let ends = s.period_from + i64::from(s.period_days) * DAY_MS;
    Ok(RevenueShare {
        share_bps: s.share_bps as u32,
        share_display: crate::work::percent(s.share_bps),
        period_days: s.period_days as u32,
        period_from: utc_day(s.period_from),
        distributed_on: utc_day(ends),
        pools,
    })
}

fn view(p: Points) -> PointsView {
    PointsView {
        total: p.total(),
        referrals: p.referrals,
        mentoring: p.mentoring,
        contributions: p.contributions,
        work: p
            .work
            .into_iter()
            .map(|(currency, points)| WorkPoints { currency, points })
            .collect(),
    }
}

fn statement_line(d: &DistributionRow, s: &ShareRow) -> StatementLine {
    StatementLine {
        distribution: d.id.clone(),
        period_from: utc_day(d.period_from),
        period_to: utc_day(d.period_to - 1),
        currency: s.currency.code().into(),
        points: s.points,
        amount: s.amount,
        display: Money::new(s.amount, s.currency).display(),
    }
}
