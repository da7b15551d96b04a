//! Skill autocomplete over labels, aliases and tags. In memory and read-only once built: a
//! sorted array of normalised labels and of their word suffixes, searched by binary search, with
//! a bounded edit-distance scan as the typo fallback.
//!
//! Ranking: a label that starts with the query, preferred labels before alternative labels and
//! aliases, before tags; then a word inside a label that starts with the query; then labels
//! within one typo of the query. Within a tier, higher usage first, then shorter labels.

use std::collections::HashSet;

/// What kind of label matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LabelKind {
    /// A taxonomy skill's preferred label.
    Preferred,
    /// An alternative label or a merged tag's alias.
    Alias,
    /// A member's own tag, not (yet) in the taxonomy.
    Tag,
}

/// One label to index.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The skill (or tag) id.
    pub skill_id: String,
    /// The label as written.
    pub label: String,
    /// What kind of label it is.
    pub kind: LabelKind,
    /// How many members claim the skill.
    pub usage: u32,
    /// What to show when this label matches, if not the label itself: a hidden label (words
    /// that find a skill but do not read as its name) shows the skill's preferred label.
    pub shown: Option<String>,
}

/// One suggestion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The skill (or tag) id.
    pub skill_id: String,
    /// The label that matched, as written.
    pub label: String,
    /// Match tier: 0 label prefix, 1 word prefix, 2 typo.
    pub tier: u8,
    /// What kind of label matched.
    pub kind: LabelKind,
}

/// The index.
pub struct AutocompleteIndex {
    entries: Vec<Entry>,
    /// Per entry: its order within a tier (kind, then usage, then length), smaller first.
    rank: Vec<u64>,
    /// Per entry: a key shared by the entries of one skill.
    skill: Vec<u32>,
    /// Per entry: what it shows, normalised, so a list holds each label once.
    shown_norm: Vec<String>,
    /// (normalised label, entry) sorted by label.
    labels: Vec<(String, u32)>,
    /// The characters of `labels`, for the typo scan without allocating per query.
    label_chars: Vec<Box<[char]>>,
    /// (normalised label from its second word on, entry) sorted.
    suffixes: Vec<(String, u32)>,
}

impl AutocompleteIndex {
    /// Builds the index.
    pub fn new(entries: Vec<Entry>) -> Self {
        let mut labels = Vec::with_capacity(entries.len());
        let mut suffixes = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let norm = super::normalize(&e.label);
            for (pos, _) in norm.match_indices(' ') {
                suffixes.push((norm[pos + 1..].to_string(), i as u32));
            }
            labels.push((norm, i as u32));
        }
        labels.sort();
        suffixes.sort();
        let rank = entries
            .iter()
            .map(|e| {
                ((e.kind as u64) << 48)
                    | (u64::from(u32::MAX - e.usage) << 16)
                    | (e.label.len().min(0xFFFF) as u64)
            })
            .collect();
        let mut ids = std::collections::HashMap::new();
        let skill = entries
            .iter()
            .map(|e| {
                let next = ids.len() as u32;
                *ids.entry(e.skill_id.clone()).or_insert(next)
            })
            .collect();
        let label_chars = labels.iter().map(|(l, _)| l.chars().collect()).collect();
        let shown_norm = entries
            .iter()
            .map(|e| super::normalize(e.shown.as_ref().unwrap_or(&e.label)))
            .collect();
        Self {
            entries,
            rank,
            skill,
            shown_norm,
            labels,
            label_chars,
            suffixes,
        }
    }

    /// How many labels are indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Up to `k` suggestions for what the user typed so far, one per skill.
    pub fn suggest(&self, typed: &str, k: usize) -> Vec<Suggestion> {
        // A half-typed word whose plural-looking end is dropped is still a prefix of the label.
        let query = super::normalize(typed);
        if query.is_empty() || k == 0 {
            return Vec::new();
        }
        let mut seen = Seen::default();
        let mut out = Vec::new();
        for (tier, list) in [(0u8, &self.labels), (1, &self.suffixes)] {
            let mut hits: Vec<u32> = prefix_range(list, &query).map(|(_, i)| *i).collect();
            self.rank(&mut hits, k);
            self.take(&mut out, &mut seen, hits, tier, k);
            if out.len() >= k {
                return out;
            }
        }
        let q: Vec<char> = query.chars().collect();
        if q.len() >= 4 {
            // Typos are looked for after the first character, which people rarely get wrong:
            // that bounds the scan to the labels sharing it, a contiguous run of the sorted list.
            let first = &query[..q[0].len_utf8()];
            let start = self.labels.partition_point(|(l, _)| l.as_str() < first);
            let end = start + self.labels[start..].partition_point(|(l, _)| l.starts_with(first));
            let mut hits: Vec<u32> = (start..end)
                .filter(|i| within_one_edit_of_prefix(&q, &self.label_chars[*i]))
                .map(|i| self.labels[i].1)
                .collect();
            self.rank(&mut hits, k);
            self.take(&mut out, &mut seen, hits, 2, k);
        }
        out
    }

    /// Puts the best hits first: a partial selection when there are many, since a short prefix
    /// can match tens of thousands of labels and only `k` skills are wanted.
    fn rank(&self, hits: &mut Vec<u32>, k: usize) {
        let want = (k * 8).max(16);
        if hits.len() > want {
            hits.select_nth_unstable_by_key(want, |i| self.rank[*i as usize]);
            hits.truncate(want);
        }
        hits.sort_unstable_by_key(|i| self.rank[*i as usize]);
    }

    fn take(&self, out: &mut Vec<Suggestion>, seen: &mut Seen, hits: Vec<u32>, tier: u8, k: usize) {
        for i in hits {
            if out.len() >= k {
                return;
            }
            let e = &self.entries[i as usize];
            let label = e.shown.as_ref().unwrap_or(&e.label);
            // One suggestion per skill, its best-ranked label; and each label once, since
            // picking a label names the skill it resolves to first.
            if !seen.skills.contains(&self.skill[i as usize])
                && seen.labels.insert(self.shown_norm[i as usize].clone())
            {
                seen.skills.insert(self.skill[i as usize]);
                out.push(Suggestion {
                    skill_id: e.skill_id.clone(),
                    label: label.clone(),
                    tier,
                    kind: e.kind,
                });
            }
        }
    }

    /// Every indexed label containing `needle` (normalised) anywhere: a naive scan, the
    /// baseline the benchmark compares with.
    pub fn scan(&self, typed: &str, k: usize) -> Vec<String> {
        let needle = super::normalize(typed);
        self.labels
            .iter()
            .filter(|(l, _)| l.contains(&needle))
            .take(k)
            .map(|(l, _)| l.clone())
            .collect()
    }

    /// A sample of labels as written, for generating benchmark queries.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.label.as_str())
    }
}

/// What a list of suggestions already holds.
#[derive(Default)]
struct Seen {
    skills: HashSet<u32>,
    labels: HashSet<String>,
}

fn prefix_range<'a>(
    list: &'a [(String, u32)],
    prefix: &str,
) -> impl Iterator<Item = &'a (String, u32)> {
    let start = list.partition_point(|(l, _)| l.as_str() < prefix);
    list[start..]
        .iter()
        .take_while(move |(l, _)| l.starts_with(prefix))
}

/// Whether some prefix of `label` is at most one edit (insert, delete, substitute, or swap of
/// neighbours) away from `query`.
fn within_one_edit_of_prefix(q: &[char], label: &[char]) -> bool {
    let l = &label[..label.len().min(q.len() + 1)];
    // First difference.
    let Some(d) = q.iter().zip(l).position(|(a, b)| a != b) else {
        return l.len() + 1 >= q.len();
    };
    let rest = |qs: &[char], ls: &[char]| ls.len() >= qs.len() && ls[..qs.len()] == *qs;
    rest(&q[d + 1..], &l[d + 1..]) // substitution
        || rest(&q[d + 1..], &l[d..]) // extra char in query
        || rest(&q[d..], &l[d + 1..]) // missing char in query
        || (d + 1 < q.len() && d + 1 < l.len() && q[d] == l[d + 1] && q[d + 1] == l[d] && rest(&q[d + 2..], &l[d + 2..])) // swap
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, label: &str, kind: LabelKind, usage: u32) -> Entry {
        Entry {
            skill_id: id.into(),
            label: label.into(),
            kind,
            usage,
            shown: None,
        }
    }

    fn index() -> AutocompleteIndex {
        AutocompleteIndex::new(vec![
            entry("rust", "Rust", LabelKind::Preferred, 10),
            entry("rust", "Rust programming language", LabelKind::Alias, 10),
            entry("ruby", "Ruby", LabelKind::Preferred, 30),
            entry("rtag", "rustacean mentoring", LabelKind::Tag, 99),
            entry("trust", "build trust", LabelKind::Preferred, 5),
            entry("py", "Python", LabelKind::Preferred, 50),
            entry(
                "sql",
                "manage relational databases",
                LabelKind::Preferred,
                1,
            ),
        ])
    }

    #[test]
    fn ranks_prefix_then_alias_then_tags_then_words_then_typos() {
        let got: Vec<(String, u8)> = index()
            .suggest("rus", 10)
            .into_iter()
            .map(|s| (s.label, s.tier))
            .collect();
        assert_eq!(
            got,
            [
                ("Rust".to_string(), 0),
                ("rustacean mentoring".to_string(), 0)
            ]
        );
        let got: Vec<String> = index()
            .suggest("tru", 10)
            .into_iter()
            .map(|s| s.label)
            .collect();
        assert_eq!(got, ["build trust"], "word inside a label");
        let got: Vec<String> = index()
            .suggest("pyhton", 10)
            .into_iter()
            .map(|s| s.label)
            .collect();
        assert_eq!(got, ["Python"], "a swapped pair is one typo");
        let got: Vec<String> = index()
            .suggest("Databases", 10)
            .into_iter()
            .map(|s| s.label)
            .collect();
        assert_eq!(got, ["manage relational databases"]);
        assert!(index().suggest("zzzz", 10).is_empty());
        assert!(index().suggest("", 10).is_empty());
    }

    #[test]
    fn each_label_shows_once_and_hidden_labels_show_the_name() {
        let mut entries = vec![
            entry("esco-sql", "SQL", LabelKind::Preferred, 3),
            entry("linguist-sql", "SQL", LabelKind::Preferred, 1),
            entry("esco-sql", "Structured Query Language", LabelKind::Alias, 3),
        ];
        entries.push(Entry {
            shown: Some("rust proofing spray gun parts".into()),
            ..entry(
                "spray",
                "rust proofing spray gun parts rust proofing",
                LabelKind::Alias,
                0,
            )
        });
        let index = AutocompleteIndex::new(entries);
        let got: Vec<(String, String)> = index
            .suggest("s", 10)
            .into_iter()
            .filter(|s| s.tier == 0)
            .map(|s| (s.skill_id, s.label))
            .collect();
        assert_eq!(got, [("esco-sql".to_string(), "SQL".to_string())]);
        let got: Vec<String> = index
            .suggest("rust proofing spray gun parts rust", 10)
            .into_iter()
            .map(|s| s.label)
            .collect();
        assert_eq!(got, ["rust proofing spray gun parts"]);
    }

    #[test]
    fn usage_orders_within_a_tier() {
        let got: Vec<String> = index()
            .suggest("r", 10)
            .into_iter()
            .map(|s| s.label)
            .collect();
        assert_eq!(
            got,
            [
                "Ruby",
                "Rust",
                "rustacean mentoring",
                "manage relational databases"
            ]
        );
    }

    #[test]
    fn edit_distance_of_prefixes() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        assert!(within_one_edit_of_prefix(&c("pyton"), &c("python")));
        assert!(within_one_edit_of_prefix(
            &c("pythn"),
            &c("python programming")
        ));
        assert!(within_one_edit_of_prefix(&c("pxthon"), &c("python")));
        assert!(within_one_edit_of_prefix(&c("pytohn"), &c("python")));
        assert!(!within_one_edit_of_prefix(&c("pxtxon"), &c("python")));
    }
}
