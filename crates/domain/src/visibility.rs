//! The one function that decides what a viewer sees of a profile. Every read of profile data —
//! API, pages, previews, persona links — goes through [`visible_items`].

use crate::audience::{Audience, AudienceSet};
use crate::ids::CommunityId;
use crate::profile::ProfileItem;
use std::collections::BTreeSet;

/// Who is looking, as far as one profile's owner is concerned. Computed once per request from
/// the viewer's relations to the owner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    /// The viewer is the owner: sees everything, `private` included.
    pub owner: bool,
    /// Signed in to this instance.
    pub member: bool,
    /// An accepted connection of the owner.
    pub connection: bool,
    /// Holds or held a contract with the owner.
    pub client: bool,
    /// Communities the viewer shares with the owner.
    pub communities: BTreeSet<CommunityId>,
}

impl Viewer {
    /// Someone not signed in.
    pub fn public() -> Self {
        Self::default()
    }

    /// A signed-in member with no relation to the owner.
    pub fn member() -> Self {
        Self {
            member: true,
            ..Self::default()
        }
    }

    /// An accepted connection.
    pub fn connection() -> Self {
        Self {
            member: true,
            connection: true,
            ..Self::default()
        }
    }

    /// The owner.
    pub fn owner() -> Self {
        Self {
            owner: true,
            member: true,
            ..Self::default()
        }
    }

    /// The viewer a persona link stands for: exactly the link's audience, whoever opens it.
    pub fn for_audience(audience: &Audience) -> Self {
        match audience {
            Audience::Public => Self::public(),
            Audience::Members => Self::member(),
            Audience::Connections => Self::connection(),
            Audience::Clients => Self {
                member: true,
                client: true,
                ..Self::default()
            },
            Audience::Community(id) => Self {
                member: true,
                communities: BTreeSet::from([*id]),
                ..Self::default()
            },
            Audience::Private => Self::owner(),
        }
    }

    /// Whether this viewer belongs to `audience`.
    pub fn admits(&self, audience: &Audience) -> bool {
        match audience {
            Audience::Public => true,
            Audience::Members => self.member,
            Audience::Connections => self.connection,
            Audience::Clients => self.client,
            Audience::Community(id) => self.communities.contains(id),
            Audience::Private => self.owner,
        }
    }

    /// Whether this viewer may see something shown to `audiences`.
    pub fn can_see(&self, audiences: &AudienceSet) -> bool {
        self.owner || audiences.iter().any(|a| self.admits(a))
    }
}

/// The items of `items` that `viewer` may see, in their order.
pub fn visible_items<'a>(items: &'a [ProfileItem], viewer: &Viewer) -> Vec<&'a ProfileItem> {
    items
        .iter()
        .filter(|item| viewer.can_see(&item.audiences))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ItemId, UserId};
    use crate::profile::ItemData;
    use proptest::prelude::*;

    fn item(audiences: AudienceSet) -> ProfileItem {
        ProfileItem {
            id: ItemId::new(),
            owner: UserId::new(),
            position: 0,
            audiences,
            data: ItemData::Headline { text: "x".into() },
        }
    }

    fn community_pool() -> Vec<CommunityId> {
        (0..3).map(|_| CommunityId::new()).collect()
    }

    fn audience_strategy(pool: Vec<CommunityId>) -> impl Strategy<Value = Audience> {
        prop_oneof![
            Just(Audience::Public),
            Just(Audience::Members),
            Just(Audience::Connections),
            Just(Audience::Clients),
            Just(Audience::Private),
            (0..pool.len()).prop_map(move |i| Audience::Community(pool[i])),
        ]
    }

    #[test]
    fn empty_set_is_owner_only() {
        let it = item(AudienceSet::default());
        assert!(Viewer::owner().can_see(&it.audiences));
        assert!(!Viewer::connection().can_see(&it.audiences));
    }

    #[test]
    fn private_is_owner_only() {
        let it = item(AudienceSet::of([Audience::Private]));
        let everyone_but_owner = Viewer {
            owner: false,
            member: true,
            connection: true,
            client: true,
            communities: community_pool().into_iter().collect(),
        };
        assert!(!everyone_but_owner.can_see(&it.audiences));
    }

    proptest! {
        /// A non-owner sees an item only when one of its audiences names a relation they have.
        #[test]
        fn never_outside_audiences(
            sets in proptest::collection::vec(
                proptest::collection::btree_set(audience_strategy(community_pool()), 0..4), 0..12),
            member in any::<bool>(), connection in any::<bool>(), client in any::<bool>(),
        ) {
            let items: Vec<ProfileItem> = sets.into_iter().map(|s| item(AudienceSet(s))).collect();
            let viewer = Viewer { owner: false, member, connection, client, communities: BTreeSet::new() };
            let shown = visible_items(&items, &viewer);
            for it in &shown {
                let allowed = it.audiences.iter().any(|a| match a {
                    Audience::Public => true,
                    Audience::Members => member,
                    Audience::Connections => connection,
                    Audience::Clients => client,
                    Audience::Community(_) | Audience::Private => false,
                });
                prop_assert!(allowed, "{:?} shown to {:?}", it.audiences, viewer);
            }
            // And nothing the viewer may see is withheld.
            let expected = items.iter().filter(|it| it.audiences.iter().any(|a| viewer.admits(a))).count();
            prop_assert_eq!(shown.len(), expected);
        }
    }
}
