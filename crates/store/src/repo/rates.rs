//! What the rates heat map reads: jobs posted since a time, and the pay of the contracts made
//! from them.

use crate::schema::{contracts, hourly_terms, jobs, milestones};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::job::JobStatus;
use std::collections::HashMap;

/// Jobs posted at `since` or later, drafts left out.
pub fn jobs_since(
    conn: &mut DbConnection,
    since: Millis,
) -> Result<Vec<super::jobs::JobRow>, StoreError> {
    Ok(jobs::table
        .filter(jobs::created_at.ge(since))
        .filter(jobs::status.ne(JobStatus::Draft.as_str()))
        .select(super::jobs::JobRow::as_select())
        .load(conn)?)
}

/// One contract's pay.
#[derive(Clone, Debug, PartialEq)]
pub struct ContractPay {
    /// The member paid.
    pub member_id: String,
    /// The job it came from.
    pub job_id: String,
    /// Its currency.
    pub currency: String,
    /// The hourly rate, for hourly work.
    pub hourly_rate: Option<i64>,
    /// Its milestones together, minor units.
    pub total: i64,
}

/// The pay of the contracts made from `job_ids` that started (offers never taken up left
/// out).
pub fn contract_pay(
    conn: &mut DbConnection,
    job_ids: &[String],
) -> Result<Vec<ContractPay>, StoreError> {
    let started = [
        ContractStatus::Active,
        ContractStatus::Completed,
        ContractStatus::Cancelled,
        ContractStatus::Disputed,
    ]
    .map(|s| s.as_str());
    let mut out = Vec::new();
    // In chunks, within every database's limit on bound parameters.
    for chunk in job_ids.chunks(500) {
        let rows: Vec<(String, String, Option<String>, String)> = contracts::table
            .filter(contracts::job_id.eq_any(chunk))
            .filter(contracts::status.eq_any(started))
            .select((
                contracts::id,
                contracts::member_id,
                contracts::job_id,
                contracts::currency,
            ))
            .load(conn)?;
        let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
        let rates: HashMap<String, i64> = hourly_terms::table
            .filter(hourly_terms::contract_id.eq_any(&ids))
            .select((hourly_terms::contract_id, hourly_terms::rate))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        let mut totals: HashMap<String, i64> = HashMap::new();
        for (contract, amount) in milestones::table
            .filter(milestones::contract_id.eq_any(&ids))
            .select((milestones::contract_id, milestones::amount))
            .load::<(String, i64)>(conn)?
        {
            *totals.entry(contract).or_default() += amount;
        }
        out.extend(
            rows.into_iter()
                .filter_map(|(id, member_id, job_id, currency)| {
                    Some(ContractPay {
                        member_id,
                        job_id: job_id?,
                        currency,
                        hourly_rate: rates.get(&id).copied(),
                        total: totals.get(&id).copied().unwrap_or(0),
                    })
                }),
        );
    }
    Ok(out)
}
