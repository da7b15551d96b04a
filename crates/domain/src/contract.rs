//! Contracts and milestones as state machines. Every change of state goes through `next`, which
//! either names the new state or says why the move is not allowed; use cases store nothing
//! until it agrees.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a contract stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    /// The client offered it; the member has not answered.
    Offered,
    /// Both agreed; milestones are funded, delivered and released.
    Active,
    /// Every milestone was released.
    Completed,
    /// Ended early, after the member had accepted; escrow went back to the client.
    Cancelled,
    /// The member declined the offer, or the client withdrew it; it never started.
    Declined,
    /// One side disputes a milestone; its money stays in escrow and nothing moves until an
    /// operator resolves it (neither side can cancel their way out).
    Disputed,
}

/// What can happen to a contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContractEvent {
    /// The member accepts the offer.
    Accept,
    /// The member declines, or the client withdraws, the offer.
    Decline,
    /// The last milestone was released.
    Complete,
    /// Either side ends it early.
    Cancel,
    /// Either side opens a dispute.
    Dispute,
    /// The dispute is settled and work goes on.
    Resolve,
}

/// Where a milestone stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Agreed, not yet paid into escrow.
    Pending,
    /// Its amount is in escrow.
    Funded,
    /// The member delivered; the client reviews.
    Submitted,
    /// The client asked for changes.
    ChangesRequested,
    /// The client accepted the delivery.
    Accepted,
    /// The escrow went to the member.
    Released,
    /// The escrow went back to the client.
    Refunded,
    /// Dropped before it was funded.
    Cancelled,
}

/// What can happen to a milestone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MilestoneEvent {
    /// The client pays its amount into escrow.
    Fund,
    /// The member delivers.
    Submit,
    /// The client accepts the delivery.
    Accept,
    /// The client asks for changes.
    RequestChanges,
    /// The escrow is released to the member (after acceptance, or automatically after the
    /// review period of an unanswered delivery).
    Release,
    /// The escrow goes back to the client (the contract ended early).
    Refund,
    /// Dropped before funding.
    Cancel,
    /// A dispute's resolution pays the member some or all of the escrow (the rest goes back to
    /// the client).
    Settle,
}

/// A move the state machine does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} cannot {event} while {state}")]
pub struct IllegalTransition {
    /// Contract or milestone.
    pub what: &'static str,
    /// The attempted event, in words.
    pub event: &'static str,
    /// The current state, in words.
    pub state: &'static str,
}

impl ContractStatus {
    /// Every state, for tests that walk the whole machine.
    pub const ALL: [ContractStatus; 6] = [
        ContractStatus::Offered,
        ContractStatus::Active,
        ContractStatus::Completed,
        ContractStatus::Cancelled,
        ContractStatus::Disputed,
        ContractStatus::Declined,
    ];

    /// Whether the member accepted the contract at some point. This, and nothing else, makes
    /// its other side the member's *client*: an offer that was withdrawn or declined gives the
    /// offerer no standing to see what a member shows their clients.
    pub fn was_accepted(self) -> bool {
        match self {
            ContractStatus::Active
            | ContractStatus::Completed
            | ContractStatus::Cancelled
            | ContractStatus::Disputed => true,
            ContractStatus::Offered | ContractStatus::Declined => false,
        }
    }

    /// The stored names of the states in which the member had accepted the contract.
    pub fn accepted_names() -> Vec<&'static str> {
        Self::ALL
            .into_iter()
            .filter(|s| s.was_accepted())
            .map(Self::as_str)
            .collect()
    }

    /// The state in words, as a page shows it.
    pub fn label(self) -> &'static str {
        match self {
            ContractStatus::Offered => "offered",
            ContractStatus::Active => "in progress",
            ContractStatus::Completed => "completed",
            ContractStatus::Cancelled => "cancelled",
            ContractStatus::Declined => "declined",
            ContractStatus::Disputed => "disputed",
        }
    }

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Offered => "offered",
            ContractStatus::Active => "active",
            ContractStatus::Completed => "completed",
            ContractStatus::Cancelled => "cancelled",
            ContractStatus::Disputed => "disputed",
            ContractStatus::Declined => "declined",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The state after `event`, if allowed.
    pub fn next(self, event: ContractEvent) -> Result<ContractStatus, IllegalTransition> {
        use ContractEvent as E;
        use ContractStatus as S;
        match (self, event) {
            (S::Offered, E::Accept) => Ok(S::Active),
            (S::Offered, E::Decline) => Ok(S::Declined),
            (S::Active, E::Complete) => Ok(S::Completed),
            (S::Active, E::Cancel) => Ok(S::Cancelled),
            (S::Active, E::Dispute) => Ok(S::Disputed),
            (S::Disputed, E::Resolve) => Ok(S::Active),
            _ => Err(IllegalTransition {
                what: "a contract",
                event: event.words(),
                state: self.words(),
            }),
        }
    }

    fn words(self) -> &'static str {
        match self {
            ContractStatus::Offered => "it is only offered",
            ContractStatus::Active => "it is active",
            ContractStatus::Completed => "it is completed",
            ContractStatus::Cancelled => "it is cancelled",
            ContractStatus::Disputed => "it is disputed",
            ContractStatus::Declined => "it was declined",
        }
    }
}

impl ContractEvent {
    /// Every event.
    pub const ALL: [ContractEvent; 6] = [
        ContractEvent::Accept,
        ContractEvent::Decline,
        ContractEvent::Complete,
        ContractEvent::Cancel,
        ContractEvent::Dispute,
        ContractEvent::Resolve,
    ];

    fn words(self) -> &'static str {
        match self {
            ContractEvent::Accept => "be accepted",
            ContractEvent::Decline => "be declined",
            ContractEvent::Complete => "be completed",
            ContractEvent::Cancel => "be cancelled",
            ContractEvent::Dispute => "be disputed",
            ContractEvent::Resolve => "be resolved",
        }
    }
}

impl MilestoneStatus {
    /// Every state.
    pub const ALL: [MilestoneStatus; 8] = [
        MilestoneStatus::Pending,
        MilestoneStatus::Funded,
        MilestoneStatus::Submitted,
        MilestoneStatus::ChangesRequested,
        MilestoneStatus::Accepted,
        MilestoneStatus::Released,
        MilestoneStatus::Refunded,
        MilestoneStatus::Cancelled,
    ];

    /// The state in words, as a page shows it.
    pub fn label(self) -> &'static str {
        match self {
            MilestoneStatus::Pending => "not funded yet",
            MilestoneStatus::Funded => "funded",
            MilestoneStatus::Submitted => "delivered",
            MilestoneStatus::ChangesRequested => "changes requested",
            MilestoneStatus::Accepted => "accepted",
            MilestoneStatus::Released => "paid",
            MilestoneStatus::Refunded => "refunded",
            MilestoneStatus::Cancelled => "cancelled",
        }
    }

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneStatus::Pending => "pending",
            MilestoneStatus::Funded => "funded",
            MilestoneStatus::Submitted => "submitted",
            MilestoneStatus::ChangesRequested => "changes_requested",
            MilestoneStatus::Accepted => "accepted",
            MilestoneStatus::Released => "released",
            MilestoneStatus::Refunded => "refunded",
            MilestoneStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether its money is in escrow now.
    pub fn holds_escrow(self) -> bool {
        matches!(
            self,
            MilestoneStatus::Funded
                | MilestoneStatus::Submitted
                | MilestoneStatus::ChangesRequested
                | MilestoneStatus::Accepted
        )
    }

    /// Whether nothing more can happen to it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            MilestoneStatus::Released | MilestoneStatus::Refunded | MilestoneStatus::Cancelled
        )
    }

    /// The state after `event`, if allowed. Milestones move only while their contract is active
    /// (refunds also when it is being cancelled); use cases check that first.
    pub fn next(self, event: MilestoneEvent) -> Result<MilestoneStatus, IllegalTransition> {
        use MilestoneEvent as E;
        use MilestoneStatus as S;
        match (self, event) {
            (S::Pending, E::Fund) => Ok(S::Funded),
            (S::Pending, E::Cancel) => Ok(S::Cancelled),
            (S::Funded | S::ChangesRequested, E::Submit) => Ok(S::Submitted),
            (S::Submitted, E::Accept) => Ok(S::Accepted),
            (S::Submitted, E::RequestChanges) => Ok(S::ChangesRequested),
            // Released after acceptance, or automatically when a delivery goes unanswered.
            (S::Accepted | S::Submitted, E::Release) => Ok(S::Released),
            (S::Funded | S::Submitted | S::ChangesRequested, E::Refund) => Ok(S::Refunded),
            (S::Funded | S::Submitted | S::ChangesRequested, E::Settle) => Ok(S::Released),
            _ => Err(IllegalTransition {
                what: "a milestone",
                event: event.words(),
                state: self.words(),
            }),
        }
    }

    fn words(self) -> &'static str {
        match self {
            MilestoneStatus::Pending => "it is not funded",
            MilestoneStatus::Funded => "it is funded and waiting for delivery",
            MilestoneStatus::Submitted => "its delivery waits for review",
            MilestoneStatus::ChangesRequested => "changes were requested",
            MilestoneStatus::Accepted => "it is accepted",
            MilestoneStatus::Released => "it is already released",
            MilestoneStatus::Refunded => "it was refunded",
            MilestoneStatus::Cancelled => "it is cancelled",
        }
    }
}

impl MilestoneEvent {
    /// Every event.
    pub const ALL: [MilestoneEvent; 8] = [
        MilestoneEvent::Fund,
        MilestoneEvent::Submit,
        MilestoneEvent::Accept,
        MilestoneEvent::RequestChanges,
        MilestoneEvent::Release,
        MilestoneEvent::Refund,
        MilestoneEvent::Cancel,
        MilestoneEvent::Settle,
    ];

    fn words(self) -> &'static str {
        match self {
            MilestoneEvent::Fund => "be funded",
            MilestoneEvent::Submit => "be submitted",
            MilestoneEvent::Accept => "be accepted",
            MilestoneEvent::RequestChanges => "get a change request",
            MilestoneEvent::Release => "be released",
            MilestoneEvent::Refund => "be refunded",
            MilestoneEvent::Cancel => "be cancelled",
            MilestoneEvent::Settle => "be settled",
        }
    }
}

impl fmt::Display for MilestoneStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MilestoneEvent as E;
    use MilestoneStatus as S;

    /// The allowed milestone moves, written out by hand: everything else must be refused.
    const MILESTONE_MOVES: [(S, E, S); 14] = [
        (S::Pending, E::Fund, S::Funded),
        (S::Pending, E::Cancel, S::Cancelled),
        (S::Funded, E::Submit, S::Submitted),
        (S::ChangesRequested, E::Submit, S::Submitted),
        (S::Submitted, E::Accept, S::Accepted),
        (S::Submitted, E::RequestChanges, S::ChangesRequested),
        (S::Accepted, E::Release, S::Released),
        (S::Submitted, E::Release, S::Released),
        (S::Funded, E::Refund, S::Refunded),
        (S::Submitted, E::Refund, S::Refunded),
        (S::ChangesRequested, E::Refund, S::Refunded),
        (S::Funded, E::Settle, S::Released),
        (S::Submitted, E::Settle, S::Released),
        (S::ChangesRequested, E::Settle, S::Released),
    ];

    #[test]
    fn every_milestone_move_is_allowed_or_refused_as_written() {
        let mut allowed = 0;
        for state in S::ALL {
            for event in E::ALL {
                let expected = MILESTONE_MOVES
                    .iter()
                    .find(|(s, e, _)| *s == state && *e == event)
                    .map(|(_, _, to)| *to);
                match (state.next(event), expected) {
                    (Ok(to), Some(want)) => {
                        assert_eq!(to, want);
                        allowed += 1;
                    }
                    (Err(e), None) => assert!(e.to_string().starts_with("a milestone cannot")),
                    (got, want) => panic!("{state:?} + {event:?}: {got:?}, expected {want:?}"),
                }
            }
        }
        assert_eq!(allowed, MILESTONE_MOVES.len());
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
            assert!(!(s.is_final() && s.holds_escrow()));
        }
    }

    #[test]
    fn every_contract_move_is_allowed_or_refused() {
        use ContractEvent as CE;
        use ContractStatus as CS;
        let moves = [
            (CS::Offered, CE::Accept, CS::Active),
            (CS::Offered, CE::Decline, CS::Declined),
            (CS::Active, CE::Complete, CS::Completed),
            (CS::Active, CE::Cancel, CS::Cancelled),
            (CS::Active, CE::Dispute, CS::Disputed),
            (CS::Disputed, CE::Resolve, CS::Active),
        ];
        for state in CS::ALL {
            for event in CE::ALL {
                let want = moves
                    .iter()
                    .find(|(s, e, _)| *s == state && *e == event)
                    .map(|(_, _, t)| *t);
                assert_eq!(state.next(event).ok(), want, "{state:?} + {event:?}");
            }
            assert_eq!(CS::parse(state.as_str()), Some(state));
        }
        assert_eq!(
            CS::Completed.next(CE::Cancel).unwrap_err().to_string(),
            "a contract cannot be cancelled while it is completed"
        );
    }
}
