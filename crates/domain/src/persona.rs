//! Personas: named selections of a member's items, each with its own headline and summary,
//! shared by an unlisted link whose audience fixes what the link shows.

use crate::audience::Audience;
use crate::ids::{ItemId, PersonaId, UserId};
use crate::profile::ProfileItem;
use crate::visibility::{Viewer, visible_items};
use serde::Serialize;

/// A persona as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Persona {
    /// Its id.
    pub id: PersonaId,
    /// The member it belongs to.
    pub owner: UserId,
    /// What the member calls it, e.g. "Data engineer".
    pub name: String,
    /// The persona's own headline.
    pub headline: String,
    /// The persona's own summary.
    pub summary: String,
    /// The selected items, in display order.
    pub item_ids: Vec<ItemId>,
    /// The secret part of the persona's unlisted link.
    pub link_token: String,
    /// Whom the link stands for: opening it shows what this audience may see.
    pub link_audience: Audience,
}

impl Persona {
    /// The viewer the persona's link stands for.
    pub fn link_viewer(&self) -> Viewer {
        Viewer::for_audience(&self.link_audience)
    }

    /// The persona's items that its link's audience may see, in the persona's order.
    /// `items` is the owner's whole profile.
    pub fn visible_through_link<'a>(&self, items: &'a [ProfileItem]) -> Vec<&'a ProfileItem> {
        self.visible_to(items, &self.link_viewer())
    }

    /// The persona's items that `viewer` may see, in the persona's order.
    pub fn visible_to<'a>(
        &self,
        items: &'a [ProfileItem],
        viewer: &Viewer,
    ) -> Vec<&'a ProfileItem> {
        let visible = visible_items(items, viewer);
        self.item_ids
            .iter()
            .filter_map(|id| visible.iter().find(|it| it.id == *id).copied())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audience::AudienceSet;
    use crate::profile::ItemData;

    #[test]
    fn link_shows_only_selected_items_its_audience_allows() {
        let owner = UserId::new();
        let mk = |aud: Audience| ProfileItem {
            id: ItemId::new(),
            owner,
            position: 0,
            audiences: AudienceSet::of([aud]),
            data: ItemData::Headline { text: "h".into() },
        };
        let public = mk(Audience::Public);
        let conn = mk(Audience::Connections);
        let unselected = mk(Audience::Public);
        let items = vec![public.clone(), conn.clone(), unselected];
        let mut persona = Persona {
            id: PersonaId::new(),
            owner,
            name: "p".into(),
            headline: String::new(),
            summary: String::new(),
            item_ids: vec![conn.id, public.id],
            link_token: "t".into(),
            link_audience: Audience::Public,
        };
        let shown: Vec<_> = persona
            .visible_through_link(&items)
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(shown, vec![public.id]);
        persona.link_audience = Audience::Connections;
        let shown: Vec<_> = persona
            .visible_through_link(&items)
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(shown, vec![conn.id, public.id]);
    }
}
