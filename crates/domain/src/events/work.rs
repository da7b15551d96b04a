//! Work: jobs, proposals and referrals, contracts and their milestones, disputes, reviews and
//! deposits.

use super::layout::{absent_or_null, layout};
use crate::ledger::Split;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `work.job_posted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobPosted {
    /// The client.
    pub client: String,
    /// The job.
    pub job: String,
    /// `draft` or `open`.
    pub status: String,
    /// The community it is posted in, if any.
    pub community: Option<String>,
}
layout!(JobPosted {
    actor: client,
    subjects: [job],
    data: [status, community]
});

/// `work.job_status`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobStatusChanged {
    /// The client.
    pub client: String,
    /// The job.
    pub job: String,
    /// The status before.
    pub from: String,
    /// The status now.
    pub to: String,
}
layout!(JobStatusChanged {
    actor: client,
    subjects: [job],
    data: [from, to]
});

/// `work.proposed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposed {
    /// The member proposing.
    pub member: String,
    /// The job.
    pub job: String,
    /// The proposal.
    pub proposal: String,
    /// The job's client.
    pub client: String,
    /// The rate asked, in minor units of the job's currency.
    pub rate: i64,
}
layout!(Proposed {
    actor: member,
    subjects: [job, proposal, client],
    data: [rate]
});

/// `work.invited`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitedToPropose {
    /// Who invited (the client).
    pub by: String,
    /// The job.
    pub job: String,
    /// The member invited.
    pub member: String,
}
layout!(InvitedToPropose {
    actor: by,
    subjects: [job, member],
    data: []
});

/// `work.shortlisted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shortlisted {
    /// The curator.
    pub curator: String,
    /// The job.
    pub job: String,
    /// The member put forward.
    pub member: String,
    /// The job's client, told of it.
    pub client: String,
    /// The community the curator acts for.
    pub community: String,
}
layout!(Shortlisted {
    actor: curator,
    subjects: [job, member, client, community],
    data: []
});

/// `work.unshortlisted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unshortlisted {
    /// Who took the member off: a curator of the community or the job's client.
    pub by: String,
    /// The job.
    pub job: String,
    /// The member.
    pub member: String,
}
layout!(Unshortlisted {
    actor: by,
    subjects: [job, member],
    data: []
});

/// `work.referred`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referred {
    /// The referrer.
    pub referrer: String,
    /// The job.
    pub job: String,
    /// The member referred.
    pub member: String,
    /// The referrer's note to the client.
    pub note: String,
}
layout!(Referred {
    actor: referrer,
    subjects: [job, member, referrer],
    data: [note]
});

/// `work.proposal_reviewed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalReviewed {
    /// The client.
    pub client: String,
    /// The job.
    pub job: String,
    /// The proposal.
    pub proposal: String,
    /// Its author.
    pub member: String,
    /// `shortlisted` or `declined`.
    pub status: String,
}
layout!(ProposalReviewed {
    actor: client,
    subjects: [job, proposal, member],
    data: [status],
});

/// `work.referral_hired`: evidence that the referrer's word led to work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralHired {
    /// The referrer.
    pub referrer: String,
    /// The job.
    pub job: String,
    /// The contract that followed.
    pub contract: String,
    /// The member hired.
    pub member: String,
}
layout!(ReferralHired {
    actor: referrer,
    subjects: [job, contract, referrer, member],
    data: [referrer, member, job],
    parties: [referrer, member],
});

/// `work.contract_offered`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractOffered {
    /// The client.
    pub client: String,
    /// The contract.
    pub contract: String,
    /// The member offered it.
    pub member: String,
    /// Its currency's code.
    pub currency: String,
    /// Its total, in minor units.
    pub total: i64,
    /// How many milestones.
    pub milestones: u64,
    /// The job it hires for: `null` for none, absent in entries from before jobs.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "absent_or_null"
    )]
    pub job: Option<Option<String>>,
    /// An hourly contract's rate, in minor units per hour (absent for fixed milestones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_rate: Option<i64>,
    /// An hourly contract's weekly cap, in hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_cap_hours: Option<i32>,
    /// The learner offered a part of it beside the member; absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<String>,
}
layout!(ContractOffered {
    actor: client,
    subjects: [contract, member, learner],
    data: [
        currency,
        total,
        milestones,
        job,
        hourly_rate,
        weekly_cap_hours
    ],
});

/// `work.contract_started`, `work.offer_declined` and `work.offer_withdrawn`: an offer
/// answered. Entries from before responsiveness was measured hold no data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferAnswered {
    /// Who answered; `None` when a suspension withdrew the offer.
    pub by: Option<String>,
    /// The contract.
    pub contract: String,
    /// The client.
    pub client: String,
    /// The member offered it.
    pub member: String,
    /// The member again, as the data names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_member: Option<String>,
    /// When the offer was made (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_at: Option<i64>,
    /// The suspended account whose offers were withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<String>,
    /// The member who mentors the learner this entry is about; absent unless the work was
    /// a learner's part of a paired contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor: Option<String>,
}
layout!(OfferAnswered {
    actor: by,
    subjects: [contract, client, member, mentor],
    data: [member => data_member, offered_at, suspended],
    parties: [by, client, member, mentor],
});

/// `work.milestone_funded`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneFunded {
    /// The client.
    pub client: String,
    /// The contract.
    pub contract: String,
    /// The milestone.
    pub milestone: String,
    /// The amount put in escrow, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
}
layout!(MilestoneFunded {
    actor: client,
    subjects: [contract, milestone],
    data: [amount, currency],
});

/// `work.milestone_delivered`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneDelivered {
    /// The member, who delivered.
    pub member: String,
    /// The contract.
    pub contract: String,
    /// The milestone.
    pub milestone: String,
    /// The client.
    pub client: String,
    /// Whether this was the first delivery (later ones follow change requests).
    pub first: bool,
    /// Whether the first delivery came by the due date.
    pub on_time: Option<bool>,
    /// The due date (YYYY-MM-DD).
    pub due_on: String,
    /// The delivery date, UTC (YYYY-MM-DD).
    pub delivered_on: String,
    /// The milestone's amount, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
    /// The SHA-256 (hex) of each file delivered, so the log proves what was delivered
    /// without holding it. Absent when none was (and in entries written before files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The member who mentors the learner this entry is about; absent unless the work was
    /// a learner's part of a paired contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor: Option<String>,
}
layout!(MilestoneDelivered {
    actor: member,
    subjects: [contract, milestone, client, member, mentor],
    data: [
        first,
        on_time,
        due_on,
        delivered_on,
        amount,
        currency,
        files
    ],
    parties: [member, client, mentor],
});

/// `work.milestone_accepted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneAccepted {
    /// The client, who accepted.
    pub client: String,
    /// The contract.
    pub contract: String,
    /// The milestone.
    pub milestone: String,
    /// The member.
    pub member: String,
    /// Whether the first delivery came by the due date.
    pub on_time: Option<bool>,
    /// The milestone's amount, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
    /// The member who mentors the learner this entry is about; absent unless the work was
    /// a learner's part of a paired contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor: Option<String>,
}
layout!(MilestoneAccepted {
    actor: client,
    subjects: [contract, milestone, client, member, mentor],
    data: [on_time, amount, currency],
    parties: [client, member, mentor],
});

/// `work.changes_requested`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesRequested {
    /// The client.
    pub client: String,
    /// The contract.
    pub contract: String,
    /// The milestone.
    pub milestone: String,
    /// The member.
    pub member: String,
    /// What the client asked for.
    pub note: String,
}
layout!(ChangesRequested {
    actor: client,
    subjects: [contract, milestone, member],
    data: [note],
});

/// `work.milestone_released`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneReleased {
    /// Who released it: the client, or `system` when the review period ran out.
    pub released_by: String,
    /// The contract.
    pub contract: String,
    /// The milestone.
    pub milestone: String,
    /// The client.
    pub client: String,
    /// The member.
    pub member: String,
    /// Whether the review period ran out.
    pub auto: bool,
    /// The amount released, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
    /// Whether the first delivery came by the due date.
    pub on_time: Option<bool>,
    /// How the amount was split.
    pub split: Split,
    /// The community sharing in it, if any.
    pub community: Option<String>,
    /// The referrer sharing in it, if any.
    pub referrer: Option<String>,
    /// The member who mentors the learner this entry is about; absent unless the work was
    /// a learner's part of a paired contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor: Option<String>,
}
layout!(MilestoneReleased {
    actor: released_by,
    subjects: [contract, milestone, client, member, mentor],
    data: [auto, amount, currency, on_time, split, community, referrer],
    parties: [released_by, client, member, mentor],
});

/// `work.contract_completed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractCompleted {
    /// Whose action settled the last milestone (`system` for an automatic release).
    pub completed_by: String,
    /// The contract.
    pub contract: String,
    /// The client.
    pub client: String,
    /// The member.
    pub member: String,
    /// The total paid, in minor units.
    pub paid: i64,
    /// Its currency's code.
    pub currency: String,
    /// How many milestones.
    pub milestones: u64,
    /// How many were first delivered on time.
    pub on_time: u64,
    /// The community it ran through, if any.
    pub community: Option<String>,
    /// The referrer, if any.
    pub referrer: Option<String>,
    /// The job's skills; absent in entries from before skills were logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<String>>,
    /// The member who mentors the learner this entry is about; absent unless the work was
    /// a learner's part of a paired contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor: Option<String>,
}
layout!(ContractCompleted {
    actor: completed_by,
    subjects: [contract, client, member, mentor],
    data: [
        client, member, paid, currency, milestones, on_time, community, referrer, skills
    ],
    parties: [completed_by, client, member, mentor],
});

/// `work.contract_cancelled`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractCancelled {
    /// Who cancelled.
    pub cancelled_by: String,
    /// The contract.
    pub contract: String,
    /// The client.
    pub client: String,
    /// The member.
    pub member: String,
    /// Why.
    pub reason: String,
    /// The escrow returned to the client, in minor units.
    pub refunded: i64,
    /// Its currency's code.
    pub currency: String,
    /// Which side cancelled: `client` or `member`.
    pub by: String,
}
layout!(ContractCancelled {
    actor: cancelled_by,
    subjects: [contract, client, member],
    data: [reason, refunded, currency, by],
    parties: [cancelled_by, client, member],
});

/// `work.dispute_opened`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputeOpened {
    /// The party who disputed.
    pub disputant: String,
    /// The contract.
    pub contract: String,
    /// The milestone.
    pub milestone: String,
    /// The client.
    pub client: String,
    /// The member.
    pub member: String,
    /// The dispute.
    pub dispute: String,
    /// Which side opened it: `client` or `member`.
    pub by: String,
    /// Why.
    pub reason: String,
    /// The amount in escrow, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
}
layout!(DisputeOpened {
    actor: disputant,
    subjects: [contract, milestone, client, member],
    data: [dispute, by, reason, amount, currency],
});

/// `work.dispute_resolved`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputeResolved {
    /// The operator who divided the escrow.
    pub operator: String,
    /// The contract.
    pub contract: String,
    /// The milestone.
    pub milestone: String,
    /// The client.
    pub client: String,
    /// The member.
    pub member: String,
    /// The dispute.
    pub dispute: String,
    /// Which side opened it.
    pub opened_by: String,
    /// What the member received, in minor units.
    pub member_amount: i64,
    /// What went back to the client, in minor units.
    pub refunded: i64,
    /// Its currency's code.
    pub currency: String,
    /// The operator's note.
    pub note: String,
    /// Whether the first delivery came by the due date, if there was one.
    pub on_time: Option<bool>,
}
layout!(DisputeResolved {
    actor: operator,
    subjects: [contract, milestone, client, member],
    data: [
        dispute,
        opened_by,
        member_amount,
        refunded,
        currency,
        note,
        on_time
    ],
    parties: [operator, client, member],
});

/// `work.review_written`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewWritten {
    /// The author.
    pub author: String,
    /// The contract.
    pub contract: String,
    /// The author's side: `client` or `member`.
    pub side: String,
}
layout!(ReviewWritten {
    actor: author,
    subjects: [contract],
    data: [side]
});

/// `work.review_revealed`: no one acts; both reviews were in, or the time ran out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRevealed {
    /// The contract.
    pub contract: String,
    /// The review.
    pub review: String,
    /// Who wrote it.
    pub author: String,
    /// Whom it is about.
    pub subject: String,
    /// The author's side: `client` or `member`.
    pub side: String,
    /// The overall mark, 1 to 5.
    pub overall: i32,
    /// Marks per criterion, 1 to 5.
    pub criteria: BTreeMap<String, i32>,
    /// `both` (both were in) or `time` (the reveal time passed).
    pub why: String,
}
layout!(ReviewRevealed {
    subjects: [contract, author, subject],
    data: [review, author, subject, side, overall, criteria, why],
    parties: [author, subject],
});

/// `work.deposit_requested`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepositRequested {
    /// The member.
    pub member: String,
    /// The deposit.
    pub deposit: String,
    /// The amount, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
    /// The payment provider.
    pub provider: String,
}
layout!(DepositRequested {
    actor: member,
    subjects: [deposit],
    data: [amount, currency, provider],
});

/// `work.deposit_confirmed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepositConfirmed {
    /// The operator.
    pub operator: String,
    /// The deposit.
    pub deposit: String,
    /// The member credited.
    pub member: String,
    /// The amount, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
    /// The payment provider.
    pub provider: String,
}
layout!(DepositConfirmed {
    actor: operator,
    subjects: [deposit, member],
    data: [amount, currency, provider],
});

/// `work.deposit_cancelled`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepositCancelled {
    /// Who cancelled it.
    pub by: String,
    /// The deposit.
    pub deposit: String,
    /// Whose deposit it was.
    pub member: String,
}
layout!(DepositCancelled {
    actor: by,
    subjects: [deposit, member],
    data: []
});

/// `work.transfer_recorded`: money an operator (or the server's command line) recorded as
/// arrived for a member, or as paid out to them, without a request of theirs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferRecorded {
    /// The operator, or `system` for the command line.
    pub by: String,
    /// The member whose wallet it moved.
    pub member: String,
    /// `in` (added to the wallet) or `out` (paid out of it).
    pub direction: String,
    /// The amount, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
}
layout!(TransferRecorded {
    actor: by,
    subjects: [member],
    data: [direction, amount, currency],
});

/// `work.payout_requested`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayoutRequested {
    /// The member who asked.
    pub member: String,
    /// The payout.
    pub payout: String,
    /// The community whose share is paid out, when it is not the member's own money.
    pub community: Option<String>,
    /// The amount, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
    /// The payment provider.
    pub provider: String,
}
layout!(PayoutRequested {
    actor: member,
    subjects: [payout],
    data: [community, amount, currency, provider],
});

/// `work.payout_paid`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayoutPaid {
    /// The operator who confirmed it, or `system` for a provider's confirmation.
    pub by: String,
    /// The payout.
    pub payout: String,
    /// The member who asked for it.
    pub member: String,
    /// The community whose share it was, if any.
    pub community: Option<String>,
    /// The amount, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
    /// The payment provider.
    pub provider: String,
}
layout!(PayoutPaid {
    actor: by,
    subjects: [payout, member],
    data: [community, amount, currency, provider],
});

/// `work.payout_failed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayoutFailed {
    /// The operator who failed it, or `system` for a provider's refusal.
    pub by: String,
    /// The payout.
    pub payout: String,
    /// The member who asked for it.
    pub member: String,
    /// The community whose share it was, if any.
    pub community: Option<String>,
    /// The amount, in minor units, back where it came from.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
    /// Why it was not paid, in the operator's or provider's words.
    pub reason: String,
}
layout!(PayoutFailed {
    actor: by,
    subjects: [payout, member],
    data: [community, amount, currency, reason],
});

/// `work.share_distributed`: a member's part of their community's member pool for a period,
/// paid into their wallet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareDistributed {
    /// The community.
    pub community: String,
    /// The distribution.
    pub distribution: String,
    /// The member paid.
    pub member: String,
    /// Their points in this currency's pool.
    pub points: i64,
    /// The amount, in minor units.
    pub amount: i64,
    /// Its currency's code.
    pub currency: String,
}
layout!(ShareDistributed {
    subjects: [community, distribution, member],
    data: [points, amount, currency]
});

/// `work.time_logged` and `work.time_removed`: time a member logged in a week of an hourly
/// contract, or took out again before submitting the week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLogged {
    /// The member.
    pub member: String,
    /// The contract.
    pub contract: String,
    /// The week's milestone.
    pub milestone: String,
    /// The entry.
    pub entry: String,
    /// The day worked, `YYYY-MM-DD`.
    pub worked_on: String,
    /// Minutes.
    pub minutes: i32,
}
layout!(TimeLogged {
    actor: member,
    subjects: [contract, milestone, entry],
    data: [worked_on, minutes]
});
