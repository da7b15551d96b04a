//! The taxonomy that ships with Guildhall, put together from the bundled files so that each
//! concept is one skill with clean labels:
//!
//! 1. ESCO skills in the official layout (`esco_skills_en_subset`): their preferred labels are
//!    right, but the file's `altLabels` column has slipped against its rows, so alternative
//!    labels are re-paired with the skill whose merged text holds them
//!    (`esco::realign_alt_labels`) and dropped when none does.
//! 2. ESCO's ICT skills (`esco_ict_skills`, clean labels) for the ICT skills the subset lacks.
//! 3. Every other ESCO skill from the merged file, its labels guessed by `esco::LabelSplitter`.
//! 4. GitHub Linguist's languages and a short curated list of current skills ESCO lacks
//!    (`curated_skills.csv`); one whose name is an ESCO skill's preferred label ("Python" and
//!    "Python (computer programming)") is folded into that skill as its labels, not added twice.
//! 5. Skills close in meaning among the ICT skills (kind `similar`), from the bundled sentence embeddings of their labels
//!    and descriptions (`esco_ict_skill_vectors`).

use super::{SourceSkill, gunzip, read_esco_skills, read_languages};
use crate::AppError;
use guildhall_domain::skills::esco::{self, LabelSplitter};
use guildhall_domain::skills::normalize;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const MERGED: &[u8] = include_bytes!("../../taxonomy/esco_skills_all_merged.csv.gz");
const ICT: &[u8] = include_bytes!("../../taxonomy/esco_ict_skills.json.gz");
const ICT_VECTORS: &[u8] = include_bytes!("../../taxonomy/esco_ict_skill_vectors.json.gz");
const LANGUAGES: &[u8] = include_bytes!("../../taxonomy/linguist_languages.csv.gz");
const CURATED: &str = include_str!("../../taxonomy/curated_skills.csv");

/// How far down the subset a slipped list of alternative labels is looked for.
const REALIGN_WINDOW: usize = 80;
/// Related skills kept per ICT skill, and how alike (cosine) they must be.
const RELATED_PER_SKILL: usize = 5;
const RELATED_MIN_COSINE: f32 = 0.6;

/// The assembled taxonomy.
pub struct DefaultTaxonomy {
    /// One entry per concept.
    pub skills: Vec<SourceSkill>,
    /// (ESCO URI, ESCO URI, "similar"): close in meaning.
    pub related: Vec<(String, String, &'static str)>,
    /// How clean its labels are.
    pub quality: LabelQuality,
}

/// Label quality of the default taxonomy, before this assembly (the earlier splitter, the
/// subset's alternative labels as written, Linguist beside ESCO) and after.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LabelQuality {
    /// Skills in the merged file whose real preferred label is known (subset and ICT list).
    pub measured: usize,
    /// Of those, how many the earlier splitter's guess got exactly right.
    pub guessed_right_before: usize,
    /// Of those, how many the current splitter's guess gets exactly right.
    pub guessed_right_after: usize,
    /// Of those, how many real preferred labels pass `esco::is_plausible_label`: how often the
    /// test that shortens guesses would wrongly call a real label run-together.
    pub real_plausible: usize,
    /// Preferred labels shipped, and how many were clean: from a labelled source, or a guess
    /// that reads as one label (`esco::is_plausible_label`).
    pub shipped_before: usize,
    /// See `shipped_before`.
    pub clean_before: usize,
    /// See `shipped_before`.
    pub shipped_after: usize,
    /// See `shipped_before`.
    pub clean_after: usize,
    /// Subset rows with alternative labels, and how many lists found their skill again.
    pub alt_lists: usize,
    /// See `alt_lists`.
    pub alt_lists_realigned: usize,
    /// Linguist languages and curated skills folded into an ESCO skill.
    pub folded: usize,
}

#[derive(Deserialize)]
struct IctSkill {
    uri: String,
    label: String,
    #[serde(rename = "altLabels", default)]
    alt_labels: Vec<String>,
    #[serde(rename = "skillType", default)]
    skill_type: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
struct IctVector {
    uri: String,
    vector: Vec<f32>,
}

fn bad(what: &str, e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::caused(format!("reading the bundled {what}"), e)
}

/// The merged file: (URI, text) in file order.
fn merged_texts() -> Result<Vec<(String, String)>, AppError> {
    let data = gunzip(MERGED)?;
    let mut rdr = csv::Reader::from_reader(data.as_bytes());
    let mut out = Vec::new();
    for row in rdr.records() {
        let row = row.map_err(|e| bad("merged ESCO file", e))?;
        let uri = row.get(0).unwrap_or("").trim();
        if uri.starts_with("http") {
            out.push((uri.to_string(), row.get(1).unwrap_or("").to_string()));
        }
    }
    Ok(out)
}

/// Builds the default taxonomy.
pub fn build() -> Result<DefaultTaxonomy, AppError> {
    let mut quality = LabelQuality::default();
    let mut subset = read_esco_skills(
        gunzip(super::DEFAULT_SUBSET)?.as_bytes(),
        &mut Default::default(),
    )?;
    let ict: Vec<IctSkill> =
        serde_json::from_str(&gunzip(ICT)?).map_err(|e| bad("ICT skill list", e))?;
    let merged = merged_texts()?;
    let text_of: HashMap<&str, &str> = merged
        .iter()
        .map(|(u, t)| (u.as_str(), t.as_str()))
        .collect();

    // 1. The subset, its alternative labels re-paired (the ICT list's own, where it has them).
    let rows: Vec<(String, Vec<String>)> = subset
        .iter()
        .map(|s| (s.uri.clone().unwrap_or_default(), s.alts.clone()))
        .collect();
    quality.alt_lists = rows.iter().filter(|(_, a)| !a.is_empty()).count();
    let realigned = esco::realign_alt_labels(&rows, |k| text_of.get(k).copied(), REALIGN_WINDOW);
    quality.alt_lists_realigned = realigned.len();
    let ict_by_uri: HashMap<&str, &IctSkill> = ict.iter().map(|s| (s.uri.as_str(), s)).collect();
    let slipped: Vec<Vec<String>> = subset.iter().map(|s| s.alts.clone()).collect();
    for s in &mut subset {
        let uri = s.uri.as_deref().unwrap_or_default();
        s.alts = match (ict_by_uri.get(uri), realigned.get(uri)) {
            (Some(i), _) => i.alt_labels.clone(),
            (None, Some(alts)) => alts.to_vec(),
            (None, None) => Vec::new(),
        };
    }

    // The splitter learns from every real label and the ICT descriptions.
    let labels: Vec<&str> = subset
        .iter()
        .flat_map(|s| std::iter::once(&s.preferred).chain(&s.alts))
        .chain(
            ict.iter()
                .flat_map(|i| std::iter::once(&i.label).chain(&i.alt_labels)),
        )
        .map(String::as_str)
        .collect();
    let splitter = LabelSplitter::learn(
        labels.iter().copied(),
        ict.iter().map(|i| i.description.as_str()),
    );
    let v1_starts = esco::start_words(
        subset
            .iter()
            .map(|s| s.preferred.as_str())
            .chain(slipped.iter().flatten().map(String::as_str)),
    );

    // 2. ICT skills the subset lacks.
    let in_subset: HashSet<String> = subset.iter().filter_map(|s| s.uri.clone()).collect();
    let mut skills = subset;
    for i in ict.iter().filter(|i| !in_subset.contains(&i.uri)) {
        skills.push(SourceSkill {
            key: format!("esco:{}", i.uri),
            uri: Some(i.uri.clone()),
            preferred: i.label.trim().to_string(),
            alts: i.alt_labels.clone(),
            aliases: Vec::new(),
            kind: if i.skill_type.starts_with("knowledge") {
                "knowledge"
            } else {
                "skill"
            }
            .into(),
            source: "esco".into(),
        });
    }

    // 3. The rest of ESCO, guessed; and the guesses measured where the labels are known.
    let known: HashMap<&str, &str> = skills
        .iter()
        .filter_map(|s| Some((s.uri.as_deref()?, s.preferred.as_str())))
        .collect();
    let mut derived = Vec::new();
    // Before, every skill outside the subset (ICT ones included) was a guess.
    let (mut guessed_before, mut v1_plausible) = (0, 0);
    for (uri, text) in &merged {
        let guess = splitter.split(text);
        let v1 = esco::first_label_v1(text, &v1_starts);
        if !in_subset.contains(uri) {
            guessed_before += 1;
            v1_plausible += usize::from(v1.as_deref().is_some_and(esco::is_plausible_label));
        }
        if let Some(real) = known.get(uri.as_str()) {
            quality.measured += 1;
            quality.real_plausible += usize::from(esco::is_plausible_label(real));
            quality.guessed_right_before += usize::from(v1.as_deref() == Some(*real));
            quality.guessed_right_after +=
                usize::from(guess.first().map(String::as_str) == Some(*real));
            continue;
        }
        let mut labels = guess.into_iter();
        if let Some(preferred) = labels.next() {
            derived.push(SourceSkill {
                key: format!("esco:{uri}"),
                uri: Some(uri.clone()),
                preferred,
                alts: labels.collect(),
                aliases: Vec::new(),
                kind: "skill".into(),
                source: "esco-derived".into(),
            });
        }
    }
    let derived_plausible = derived
        .iter()
        .filter(|s| esco::is_plausible_label(&s.preferred))
        .count();
    let languages = read_languages(&gunzip(LANGUAGES)?)?;
    quality.shipped_before = in_subset.len() + guessed_before + languages.len();
    quality.clean_before = in_subset.len() + languages.len() + v1_plausible;
    skills.extend(derived);

    // 4. Linguist and the curated list, folded into ESCO where they name the same thing.
    let (rest, folded) = fold_into(&mut skills, languages);
    quality.folded += folded;
    skills.extend(rest);
    let (rest, folded) = fold_into(&mut skills, read_curated()?);
    quality.folded += folded;
    skills.extend(rest);
    quality.shipped_after = skills.len();
    quality.clean_after = skills.len()
        - (skills.iter().filter(|s| s.source == "esco-derived").count() - derived_plausible);

    Ok(DefaultTaxonomy {
        skills,
        related: related_ict_skills()?,
        quality,
    })
}

/// The curated list: `key,label,aliases,kind`, aliases separated by `|`.
fn read_curated() -> Result<Vec<SourceSkill>, AppError> {
    let mut rdr = csv::Reader::from_reader(CURATED.as_bytes());
    let mut out = Vec::new();
    for row in rdr.records() {
        let row = row.map_err(|e| bad("curated skill list", e))?;
        let field = |i: usize| row.get(i).unwrap_or("").trim();
        out.push(SourceSkill {
            key: format!("guildhall:{}", field(0)),
            uri: None,
            preferred: field(1).to_string(),
            alts: field(2)
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            aliases: Vec::new(),
            kind: field(3).to_string(),
            source: "curated".into(),
        });
    }
    Ok(out)
}

/// A preferred label without a qualifier in brackets: "Python (computer programming)" → "Python".
fn unqualified(label: &str) -> &str {
    match label.split_once(" (") {
        Some((head, tail)) if tail.ends_with(')') => head,
        _ => label,
    }
}

/// Folds each of `extra` whose name is the preferred label (qualifier aside) of exactly one of
/// `into`: its name and aliases become that skill's labels, and a qualified ESCO label gives
/// way to the plain name people type, kept as an alternative. Returns the rest and the count.
fn fold_into(into: &mut [SourceSkill], extra: Vec<SourceSkill>) -> (Vec<SourceSkill>, usize) {
    let mut by_name: HashMap<String, Option<usize>> = HashMap::new();
    // Guessed labels are not trusted to name a language or a tool.
    for (i, s) in into
        .iter()
        .enumerate()
        .filter(|(_, s)| s.source != "esco-derived")
    {
        by_name
            .entry(normalize(unqualified(&s.preferred)))
            .and_modify(|slot| *slot = None)
            .or_insert(Some(i));
    }
    let (mut rest, mut folded) = (Vec::new(), 0);
    for e in extra {
        let Some(Some(at)) = by_name.get(&normalize(&e.preferred)).copied() else {
            rest.push(e);
            continue;
        };
        let target = &mut into[at];
        if target.preferred != e.preferred && unqualified(&target.preferred) != target.preferred {
            let qualified = std::mem::replace(&mut target.preferred, e.preferred.clone());
            target.alts.insert(0, qualified);
        }
        target.aliases.push(e.preferred);
        target.aliases.extend(e.alts);
        folded += 1;
    }
    (rest, folded)
}

/// Pairs of ICT skills alike enough to relate: (skill, skill, relation).
type Related = Vec<(String, String, &'static str)>;

/// For each ICT skill, the few others most alike by the cosine of their embeddings. Comparing
/// every skill with every other is the dearest part of reading the default taxonomy, and its
/// answer depends only on the bundled vectors: it is worked out once per process, however
/// often the taxonomy is read (a test suite reads it many times).
fn related_ict_skills() -> Result<Related, AppError> {
    static RELATED: OnceLock<Related> = OnceLock::new();
    if let Some(related) = RELATED.get() {
        return Ok(related.clone());
    }
    let related = most_alike_ict_skills()?;
    Ok(RELATED.get_or_init(|| related).clone())
}

/// [`related_ict_skills`], worked out.
fn most_alike_ict_skills() -> Result<Related, AppError> {
    let mut vectors: Vec<IctVector> =
        serde_json::from_str(&gunzip(ICT_VECTORS)?).map_err(|e| bad("ICT skill vectors", e))?;
    for v in &mut vectors {
        let norm = v.vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.vector.iter_mut().for_each(|x| *x /= norm);
        }
    }
    let mut pairs = HashSet::new();
    for (i, a) in vectors.iter().enumerate() {
        let mut alike: Vec<(f32, usize)> = vectors
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, b)| (a.vector.iter().zip(&b.vector).map(|(x, y)| x * y).sum(), j))
            .filter(|(cos, _)| *cos >= RELATED_MIN_COSINE)
            .collect();
        alike.sort_by(|x, y| y.0.total_cmp(&x.0));
        for (_, j) in alike.into_iter().take(RELATED_PER_SKILL) {
            // One row per pair: the relation reads both ways.
            pairs.insert((i.min(j), i.max(j)));
        }
    }
    let mut out: Vec<_> = pairs
        .into_iter()
        .map(|(i, j)| (vectors[i].uri.clone(), vectors[j].uri.clone(), "similar"))
        .collect();
    out.sort();
    Ok(out)
}
