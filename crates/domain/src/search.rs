//! What of a profile item is searchable, and how text becomes search words. Both databases
//! receive the same words, separated by single spaces, so their full-text engines agree.

use crate::profile::ItemData;
use unicode_normalization::UnicodeNormalization;

/// Lower-case words of `text`: NFKC, split at anything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    text.nfkc()
        .collect::<String>()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The searchable words of an item and the skill it claims. Contact details, links and rates
/// are not searchable.
pub fn document(data: &ItemData) -> Option<(String, Option<String>)> {
    let (text, skill) = match data {
        ItemData::DisplayName { name } => (name.clone(), None),
        ItemData::Headline { text } | ItemData::Summary { text } => (text.clone(), None),
        ItemData::Location { place, timezone } => (format!("{place} {timezone}"), None),
        ItemData::Work {
            title,
            organisation,
            description,
            ..
        } => (format!("{title} {organisation} {description}"), None),
        ItemData::Portfolio { title, .. } => (title.clone(), None),
        ItemData::Skill {
            label,
            note,
            skill_id,
            ..
        } => (format!("{label} {note}"), skill_id.clone()),
        ItemData::Rate { .. }
        | ItemData::Link { .. }
        | ItemData::Email { .. }
        | ItemData::Availability { .. }
        | ItemData::Reputation { .. }
        | ItemData::Credential { .. } => return None,
    };
    Some((words(&text).join(" "), skill))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_and_split() {
        assert_eq!(
            words("Node.js & ＲＵＳＴ, C++"),
            ["node", "js", "rust", "c"]
        );
        assert_eq!(words("Données — Ελληνικά"), ["données", "ελληνικά"]);
        assert!(words("!!! ...").is_empty());
    }
}
