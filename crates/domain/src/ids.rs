//! Typed identifiers. Every id is a UUIDv7 so ids sort by creation time, which lets cursors be
//! plain ids and keeps both databases' indexes append-friendly.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An account.
    UserId
);
id_type!(
    /// A profile item.
    ItemId
);
id_type!(
    /// A persona.
    PersonaId
);
id_type!(
    /// A connection between two accounts.
    ConnectionId
);
id_type!(
    /// An API token.
    TokenId
);
id_type!(
    /// A contract between a client and a member.
    ContractId
);
id_type!(
    /// A milestone of a contract.
    MilestoneId
);
id_type!(
    /// A dispute over a milestone's escrow.
    DisputeId
);
id_type!(
    /// A review one party of a contract wrote about the other.
    ReviewId
);
id_type!(
    /// A community (communities arrive with a later capability; audiences already name them).
    CommunityId
);
