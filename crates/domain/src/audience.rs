//! Audiences: who a profile item is for. An item carries a set of them; an empty set means
//! the owner alone (the same as `private`).

use crate::ids::CommunityId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// One audience an item may be shown to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Audience {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in to this instance.
    Members,
    /// The owner's accepted connections.
    Connections,
    /// Members of one community.
    Community(CommunityId),
    /// People who hold or held a contract with the owner.
    Clients,
    /// The owner alone.
    Private,
}

impl Audience {
    /// The audiences a member picks from on a form, in the order shown.
    pub const CHOOSABLE: [Audience; 5] = [
        Audience::Public,
        Audience::Members,
        Audience::Connections,
        Audience::Clients,
        Audience::Private,
    ];

    /// Words for people, as shown on pages.
    pub fn label(&self) -> String {
        match self {
            Audience::Public => "Everyone".into(),
            Audience::Members => "Signed-in members".into(),
            Audience::Connections => "Connections".into(),
            // Pages name the community where they know it.
            Audience::Community(_) => "Members of a community".into(),
            Audience::Clients => "Clients".into(),
            Audience::Private => "Only me".into(),
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Public => f.write_str("public"),
            Audience::Members => f.write_str("members"),
            Audience::Connections => f.write_str("connections"),
            Audience::Community(id) => write!(f, "community:{id}"),
            Audience::Clients => f.write_str("clients"),
            Audience::Private => f.write_str("private"),
        }
    }
}

impl FromStr for Audience {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "public" => Ok(Audience::Public),
            "members" => Ok(Audience::Members),
            "connections" => Ok(Audience::Connections),
            "clients" => Ok(Audience::Clients),
            "private" => Ok(Audience::Private),
            other => match other.strip_prefix("community:") {
                Some(id) => id.parse().map(Audience::Community).map_err(|_| {
                    format!("'{other}' names no community: expected community:<uuid>")
                }),
                None => Err(format!(
                    "'{}' is not an audience: use public, members, connections, clients, private or community:<id>",
                    other.chars().take(40).collect::<String>()
                )),
            },
        }
    }
}

impl TryFrom<String> for Audience {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Audience> for String {
    fn from(a: Audience) -> String {
        a.to_string()
    }
}

/// The set of audiences one item is shown to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AudienceSet(pub BTreeSet<Audience>);

impl AudienceSet {
    /// A set of the given audiences.
    pub fn of(audiences: impl IntoIterator<Item = Audience>) -> Self {
        Self(audiences.into_iter().collect())
    }

    /// Whether the set names `audience`.
    pub fn contains(&self, audience: &Audience) -> bool {
        self.0.contains(audience)
    }

    /// The audiences in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = &Audience> {
        self.0.iter()
    }

    /// Stored form: space-separated names, sorted.
    pub fn to_storage(&self) -> String {
        self.0
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads the stored form; unknown names are dropped rather than widening visibility.
    pub fn from_storage(stored: &str) -> Self {
        Self(
            stored
                .split_whitespace()
                .filter_map(|s| s.parse().ok())
                .collect(),
        )
    }

    /// Parses a list of names from input, reporting the first bad one's index.
    pub fn parse_list(names: &[String]) -> Result<Self, (usize, String)> {
        let mut set = BTreeSet::new();
        for (i, name) in names.iter().enumerate() {
            set.insert(name.parse::<Audience>().map_err(|e| (i, e))?);
        }
        Ok(Self(set))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let id = CommunityId::new();
        let set = AudienceSet::of([Audience::Public, Audience::Community(id), Audience::Private]);
        assert_eq!(AudienceSet::from_storage(&set.to_storage()), set);
        assert!("Public".parse::<Audience>().is_err());
        assert!("community:nope".parse::<Audience>().is_err());
    }
}
