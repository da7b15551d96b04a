//! The domain's values as the store keeps them: each reads back from its stored text or fails
//! with an error naming the value, never a silent default (an unknown currency is not euros,
//! an unknown status not "cancelled"). The store's rows hold these types, converting through
//! these impls at the boundary.

use crate::community::{
    Admission, ApplicationStatus, MentoringFormat, MentorshipStatus, Role, RsvpStatus, Visibility,
};
use crate::connection::ConnectionStatus;
use crate::contract::{ContractStatus, MilestoneStatus};
use crate::ids::{ContractId, DisputeId, MilestoneId, ReviewId, UserId};
use crate::job::{JobStatus, Pricing, ProposalStatus};
use crate::ledger::{DepositStatus, PayoutStatus};
use crate::money::Currency;
use crate::notify::{Delivery, Topic};
use crate::skills::SuggestionStatus;
use std::fmt;

/// A stored value this version cannot read: a corrupt row, or one written by a newer version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// What the value is, in words ("contract status").
    pub what: &'static str,
    /// The stored text.
    pub value: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a stored {} reads {:?}", self.what, self.value)
    }
}

impl std::error::Error for Unreadable {}

/// Implements the conversions to and from stored text for each type, given how to read its
/// text (`None` when unreadable) and how to write it.
macro_rules! stored_as_text {
    ($($ty:ty => $what:literal, $read:expr, $write:expr;)*) => {
        $(
            impl TryFrom<String> for $ty {
                type Error = Unreadable;

                fn try_from(value: String) -> Result<Self, Unreadable> {
                    let read: fn(&str) -> Option<$ty> = $read;
                    read(&value).ok_or(Unreadable { what: $what, value })
                }
            }

            impl From<$ty> for String {
                fn from(value: $ty) -> String {
                    let write: fn($ty) -> &'static str = $write;
                    write(value).to_string()
                }
            }
        )*
    };
}

stored_as_text! {
    ContractStatus => "contract status", ContractStatus::parse, ContractStatus::as_str;
    MilestoneStatus => "milestone status", MilestoneStatus::parse, MilestoneStatus::as_str;
    JobStatus => "job status", JobStatus::parse, JobStatus::as_str;
    Pricing => "job pricing", Pricing::parse, Pricing::as_str;
    ProposalStatus => "proposal status", ProposalStatus::parse, ProposalStatus::as_str;
    Role => "community role", Role::parse, Role::as_str;
    Visibility => "community visibility", Visibility::parse, Visibility::as_str;
    Admission => "community admission", Admission::parse, Admission::as_str;
    ApplicationStatus => "application status", ApplicationStatus::parse, ApplicationStatus::as_str;
    MentorshipStatus => "mentorship status", MentorshipStatus::parse, MentorshipStatus::as_str;
    MentoringFormat => "mentoring format", MentoringFormat::parse, MentoringFormat::as_str;
    RsvpStatus => "event answer", RsvpStatus::parse, RsvpStatus::as_str;
    ConnectionStatus => "connection status", ConnectionStatus::parse, ConnectionStatus::as_str;
    DepositStatus => "deposit status", DepositStatus::parse, DepositStatus::as_str;
    PayoutStatus => "payout status", PayoutStatus::parse, PayoutStatus::as_str;
    SuggestionStatus => "skill suggestion status", SuggestionStatus::parse, SuggestionStatus::as_str;
    Topic => "notification topic", Topic::parse, Topic::as_str;
    Delivery => "notification delivery", Delivery::parse, Delivery::as_str;
    // A stored code is exact: what `Currency::parse` forgives in typed input is corruption here.
    Currency => "currency", |s| Currency::parse(s).ok().filter(|c| c.code() == s), Currency::code;
}

/// Implements the conversions to and from stored text for ids: a stored id that is not a UUID
/// is corruption, not a new id.
macro_rules! stored_id {
    ($($ty:ty => $what:literal;)*) => {
        $(
            impl TryFrom<String> for $ty {
                type Error = Unreadable;

                fn try_from(value: String) -> Result<Self, Unreadable> {
                    value.parse().map_err(|_| Unreadable { what: $what, value })
                }
            }

            impl From<$ty> for String {
                fn from(value: $ty) -> String {
                    value.to_string()
                }
            }
        )*
    };
}

stored_id! {
    ContractId => "contract id";
    MilestoneId => "milestone id";
    DisputeId => "dispute id";
    ReviewId => "review id";
    UserId => "account id";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_unknown_text_is_named() {
        let s: String = MilestoneStatus::Funded.into();
        assert_eq!(MilestoneStatus::try_from(s), Ok(MilestoneStatus::Funded));
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(Currency::try_from(String::from(eur)), Ok(eur));
        let e = Currency::try_from("XXQ".to_string()).unwrap_err();
        assert_eq!(e.to_string(), "a stored currency reads \"XXQ\"");
        assert!(ContractStatus::try_from("on hold".to_string()).is_err());
        assert!(Role::try_from("overlord".to_string()).is_err());
        id_reads_back(
            ContractId::new(),
            "k-1",
            "a stored contract id reads \"k-1\"",
        );
        id_reads_back(MilestoneId::new(), "", "a stored milestone id reads \"\"");
        id_reads_back(DisputeId::new(), "d1", "a stored dispute id reads \"d1\"");
        id_reads_back(ReviewId::new(), "", "a stored review id reads \"\"");
        id_reads_back(
            UserId::new(),
            "system",
            "a stored account id reads \"system\"",
        );
    }

    /// `id` round-trips through its stored text, and `bad` fails with the error `named`.
    fn id_reads_back<T>(id: T, bad: &str, named: &str)
    where
        T: Copy + PartialEq + std::fmt::Debug + TryFrom<String, Error = Unreadable> + Into<String>,
    {
        assert_eq!(T::try_from(id.into()), Ok(id));
        assert_eq!(T::try_from(bad.to_string()).unwrap_err().to_string(), named);
    }

    #[test]
    fn every_named_value_reads_back_from_its_name_and_an_unknown_name_is_not_a_default() {
        use crate::community::RsvpStatus as R;
        use crate::community::{
            ApplicationStatus as A, MentoringFormat as F, MentorshipStatus as M,
        };
        use crate::connection::ConnectionStatus as C;
        use crate::ledger::DepositStatus as D;
        use crate::skills::SuggestionStatus as S;
        fn round_trips<T>(all: &[T])
        where
            T: Copy + PartialEq + std::fmt::Debug + TryFrom<String> + Into<String>,
            <T as TryFrom<String>>::Error: std::fmt::Debug,
        {
            for &v in all {
                let name: String = v.into();
                assert_eq!(T::try_from(name).unwrap(), v);
            }
        }
        round_trips(&[
            A::Pending,
            A::Waitlisted,
            A::Approved,
            A::Declined,
            A::Withdrawn,
        ]);
        round_trips(&[M::Requested, M::Active, M::Declined, M::Ended]);
        round_trips(&[R::Going, R::Waitlisted]);
        round_trips(&[F::Sessions, F::RealWork]);
        round_trips(&[C::Pending, C::Accepted]);
        round_trips(&[D::Pending, D::Confirmed, D::Cancelled]);
        round_trips(&[
            crate::ledger::PayoutStatus::Pending,
            crate::ledger::PayoutStatus::Paid,
            crate::ledger::PayoutStatus::Failed,
        ]);
        round_trips(&[S::Pending, S::Accepted, S::Declined]);
        // An application once read anything unknown as withdrawn, an answer to an event as
        // waitlisted, a mentorship's format as sessions: now each is an error naming it.
        let e = A::try_from("gone".to_string()).unwrap_err();
        assert_eq!(e.to_string(), "a stored application status reads \"gone\"");
        assert!(R::try_from("maybe".to_string()).is_err());
        assert!(F::try_from("classic".to_string()).is_err());
        assert_eq!(D::Confirmed.to_string(), "confirmed");
    }
}
