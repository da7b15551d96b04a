//! The ledger, the evidence log, the taxonomy and the instance's policy.

use super::layout::layout;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One posting of a ledger transaction, as the feed shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostingLine {
    /// The account's kind, such as `wallet` or `escrow`.
    pub kind: String,
    /// The account's owner id.
    pub owner: String,
    /// The currency's code.
    pub currency: String,
    /// The amount, in minor units: negative takes from the account.
    pub amount: i64,
}

/// `ledger.deposit`, `ledger.fund`, `ledger.release`, `ledger.refund` and `ledger.payout`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerPosted {
    /// Who asked for it (`system` for automatic releases).
    pub requested_by: String,
    /// The transaction.
    pub transaction: String,
    /// Its postings, which sum to zero per currency.
    pub postings: Vec<PostingLine>,
    /// The transaction's memo, as the ledger keeps it.
    pub memo: Value,
}
layout!(LedgerPosted {
    actor: requested_by,
    subjects: [transaction],
    data: [postings, memo],
});

/// `evidence.erased`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceErased {
    /// The member themselves, or an operator.
    pub by: String,
    /// Whose evidence.
    pub member: String,
    /// How many entries left the member's view (a payload itself goes once no party holds
    /// it; the name is kept from when the two were the same).
    pub payloads: u64,
}
layout!(EvidenceErased {
    actor: by,
    subjects: [member],
    data: [payloads]
});

/// `taxonomy.imported`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyImported {
    /// `default` or `esco`.
    pub source: String,
    /// Skills added.
    pub added: u64,
    /// Skills whose labels changed.
    pub updated: u64,
    /// New broader or related links between skills; links already stored are not counted.
    pub relations_added: u64,
    /// Rows skipped.
    pub skipped: u64,
}
layout!(TaxonomyImported {
    subjects: [],
    data: [source, added, updated, relations_added, skipped],
});

/// `instance.policy_changed`: the whole policy as it now is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyChanged {
    /// The operator.
    pub operator: String,
    /// Who may create an account.
    pub registration: String,
    /// API calls a minute one token may make.
    pub api_calls_per_minute_per_token: u32,
    /// API calls a minute one address may make.
    pub api_calls_per_minute_per_address: u32,
}
layout!(PolicyChanged {
    actor: operator,
    subjects: [],
    data: [
        registration,
        api_calls_per_minute_per_token,
        api_calls_per_minute_per_address
    ],
});

/// `bench.baseline`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchBaseline {
    /// The write's number in the run.
    pub i: u64,
}
layout!(BenchBaseline {
    subjects: [],
    data: [i]
});
