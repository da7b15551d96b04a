//! Reviews after a completed contract, both ways and double-blind: neither side sees the other's
//! review until both are in, or until the reveal period after a review passes. Revealing is
//! evidence in the change feed.

use super::handle_of;
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::events::{Event, ReviewRevealed, ReviewWritten};
use guildhall_domain::profile::ItemData;
use guildhall_domain::{ContractId, FieldErrors, ReviewId, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::contracts;
use guildhall_store::repo::reviews::{self as repo, ReviewRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The reputation figure whose item decides who reads a member's reviews.
const REVIEW_SCORE: &str = "review_score";

/// How long a review stays hidden if the other side never writes one.
pub const REVEAL_AFTER_MS: i64 = 14 * 24 * 3600 * 1000;

/// What a client rates in the member's work.
pub const CLIENT_CRITERIA: [&str; 3] = ["quality", "communication", "timeliness"];
/// What a member rates in working for the client.
pub const MEMBER_CRITERIA: [&str; 3] = ["clarity", "communication", "payment"];

/// What a review says.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// Overall, 1 to 5.
    pub overall: i32,
    /// Criteria, 1 to 5 each: a client rates quality, communication and timeliness; a member
    /// rates clarity, communication and payment.
    #[serde(default)]
    pub criteria: BTreeMap<String, i32>,
    /// Words.
    #[serde(default)]
    pub text: String,
}

/// A review as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Review {
    /// Author's handle; absent in a member's reviews read by someone other than the member or
    /// the author, so reviews never tell strangers who the member's clients are.
    pub author: Option<String>,
    /// Subject's handle.
    pub subject: String,
    /// The author's side: client or member.
    pub side: String,
    /// Overall, 1 to 5.
    pub overall: i32,
    /// Scores 1 to 5 for the criteria the author rated; which criteria depends on `side`.
    pub criteria: BTreeMap<String, i32>,
    /// Words.
    pub text: String,
    /// Written (ms).
    pub created_at: i64,
    /// Revealed (ms), if it is.
    pub revealed_at: Option<i64>,
}

/// The reviews of a contract as one of its sides sees them.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ContractReviews {
    /// Yours, if written.
    pub yours: Option<Review>,
    /// The other side's, once revealed.
    pub theirs: Option<Review>,
    /// Whether the other side has written one (without showing it).
    pub theirs_written: bool,
}

fn review_of(c: &mut DbConnection, row: ReviewRow) -> Result<Review, AppError> {
    Ok(Review {
        author: Some(handle_of(c, row.author_id)?),
        subject: handle_of(c, row.subject_id)?,
        criteria: serde_json::from_str(&row.criteria).unwrap_or_default(),
        side: row.side,
        overall: row.overall,
        text: row.body,
        created_at: row.created_at,
        revealed_at: row.revealed_at,
    })
}

fn reveal(c: &mut DbConnection, now: i64, row: &ReviewRow, why: &str) -> Result<(), AppError> {
    if repo::reveal(c, row.id, now)? {
        record(
            c,
            now,
            Event::ReviewRevealed(ReviewRevealed {
                contract: row.contract_id.to_string(),
                review: row.id.to_string(),
                author: row.author_id.to_string(),
                subject: row.subject_id.to_string(),
                side: row.side.clone(),
                overall: row.overall,
                criteria: serde_json::from_str(&row.criteria)
                    .map_err(|e| AppError::caused("reading a review's criteria", e))?,
                why: why.to_string(),
            }),
        )?;
    }
    Ok(())
}

impl crate::facades::Work<'_> {
    /// Reviews the other side of a completed contract, once.
    pub fn write_review(
        &self,
        who: &Account,
        contract_id: &str,
        input: ReviewInput,
    ) -> Result<ContractReviews, AppError> {
        let now = self.now();
        self.write(|c| {
            let contract = super::locked(c, who, contract_id)?;
            if contract.status != ContractStatus::Completed {
                return Err(AppError::conflict(
                    None,
                    "reviews follow a completed contract",
                ));
            }
            let (side, subject, names) = if who.id == contract.client_id {
                ("client", contract.member_id, CLIENT_CRITERIA)
            } else {
                ("member", contract.client_id, MEMBER_CRITERIA)
            };
            let mut e = FieldErrors::new();
            if !(1..=5).contains(&input.overall) {
                e.add("/overall", "must be 1 to 5");
            }
            for (k, v) in &input.criteria {
                if !names.contains(&k.as_str()) {
                    e.add(
                        format!("/criteria/{k}"),
                        format!("criteria are {}", names.join(", ")),
                    );
                } else if !(1..=5).contains(v) {
                    e.add(format!("/criteria/{k}"), "must be 1 to 5");
                }
            }
            let text = validation::text(&mut e, "/text", &input.text, 0, 4000, true);
            if !e.is_empty() {
                return Err(e.into());
            }
            let existing = repo::of_contract(c, contract.id)?;
            if existing.iter().any(|r| r.author_id == who.id) {
                return Err(AppError::conflict(
                    None,
                    "you already reviewed this contract",
                ));
            }
            let row = ReviewRow {
                id: ReviewId::new(),
                contract_id: contract.id,
                author_id: who.id,
                subject_id: subject,
                side: side.into(),
                overall: input.overall,
                criteria: serde_json::to_string(&input.criteria)
                    .map_err(|e| AppError::caused("encoding a review's criteria", e))?,
                body: text,
                created_at: now,
                reveal_at: now + REVEAL_AFTER_MS,
                revealed_at: None,
            };
            repo::insert(c, &row)?;
            record(
                c,
                now,
                Event::ReviewWritten(ReviewWritten {
                    author: who.id.to_string(),
                    contract: contract.id.to_string(),
                    side: side.to_string(),
                }),
            )?;
            // Both are in: both are revealed now.
            if let Some(other) = existing.into_iter().find(|r| r.author_id != who.id) {
                reveal(c, now, &other, "both")?;
                reveal(c, now, &row, "both")?;
            }
            reviews_for(c, who, contract.id)
        })
    }

    /// The reviews of one of the caller's contracts.
    pub fn contract_reviews(
        &self,
        who: &Account,
        contract_id: &str,
    ) -> Result<ContractReviews, AppError> {
        let contract_id: ContractId = super::sent_id(contract_id)?;
        self.read(|c| {
            let contract = contracts::by_id(c, contract_id)?
                .filter(|k| k.client_id == who.id || k.member_id == who.id)
                .ok_or(AppError::NotFound)?;
            reviews_for(c, who, contract.id)
        })
    }

    /// Reveals reviews whose reveal time passed without the other side's (background job).
    pub fn reveal_due_reviews(&self) -> Result<usize, AppError> {
        let now = self.now();
        let due = self.read(|c| Ok(repo::due(c, now, 500)?))?;
        let mut n = 0;
        for (id, contract_id) in due {
            let revealed = self.write(|c| {
                contracts::locked(c, contract_id)?;
                let Some(row) = repo::of_contract(c, contract_id)?
                    .into_iter()
                    .find(|r| r.id == id && r.revealed_at.is_none())
                else {
                    return Ok(false);
                };
                reveal(c, now, &row, "time")?;
                Ok(true)
            })?;
            n += usize::from(revealed);
        }
        Ok(n)
    }

    /// Revealed reviews about the member at `handle`, as `viewer` may read them: all of them
    /// for the member; for anyone else only when the member shows them their review score
    /// (the `review_score` reputation item and its audiences), naming only the viewer's own
    /// reviews.
    pub fn reviews_about(
        &self,
        handle: &str,
        viewer: Option<&Account>,
    ) -> Result<Vec<Review>, AppError> {
        let view = self.profiles().view_profile(handle, viewer)?;
        let owner = viewer.is_some_and(|v| v.handle.eq_ignore_ascii_case(&view.handle));
        let shown = view
            .items
            .iter()
            .any(|i| matches!(&i.data, ItemData::Reputation { figure } if figure == REVIEW_SCORE));
        if !owner && !shown {
            return Ok(Vec::new());
        }
        self.read(|c| {
            let user = guildhall_store::repo::users::by_handle(c, &view.handle)?
                .ok_or(AppError::NotFound)?;
            repo::about(c, user.id)?
                .into_iter()
                .map(|r| {
                    let named = owner || viewer.is_some_and(|v| v.id == r.author_id);
                    let mut review = review_of(c, r)?;
                    if !named {
                        review.author = None;
                    }
                    Ok(review)
                })
                .collect()
        })
    }
}

fn reviews_for(
    c: &mut DbConnection,
    who: &Account,
    contract_id: ContractId,
) -> Result<ContractReviews, AppError> {
    let rows = repo::of_contract(c, contract_id)?;
    let mut out = ContractReviews {
        yours: None,
        theirs: None,
        theirs_written: false,
    };
    for row in rows {
        if row.author_id == who.id {
            out.yours = Some(review_of(c, row)?);
        } else {
            out.theirs_written = true;
            if row.revealed_at.is_some() {
                out.theirs = Some(review_of(c, row)?);
            }
        }
    }
    Ok(out)
}
