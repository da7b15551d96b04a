//! The double-entry ledger's rules: accounts, postings that sum to zero per currency, and the
//! postings of each money operation. Pure, so the arithmetic is tested without a database; the
//! store keeps postings and derives balances from them.

use crate::money::{Currency, share};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an account holds money for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A member's or client's money on the platform. Never negative.
    Wallet,
    /// Money held for one contract until milestones are released or refunded.
    Escrow,
    /// The platform's fees.
    PlatformRevenue,
    /// A community's share of work done through it.
    CommunityShare,
    /// A referrer's rewards for people they referred who were hired.
    ReferralRewards,
    /// The world outside, through one payment provider: its balance is minus what came in
    /// plus what went out.
    External,
    /// Money on its way out: a payout asked for and not yet paid or failed by the provider.
    /// Owned by whoever the money belongs to (a user, or a community for its share).
    PayoutPending,
    /// The part of a community's share set aside for its members, shared out among them each
    /// period in proportion to their points. Owned by the community.
    MemberPool,
}

impl AccountKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Wallet => "wallet",
            AccountKind::Escrow => "escrow",
            AccountKind::PlatformRevenue => "platform_revenue",
            AccountKind::CommunityShare => "community_share",
            AccountKind::ReferralRewards => "referral_rewards",
            AccountKind::External => "external",
            AccountKind::PayoutPending => "payout_pending",
            AccountKind::MemberPool => "member_pool",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            AccountKind::Wallet,
            AccountKind::Escrow,
            AccountKind::PlatformRevenue,
            AccountKind::CommunityShare,
            AccountKind::ReferralRewards,
            AccountKind::External,
            AccountKind::PayoutPending,
            AccountKind::MemberPool,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Whether the balance may never go below zero: every account that holds someone's money.
    pub fn must_stay_covered(self) -> bool {
        !matches!(self, AccountKind::External)
    }
}

/// An account: a kind, whose it is (a user, a contract, a community, `platform`, a provider) and
/// a currency.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AccountRef {
    /// What the account holds money for; decides whether its balance may go negative.
    pub kind: AccountKind,
    /// Owner id.
    pub owner: String,
    /// The one currency the account holds; an owner has a separate account per currency.
    pub currency: Currency,
}

impl AccountRef {
    /// An account.
    pub fn new(kind: AccountKind, owner: impl Into<String>, currency: Currency) -> Self {
        Self {
            kind,
            owner: owner.into(),
            currency,
        }
    }
}

/// One line of a transaction: money into (positive) or out of (negative) an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    /// The account the money moves into or out of, by kind, owner and currency.
    pub account: AccountRef,
    /// Minor units; positive adds to the account's balance.
    pub amount: i64,
}

/// Why a set of postings is not a valid transaction.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// Postings of a currency do not sum to zero.
    #[error("postings in {0} do not sum to zero")]
    Unbalanced(Currency),
    /// A posting's amount is zero.
    #[error("a posting of zero")]
    ZeroPosting,
    /// An amount is zero, negative or too large.
    #[error("the amount must be positive and at most {max}")]
    BadAmount {
        /// The largest amount accepted.
        max: i64,
    },
    /// Sums overflowed.
    #[error("amounts overflow")]
    Overflow,
    /// Rates add up to more than the whole.
    #[error("fee, community share and referral reward add up to more than 100 %")]
    RatesTooHigh,
    /// An account that must stay covered would go negative.
    #[error("not enough money in the {0:?} account")]
    Insufficient(AccountKind),
}

/// The largest single amount an operation moves: 10¹³ minor units (100 billion of a two-digit
/// currency), far from overflow when many are summed.
pub const MAX_AMOUNT: i64 = 10_000_000_000_000;

/// Checks that postings form a balanced transaction.
pub fn check_balanced(postings: &[Posting]) -> Result<(), LedgerError> {
    let mut sums: BTreeMap<Currency, i64> = BTreeMap::new();
    for p in postings {
        if p.amount == 0 {
            return Err(LedgerError::ZeroPosting);
        }
        let sum = sums.entry(p.account.currency).or_default();
        *sum = sum.checked_add(p.amount).ok_or(LedgerError::Overflow)?;
    }
    match sums.into_iter().find(|(_, s)| *s != 0) {
        Some((currency, _)) => Err(LedgerError::Unbalanced(currency)),
        None => Ok(()),
    }
}

fn check_amount(amount: i64) -> Result<(), LedgerError> {
    if amount <= 0 || amount > MAX_AMOUNT {
        return Err(LedgerError::BadAmount { max: MAX_AMOUNT });
    }
    Ok(())
}

fn pair(from: AccountRef, to: AccountRef, amount: i64) -> Result<Vec<Posting>, LedgerError> {
    check_amount(amount)?;
    Ok(vec![
        Posting {
            account: from,
            amount: -amount,
        },
        Posting {
            account: to,
            amount,
        },
    ])
}

/// Money arriving from a payment provider into a wallet.
pub fn deposit(
    user: &str,
    provider: &str,
    amount: i64,
    currency: Currency,
) -> Result<Vec<Posting>, LedgerError> {
    pair(
        AccountRef::new(AccountKind::External, provider, currency),
        AccountRef::new(AccountKind::Wallet, user, currency),
        amount,
    )
}

/// Money leaving a wallet to the outside through a provider.
pub fn payout(
    user: &str,
    provider: &str,
    amount: i64,
    currency: Currency,
) -> Result<Vec<Posting>, LedgerError> {
    pair(
        AccountRef::new(AccountKind::Wallet, user, currency),
        AccountRef::new(AccountKind::External, provider, currency),
        amount,
    )
}

/// A payout asked for: its amount leaves the account it is paid from (`source`) and waits in
/// the owner's pending account, so it can be spent only once while the provider pays it.
pub fn hold_payout(source: &AccountRef, amount: i64) -> Result<Vec<Posting>, LedgerError> {
    pair(
        source.clone(),
        AccountRef::new(AccountKind::PayoutPending, &source.owner, source.currency),
        amount,
    )
}

/// A held payout paid by the provider: it leaves the ledger.
pub fn pay_held_payout(
    source: &AccountRef,
    provider: &str,
    amount: i64,
) -> Result<Vec<Posting>, LedgerError> {
    pair(
        AccountRef::new(AccountKind::PayoutPending, &source.owner, source.currency),
        AccountRef::new(AccountKind::External, provider, source.currency),
        amount,
    )
}

/// A held payout that failed: its amount returns to the account it was to be paid from.
pub fn return_held_payout(source: &AccountRef, amount: i64) -> Result<Vec<Posting>, LedgerError> {
    pair(
        AccountRef::new(AccountKind::PayoutPending, &source.owner, source.currency),
        source.clone(),
        amount,
    )
}

/// A client funds a milestone: wallet to the contract's escrow.
pub fn fund(
    client: &str,
    contract: &str,
    amount: i64,
    currency: Currency,
) -> Result<Vec<Posting>, LedgerError> {
    pair(
        AccountRef::new(AccountKind::Wallet, client, currency),
        AccountRef::new(AccountKind::Escrow, contract, currency),
        amount,
    )
}

/// Escrowed money goes back to the client.
pub fn refund(
    contract: &str,
    client: &str,
    amount: i64,
    currency: Currency,
) -> Result<Vec<Posting>, LedgerError> {
    pair(
        AccountRef::new(AccountKind::Escrow, contract, currency),
        AccountRef::new(AccountKind::Wallet, client, currency),
        amount,
    )
}

/// Rates split off a release, in basis points (hundredths of a percent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rates {
    /// The platform's fee.
    pub platform_bps: u32,
    /// The community's share, when the work came through a community.
    pub community_bps: u32,
    /// The referrer's reward, when the member was referred.
    pub referral_bps: u32,
}

/// Who shares in a release besides the member.
#[derive(Clone, Debug, Default)]
pub struct Beneficiaries<'a> {
    /// The community the work came through.
    pub community: Option<&'a str>,
    /// The member who referred the worker.
    pub referrer: Option<&'a str>,
    /// The part of the community's share its members share out, in basis points of that share.
    pub members_pool_bps: u32,
}

/// The amounts a release splits into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    /// To the platform.
    pub fee: i64,
    /// To the community, all told (including `pool`).
    pub community: i64,
    /// The part of `community` set aside for its members' pool. Left out of the stored form
    /// when zero, as releases before member pools were written.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pool: i64,
    /// To the referrer.
    pub referral: i64,
    /// To the member: the rest, so rounding never loses or invents a minor unit.
    pub member: i64,
}

/// How a released amount is split. Each share rounds down; the member gets the remainder.
pub fn split(amount: i64, rates: Rates, who: &Beneficiaries<'_>) -> Result<Split, LedgerError> {
    check_amount(amount)?;
    if rates.platform_bps + rates.community_bps + rates.referral_bps > 10_000 {
        return Err(LedgerError::RatesTooHigh);
    }
    let fee = share(amount, rates.platform_bps);
    let community = who
        .community
        .map_or(0, |_| share(amount, rates.community_bps));
    let referral = who
        .referrer
        .map_or(0, |_| share(amount, rates.referral_bps));
    if who.members_pool_bps > 10_000 {
        return Err(LedgerError::RatesTooHigh);
    }
    Ok(Split {
        fee,
        community,
        pool: share(community, who.members_pool_bps),
        referral,
        member: amount - fee - community - referral,
    })
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// A community's member pool shared out: `parts` are each member's amount, and they leave the
/// pool together.
pub fn distribute(
    community: &str,
    currency: Currency,
    parts: &[(String, i64)],
) -> Result<Vec<Posting>, LedgerError> {
    let mut total: i64 = 0;
    let mut postings = Vec::with_capacity(parts.len() + 1);
    for (member, amount) in parts {
        check_amount(*amount)?;
        total = total.checked_add(*amount).ok_or(LedgerError::Overflow)?;
        postings.push(Posting {
            account: AccountRef::new(AccountKind::Wallet, member, currency),
            amount: *amount,
        });
    }
    check_amount(total)?;
    postings.insert(
        0,
        Posting {
            account: AccountRef::new(AccountKind::MemberPool, community, currency),
            amount: -total,
        },
    );
    Ok(postings)
}

/// A milestone's escrow is released: to the member, with the fee, the community's share and the
/// referrer's reward split off. Zero parts are left out.
pub fn release(
    contract: &str,
    member: &str,
    amount: i64,
    currency: Currency,
    rates: Rates,
    who: &Beneficiaries<'_>,
) -> Result<(Vec<Posting>, Split), LedgerError> {
    let s = split(amount, rates, who)?;
    let mut postings = vec![Posting {
        account: AccountRef::new(AccountKind::Escrow, contract, currency),
        amount: -amount,
    }];
    let mut credit = |kind, owner: &str, part: i64| {
        if part > 0 {
            postings.push(Posting {
                account: AccountRef::new(kind, owner, currency),
                amount: part,
            });
        }
    };
    credit(AccountKind::PlatformRevenue, "platform", s.fee);
    if let Some(c) = who.community {
        credit(AccountKind::CommunityShare, c, s.community - s.pool);
        credit(AccountKind::MemberPool, c, s.pool);
    }
    if let Some(r) = who.referrer {
        credit(AccountKind::ReferralRewards, r, s.referral);
    }
    credit(AccountKind::Wallet, member, s.member);
    check_balanced(&postings)?;
    Ok((postings, s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn unbalanced_and_zero_postings_are_refused() {
        let a = AccountRef::new(AccountKind::Wallet, "a", eur());
        let b = AccountRef::new(AccountKind::Wallet, "b", eur());
        let usd = AccountRef::new(AccountKind::Wallet, "b", Currency::parse("USD").unwrap());
        let p = |account: &AccountRef, amount| Posting {
            account: account.clone(),
            amount,
        };
        assert!(check_balanced(&[p(&a, -5), p(&b, 5)]).is_ok());
        assert_eq!(
            check_balanced(&[p(&a, -5), p(&usd, 5)]),
            Err(LedgerError::Unbalanced(eur()))
        );
        assert_eq!(check_balanced(&[p(&a, 0)]), Err(LedgerError::ZeroPosting));
        assert_eq!(
            check_balanced(&[p(&a, i64::MAX), p(&b, 1)]),
            Err(LedgerError::Overflow)
        );
        assert!(fund("c", "k", 0, eur()).is_err());
        assert!(fund("c", "k", MAX_AMOUNT + 1, eur()).is_err());
    }

    #[test]
    fn a_release_splits_with_the_remainder_to_the_member() {
        let rates = Rates {
            platform_bps: 1000,
            community_bps: 250,
            referral_bps: 500,
        };
        let who = Beneficiaries {
            community: Some("guild"),
            referrer: Some("ref"),
            members_pool_bps: 0,
        };
        let (postings, s) = release("k", "m", 9_999, eur(), rates, &who).unwrap();
        assert_eq!(
            s,
            Split {
                fee: 999,
                community: 249,
                pool: 0,
                referral: 499,
                member: 8_252
            }
        );
        assert_eq!(postings.len(), 5);
        // With a members' pool of 40 % of the community's share, 99 of its 249 go to the pool.
        let pooled = Beneficiaries {
            members_pool_bps: 4_000,
            ..who.clone()
        };
        let (postings, s) = release("k", "m", 9_999, eur(), rates, &pooled).unwrap();
        assert_eq!((s.community, s.pool, s.member), (249, 99, 8_252));
        let into = |kind| {
            postings
                .iter()
                .find(|p| p.account.kind == kind)
                .map(|p| p.amount)
        };
        assert_eq!(into(AccountKind::CommunityShare), Some(150));
        assert_eq!(into(AccountKind::MemberPool), Some(99));
        // A release written before pools had no `pool` key, and still reads and writes so.
        let old = serde_json::json!({"fee": 1, "community": 2, "referral": 0, "member": 7});
        let read: Split = serde_json::from_value(old.clone()).unwrap();
        assert_eq!(serde_json::to_value(read).unwrap(), old);
        let alone = release("k", "m", 9_999, eur(), rates, &Beneficiaries::default())
            .unwrap()
            .1;
        assert_eq!(
            (alone.community, alone.referral, alone.member),
            (0, 0, 9_000)
        );
        assert_eq!(
            split(
                100,
                Rates {
                    platform_bps: 9_000,
                    community_bps: 1_001,
                    referral_bps: 0
                },
                &who
            ),
            Err(LedgerError::RatesTooHigh)
        );
    }

    #[test]
    fn a_distribution_empties_the_pool_into_wallets() {
        let parts = vec![("a".to_string(), 60), ("b".to_string(), 40)];
        let postings = distribute("guild", eur(), &parts).unwrap();
        check_balanced(&postings).unwrap();
        assert_eq!(postings[0].account.kind, AccountKind::MemberPool);
        assert_eq!(postings[0].amount, -100);
        assert_eq!(postings[2].account.owner, "b");
        assert!(distribute("guild", eur(), &[]).is_err());
        assert!(distribute("guild", eur(), &[("a".into(), 0)]).is_err());
    }

    #[test]
    fn a_held_payout_is_paid_out_or_returned_whole() {
        let wallet = AccountRef::new(AccountKind::Wallet, "u", eur());
        let pending = AccountRef::new(AccountKind::PayoutPending, "u", eur());
        let hold = hold_payout(&wallet, 700).unwrap();
        assert_eq!(
            (hold[0].account.clone(), hold[0].amount),
            (wallet.clone(), -700)
        );
        assert_eq!(
            (hold[1].account.clone(), hold[1].amount),
            (pending.clone(), 700)
        );
        let paid = pay_held_payout(&wallet, "manual", 700).unwrap();
        assert_eq!(paid[0].account, pending);
        assert_eq!(paid[1].account.kind, AccountKind::External);
        let back = return_held_payout(&wallet, 700).unwrap();
        assert_eq!(
            (back[1].account.clone(), back[1].amount),
            (wallet.clone(), 700)
        );
        for postings in [&hold, &paid, &back] {
            check_balanced(postings).unwrap();
        }
        assert!(AccountKind::PayoutPending.must_stay_covered());
        assert_eq!(
            AccountKind::parse("payout_pending"),
            Some(AccountKind::PayoutPending)
        );
        assert_eq!(
            hold_payout(&wallet, 0),
            Err(LedgerError::BadAmount { max: MAX_AMOUNT })
        );
    }

    proptest! {
        #[test]
        fn every_release_balances_and_loses_nothing(
            amount in 1i64..=MAX_AMOUNT,
            p in 0u32..=4000, c in 0u32..=3000, r in 0u32..=3000,
            community in any::<bool>(), referrer in any::<bool>(), pool in 0u32..=10_000,
        ) {
            let who = Beneficiaries {
                community: community.then_some("guild"),
                referrer: referrer.then_some("ref"),
                members_pool_bps: pool,
            };
            let rates = Rates { platform_bps: p, community_bps: c, referral_bps: r };
            let (postings, s) = release("k", "m", amount, eur(), rates, &who).unwrap();
            prop_assert!(check_balanced(&postings).is_ok());
            prop_assert_eq!(s.fee + s.community + s.referral + s.member, amount);
            prop_assert!(s.member >= 0 && s.fee >= 0);
            prop_assert!(s.pool >= 0 && s.pool <= s.community);
            prop_assert!(postings.iter().all(|p| p.amount != 0));
        }
    }
}

/// Where a member's request to add money stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepositStatus {
    /// Waiting for the payment provider to have the money.
    Pending,
    /// The money arrived and is in the member's wallet.
    Confirmed,
    /// Called off by the member, or by an operator who saw no money arrive.
    Cancelled,
}

named_values!(DepositStatus {
    Pending => "pending",
    Confirmed => "confirmed",
    Cancelled => "cancelled",
});

/// Where a payout request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayoutStatus {
    /// Held, waiting for the provider (or an operator) to pay it.
    Pending,
    /// Paid out: the money left the ledger.
    Paid,
    /// Not paid, with a reason: the money went back where it came from.
    Failed,
}

named_values!(PayoutStatus {
    Pending => "pending",
    Paid => "paid",
    Failed => "failed",
});
