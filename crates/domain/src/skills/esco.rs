//! Reading ESCO's "merged" skill texts, where the preferred label, the alternative labels and
//! the description are run together with no separator. Labels cannot be recovered exactly, so
//! the splitter learns from the labelled part of ESCO:
//!
//! - where the description begins: at a capitalised word that opens descriptions ("The",
//!   "Gather") rather than one that appears inside labels ("ICT", "Russian", "SQL");
//! - where a new label begins: before a word that mostly begins labels ("manage", "apply"), or
//!   where the text repeats the first label's head ("operate pumps | operating pumps",
//!   "maintain shipboard machinery | shipboard machinery");
//! - and when the first guess still looks like several labels run together (a content word
//!   twice, or longer than nearly every real label), the shortest plausible label is kept as
//!   the preferred one and the rest become aliases.
//!
//! The taxonomy test measures the guess against the skills whose labels are known and prints
//! the share before (`first_label_v1`, the splitter this replaced) and after.

use std::collections::{HashMap, HashSet};

/// Longer than 97% of ESCO's real preferred labels (measured on the labelled skills).
const MAX_LABEL_WORDS: usize = 6;

/// Words after which a label does not end.
const FUNCTION_WORDS: &[&str] = &[
    "of", "in", "to", "and", "the", "for", "a", "an", "with", "on", "or", "by", "at", "from",
    "into", "as",
];

fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word.to_lowercase().as_str())
}

/// Words that begin at least 2 known labels and stand first in at least half their uses.
pub fn start_words<'a>(labels: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    let mut first: HashMap<&str, u32> = HashMap::new();
    let mut total: HashMap<&str, u32> = HashMap::new();
    for label in labels {
        for (i, word) in label.split_whitespace().enumerate() {
            *total.entry(word).or_default() += 1;
            if i == 0 {
                *first.entry(word).or_default() += 1;
            }
        }
    }
    first
        .into_iter()
        .filter(|(w, n)| *n >= 2 && f64::from(*n) / f64::from(total[w]) >= 0.5)
        .map(|(w, _)| w.to_string())
        .collect()
}

/// The splitter, learned from labels and descriptions whose boundaries are known.
#[derive(Default)]
pub struct LabelSplitter {
    starts: HashSet<String>,
    /// Capitalised words and how often each appears inside known labels.
    label_capitals: HashMap<String, u32>,
    /// First words of known descriptions and how often each opens one.
    openers: HashMap<String, u32>,
}

impl LabelSplitter {
    /// Learns from known labels (preferred and alternative) and known descriptions.
    pub fn learn<'a>(
        labels: impl IntoIterator<Item = &'a str> + Clone,
        descriptions: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut label_capitals: HashMap<String, u32> = HashMap::new();
        for label in labels.clone() {
            for word in label.split_whitespace().filter(|w| is_capitalised(w)) {
                *label_capitals.entry(word.to_string()).or_default() += 1;
            }
        }
        let mut openers: HashMap<String, u32> = HashMap::new();
        for text in descriptions {
            if let Some(word) = text.split_whitespace().next() {
                *openers.entry(word.to_string()).or_default() += 1;
            }
        }
        Self {
            starts: start_words(labels),
            label_capitals,
            openers,
        }
    }

    /// Whether a capitalised word begins the description rather than continuing a label.
    fn opens_description(&self, word: &str) -> bool {
        if !is_capitalised(word) {
            return false;
        }
        let inside = self.label_capitals.get(word).copied().unwrap_or(0);
        let opening = self.openers.get(word).copied().unwrap_or(0);
        if opening > inside {
            return true;
        }
        // Acronyms (ICT, SQL, CAD) and words known from labels continue the label.
        inside == 0 && !is_acronym(word)
    }

    /// The words before the description.
    fn label_run<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut run = Vec::new();
        for word in text.split_whitespace() {
            if !run.is_empty() && self.opens_description(word) {
                break;
            }
            run.push(word);
        }
        run
    }

    /// Splits a merged text into label guesses, the preferred label first.
    pub fn split(&self, text: &str) -> Vec<String> {
        let run = self.label_run(text);
        let mut cuts = vec![0];
        for i in 1..run.len() {
            let word = run[i];
            // A label neither ends nor begins on "of" or "and".
            if is_function_word(run[i - 1]) || is_function_word(word) {
                continue;
            }
            let segment = &run[cuts[cuts.len() - 1]..i];
            let repeats_head = segment.len() >= 2
                && (same_stem(word, run[0])
                    || word == run[1]
                    || (i + 1 < run.len() && run[i + 1] == run[1] && !is_function_word(run[1])));
            // A lone verb is not a label, and a label does not end on a start word's cut.
            let starts_label = self.starts.contains(word)
                && i + 1 < run.len()
                && !(segment.len() == 1 && self.starts.contains(segment[0]));
            if repeats_head || starts_label {
                cuts.push(i);
            }
        }
        cuts.push(run.len());
        let mut labels: Vec<String> = cuts.windows(2).map(|w| run[w[0]..w[1]].join(" ")).collect();
        if let Some(first) = labels.first_mut() {
            let whole = std::mem::take(first);
            *first = shortest_plausible(&whole);
            if *first != whole {
                labels.push(whole);
            }
        }
        let mut seen = HashSet::new();
        labels
            .into_iter()
            .filter(|l| !l.is_empty() && seen.insert(l.clone()))
            .collect()
    }
}

fn is_capitalised(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase())
}

fn is_acronym(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && word.chars().all(|c| !c.is_lowercase())
}

/// Same word, or the same first five letters ("operate", "operating").
fn same_stem(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a == b || (a.len() >= 5 && b.len() >= 5 && a.as_bytes()[..5] == b.as_bytes()[..5])
}

/// Where a content word repeats an earlier one.
fn repeated_word_at(words: &[&str]) -> Option<usize> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if is_function_word(word) {
            continue;
        }
        if seen.iter().any(|s| same_stem(s, word)) {
            return Some(i);
        }
        seen.push(word);
    }
    None
}

/// Whether a label looks like one label: a few words, no content word twice, not ending on
/// "of" or "and". Nearly every real ESCO preferred label passes (see the taxonomy test).
pub fn is_plausible_label(label: &str) -> bool {
    let words: Vec<&str> = label.split_whitespace().collect();
    match words.last() {
        None => false,
        Some(last) => {
            words.len() <= MAX_LABEL_WORDS
                && repeated_word_at(&words).is_none()
                && !is_function_word(last)
        }
    }
}

/// The label itself when plausible; else its words up to the first repetition, at most
/// `MAX_LABEL_WORDS` of them, without a trailing function word.
pub fn shortest_plausible(label: &str) -> String {
    if is_plausible_label(label) {
        return label.to_string();
    }
    let mut words: Vec<&str> = label.split_whitespace().collect();
    if let Some(at) = repeated_word_at(&words) {
        words.truncate(at);
    }
    words.truncate(MAX_LABEL_WORDS);
    while words.len() > 1 && words.last().is_some_and(|w| is_function_word(w)) {
        words.pop();
    }
    words.join(" ")
}

/// The splitter this one replaced, kept as the baseline the taxonomy test measures against:
/// the run of words before the first capitalised word, cut before each start word.
pub fn first_label_v1(text: &str, starts: &HashSet<String>) -> Option<String> {
    let mut first = Vec::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 && (is_capitalised(word) || starts.contains(word)) {
            break;
        }
        first.push(word);
    }
    (!first.is_empty()).then(|| first.join(" "))
}

/// Re-pairs alternative labels with their skills in a file where the `altLabels` column has
/// slipped against the rows (the bundled subset: the labels of row *i* belong to a row a little
/// further down, the gap growing through the file). `rows` holds (skill key, its alternative
/// labels as found) in file order; `text_of` gives a skill's merged text, which contains its
/// real labels. A list is given to the first row at or after the current gap whose text holds
/// every label in it as a phrase; lists that fit no row are dropped.
pub fn realign_alt_labels<'a>(
    rows: &'a [(String, Vec<String>)],
    text_of: impl Fn(&str) -> Option<&'a str>,
    window: usize,
) -> HashMap<&'a str, &'a [String]> {
    let mut out = HashMap::new();
    let mut gap = 0;
    for (i, (_, alts)) in rows.iter().enumerate() {
        if alts.is_empty() {
            continue;
        }
        let phrases: Vec<String> = alts.iter().map(|a| format!(" {a} ")).collect();
        for shift in gap..gap + window {
            let Some((key, _)) = rows.get(i + shift) else {
                break;
            };
            let Some(text) = text_of(key) else {
                continue;
            };
            let padded = format!(" {text} ");
            if phrases.iter().all(|p| padded.contains(p.as_str())) {
                out.insert(key.as_str(), alts.as_slice());
                gap = shift;
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitter() -> LabelSplitter {
        LabelSplitter::learn(
            [
                "manage staff",
                "manage budgets",
                "coordinate teams",
                "coordinate work",
                "direct films",
                "direct plays",
                "manage ICT projects",
                "understand spoken Russian",
            ],
            ["Assign and manage staff tasks.", "The study of things."],
        )
    }

    #[test]
    fn splits_at_start_words_and_stops_at_the_description() {
        let text = "manage musical staff manage staff of music coordinate duties of musical staff direct musical staff Assign and manage staff tasks.";
        assert_eq!(
            splitter().split(text),
            [
                "manage musical staff",
                "manage staff of music",
                "coordinate duties of musical staff",
                "direct musical staff"
            ]
        );
    }

    #[test]
    fn capitals_inside_labels_do_not_end_them() {
        assert_eq!(
            splitter().split("manage ICT projects Assign and manage staff tasks.")[0],
            "manage ICT projects"
        );
        assert_eq!(
            splitter().split("understand spoken Russian understand Russian speech The study.")[0],
            "understand spoken Russian"
        );
    }

    #[test]
    fn repeated_heads_start_labels_and_run_togethers_are_shortened() {
        assert_eq!(
            splitter().split("operate pumps operating of pumps Assign pumps."),
            ["operate pumps", "operating of pumps"]
        );
        assert_eq!(
            splitter().split(
                "rust proofing spray gun parts rust proofing spray gun components The parts."
            ),
            [
                "rust proofing spray gun parts",
                "rust proofing spray gun components"
            ]
        );
        assert_eq!(
            shortest_plausible("hair removal techniques hair removal technique"),
            "hair removal techniques"
        );
        assert_eq!(
            shortest_plausible("alpha beta gamma delta epsilon zeta eta theta of"),
            "alpha beta gamma delta epsilon zeta"
        );
    }

    #[test]
    fn slipped_alternative_labels_find_their_rows() {
        let rows = vec![
            ("a".to_string(), vec!["grow roses".to_string()]),
            ("b".to_string(), vec!["bake bread".to_string()]),
            ("c".to_string(), vec!["nothing matches".to_string()]),
            ("d".to_string(), vec![]),
        ];
        let texts: HashMap<&str, &str> = [
            ("a", "tend gardens The garden."),
            ("b", "cultivate roses grow roses Roses."),
            ("c", "make bread bake bread Bread."),
            ("d", "other"),
        ]
        .into();
        let found = realign_alt_labels(&rows, |k| texts.get(k).copied(), 5);
        assert_eq!(found.get("b").map(|l| l[0].as_str()), Some("grow roses"));
        assert_eq!(found.get("c").map(|l| l[0].as_str()), Some("bake bread"));
        assert!(!found.contains_key("a") && !found.contains_key("d"));
    }
}
