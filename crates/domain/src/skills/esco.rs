//! Reading ESCO's "merged" skill texts, where the preferred label, the alternative labels and
//! the description are run together with no separator. Labels cannot be recovered exactly; this
//! splits them at words that, in the labelled part of ESCO, mostly begin a label ("manage",
//! "apply", ...). Measured against the skills whose labels are known, the first segment equals
//! the real preferred label for about 60% of skills (see the taxonomy import test); an official
//! ESCO import replaces these labels.

use std::collections::{HashMap, HashSet};

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

/// Splits a merged text into label guesses: the run of words before the description (which
/// starts at the first capitalised word), cut before each start word. The first guess stands
/// for the preferred label.
pub fn split_label_run(text: &str, starts: &HashSet<String>) -> Vec<String> {
    let mut run = Vec::new();
    for word in text.split_whitespace() {
        if !run.is_empty() && word.starts_with(|c: char| c.is_uppercase()) {
            break;
        }
        run.push(word);
    }
    let mut labels: Vec<Vec<&str>> = vec![Vec::new()];
    for (i, word) in run.iter().enumerate() {
        if i > 0 && starts.contains(*word) {
            labels.push(Vec::new());
        }
        labels.last_mut().expect("never empty").push(word);
    }
    let mut seen = HashSet::new();
    labels
        .into_iter()
        .map(|l| l.join(" "))
        .filter(|l| !l.is_empty() && seen.insert(l.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_start_words_and_stops_at_the_description() {
        let starts = start_words([
            "manage staff",
            "manage budgets",
            "coordinate teams",
            "coordinate work",
            "direct films",
            "direct plays",
        ]);
        let text = "manage musical staff manage staff of music coordinate duties of musical staff direct musical staff Assign and manage staff tasks.";
        assert_eq!(
            split_label_run(text, &starts),
            [
                "manage musical staff",
                "manage staff of music",
                "coordinate duties of musical staff",
                "direct musical staff"
            ]
        );
    }
}
