//! What one viewer sees of one profile: built only from the items [`visible_items`] lets
//! through, so a page or response rendered from a `ProfileView` cannot show a hidden item.

use crate::persona::Persona;
use crate::profile::{ItemData, ProfileItem};
use crate::visibility::{Viewer, visible_items};
use serde::Serialize;

/// A persona's own header, shown above its items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonaHeader {
    /// Persona name.
    pub name: String,
    /// Persona headline.
    pub headline: String,
    /// Persona summary.
    pub summary: String,
}

/// A profile as one viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileView {
    /// Whose profile.
    pub handle: String,
    /// Set when seen through a persona.
    pub persona: Option<PersonaHeader>,
    /// The visible items, in order.
    pub items: Vec<ProfileItem>,
}

impl ProfileView {
    /// The profile of `handle` as `viewer` sees it.
    pub fn build(handle: &str, items: &[ProfileItem], viewer: &Viewer) -> Self {
        Self {
            handle: handle.to_string(),
            persona: None,
            items: visible_items(items, viewer).into_iter().cloned().collect(),
        }
    }

    /// The profile as `persona`'s link shows it.
    pub fn through_persona(handle: &str, persona: &Persona, items: &[ProfileItem]) -> Self {
        Self::persona_as_seen_by(handle, persona, items, &persona.link_viewer())
    }

    /// The profile through `persona`, as `viewer` may see it (a community a persona is shown to).
    pub fn persona_as_seen_by(
        handle: &str,
        persona: &Persona,
        items: &[ProfileItem],
        viewer: &Viewer,
    ) -> Self {
        Self {
            handle: handle.to_string(),
            persona: Some(PersonaHeader {
                name: persona.name.clone(),
                headline: persona.headline.clone(),
                summary: persona.summary.clone(),
            }),
            items: persona
                .visible_to(items, viewer)
                .into_iter()
                .cloned()
                .collect(),
        }
    }

    /// The first visible display name, or the handle.
    pub fn display_name(&self) -> &str {
        self.items
            .iter()
            .find_map(|i| match &i.data {
                ItemData::DisplayName { name } => Some(name.as_str()),
                _ => None,
            })
            .unwrap_or(&self.handle)
    }

    /// The persona's headline, else the first visible headline.
    pub fn headline(&self) -> Option<&str> {
        if let Some(p) = self.persona.as_ref().filter(|p| !p.headline.is_empty()) {
            return Some(&p.headline);
        }
        self.items.iter().find_map(|i| match &i.data {
            ItemData::Headline { text } => Some(text.as_str()),
            _ => None,
        })
    }

    /// The persona's summary, else the first visible summary.
    pub fn summary(&self) -> Option<&str> {
        if let Some(p) = self.persona.as_ref().filter(|p| !p.summary.is_empty()) {
            return Some(&p.summary);
        }
        self.items.iter().find_map(|i| match &i.data {
            ItemData::Summary { text } => Some(text.as_str()),
            _ => None,
        })
    }

    /// Visible items of one kind (`work`, `link`, ...), in order.
    pub fn of_kind(&self, kind: &str) -> Vec<&ProfileItem> {
        self.items
            .iter()
            .filter(|i| i.data.kind() == kind)
            .collect()
    }

    /// Whether nothing at all is visible.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.persona.is_none()
    }
}
