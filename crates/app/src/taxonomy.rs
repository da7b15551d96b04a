//! The skill taxonomy: the default one that ships with Guildhall (ESCO skills and GitHub
//! Linguist's languages) and imports of official ESCO releases. Imports are idempotent: skills
//! are found again by their source key, so re-importing updates labels and keeps ids, and with
//! them every claim that points at a skill.

use crate::AppError;
use crate::events::record;
use guildhall_domain::FieldErrors;
use guildhall_domain::events::{Event, TaxonomyImported};
use guildhall_domain::skills::{esco, normalize};
use guildhall_store::DbConnection;
use guildhall_store::repo::skills::{self as repo, LabelRow, SkillRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

mod default;

const DEFAULT_SUBSET: &[u8] = include_bytes!("../taxonomy/esco_skills_en_subset.csv.gz");

/// Skills written per transaction: large enough to be quick, small enough to report progress.
const BATCH: usize = 500;

/// One skill read from a source file.
#[derive(Clone, Debug)]
pub struct SourceSkill {
    /// `esco:<uri>` or `linguist:<name>`.
    pub key: String,
    /// Canonical URI, if any.
    pub uri: Option<String>,
    /// Preferred label.
    pub preferred: String,
    /// Alternative labels.
    pub alts: Vec<String>,
    /// Names folded in from another source (a Linguist language, a curated skill): written as
    /// aliases, so an import of an official ESCO release keeps them.
    pub aliases: Vec<String>,
    /// skill, knowledge or language.
    pub kind: String,
    /// esco, esco-derived or linguist.
    pub source: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    /// Skills created.
    pub added: usize,
    /// Skills found again and updated.
    pub updated: usize,
    /// Relations created.
    pub relations_added: usize,
    /// Rows skipped, with the reason for the first few.
    pub skipped: Vec<String>,
}

/// Progress callback: (done, total).
pub type Progress<'a> = &'a dyn Fn(u64, u64);

fn gunzip(bytes: &[u8]) -> Result<String, AppError> {
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut out)
        .map_err(|e| AppError::caused("reading the bundled taxonomy", e))?;
    Ok(out)
}

/// ESCO's ICT occupations with the labels of the skills each asks for (bundled: 91 of them,
/// about 22 skills each), for generating jobs and queries.
const ICT_OCCUPATIONS: &[u8] = include_bytes!("../taxonomy/esco_ict_occupations.json.gz");

/// One ESCO ICT occupation.
#[derive(Clone, Debug, Deserialize)]
pub struct Occupation {
    /// Its ESCO URI (`http://data.europa.eu/esco/occupation/<uuid>`).
    #[serde(default)]
    pub uri: String,
    /// Its preferred label.
    pub label: String,
    /// What people in it do, in ESCO's words.
    #[serde(default)]
    pub description: String,
    /// The labels of the skills it asks for.
    pub skills: Vec<String>,
}

/// The bundled ESCO ICT occupations.
pub fn ict_occupations() -> Result<Vec<Occupation>, AppError> {
    serde_json::from_str(&gunzip(ICT_OCCUPATIONS)?)
        .map_err(|e| AppError::caused("reading the bundled occupations", e))
}

/// US hourly wage percentiles per occupation (BLS OEWS, May 2025, national), bundled.
const WAGES: &[u8] = include_bytes!("../taxonomy/us_oews_2025_national.csv.gz");

/// One occupation's hourly wages in US dollars.
#[derive(Clone, Debug)]
pub struct Wages {
    /// The SOC code, six digits without the dash (`151252`).
    pub soc: String,
    /// The occupation's title.
    pub occupation: String,
    /// 0 for all occupations, 1 for a major group, 2 and 3 for finer ones.
    pub level: u8,
    /// People employed in it.
    pub employment: u64,
    /// The 10th, 25th, 50th, 75th and 90th percentiles of the hourly wage.
    pub percentiles: [f64; 5],
}

/// The bundled wage percentiles; rows without a figure (suppressed by the BLS) are left out.
pub fn wage_percentiles() -> Result<Vec<Wages>, AppError> {
    let text = gunzip(WAGES)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns = Columns::new(
        reader
            .headers()
            .map_err(|e| AppError::caused("reading the bundled wages", e))?,
    );
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| AppError::caused("reading the bundled wages", e))?;
        let field = |name: &str| {
            columns
                .get(name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
        };
        let number = |name: &str| field(name).trim().parse::<f64>().ok();
        let percentiles = [
            "hourly_p10",
            "hourly_p25",
            "hourly_median",
            "hourly_p75",
            "hourly_p90",
        ]
        .map(number);
        if percentiles.iter().any(Option::is_none) {
            continue;
        }
        out.push(Wages {
            soc: field("soc_code").to_string(),
            occupation: field("occupation").to_string(),
            level: field("display_level").trim().parse().unwrap_or(0),
            employment: field("employment").trim().parse().unwrap_or(0),
            percentiles: percentiles.map(|p| p.unwrap_or_default()),
        });
    }
    Ok(out)
}

/// Column positions found by header name.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn new(headers: &csv::StringRecord) -> Self {
        Columns(
            headers
                .iter()
                .enumerate()
                .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_string(), i))
                .collect(),
        )
    }

    fn require(&self, names: &[&str], file: &str) -> Result<Vec<usize>, AppError> {
        let mut errors = FieldErrors::new();
        let found: Vec<usize> = names
            .iter()
            .filter_map(|n| {
                let i = self.0.get(*n).copied();
                if i.is_none() {
                    errors.add(format!("/{file}"), format!("has no column named {n}"));
                }
                i
            })
            .collect();
        errors.into_result(found).map_err(AppError::Validation)
    }

    fn get(&self, name: &str) -> Option<usize> {
        self.0.get(name).copied()
    }
}

fn reader(data: impl Read) -> csv::Reader<impl Read> {
    csv::ReaderBuilder::new().flexible(true).from_reader(data)
}

fn bad_csv(file: &str, e: csv::Error) -> AppError {
    AppError::field(
        &format!("/{file}"),
        format!("is not a readable CSV file: {e}"),
    )
}

/// Reads skills in the official ESCO layout (`conceptUri`, `preferredLabel`, `altLabels`, and
/// optionally `hiddenLabels` and `skillType`; other columns are ignored).
pub fn read_esco_skills(
    data: impl Read,
    report: &mut ImportReport,
) -> Result<Vec<SourceSkill>, AppError> {
    let mut rdr = reader(data);
    let cols = Columns::new(rdr.headers().map_err(|e| bad_csv("skills", e))?);
    let req = cols.require(&["conceptUri", "preferredLabel", "altLabels"], "skills")?;
    let (uri_at, pref_at, alt_at) = (req[0], req[1], req[2]);
    let (hidden_at, type_at) = (cols.get("hiddenLabels"), cols.get("skillType"));
    let mut out = Vec::new();
    for (line, row) in rdr.records().enumerate() {
        let row = row.map_err(|e| bad_csv("skills", e))?;
        let field = |i: usize| row.get(i).unwrap_or("").trim();
        let (uri, preferred) = (field(uri_at), field(pref_at));
        if !uri.starts_with("http") || preferred.is_empty() {
            if report.skipped.len() < 10 {
                report.skipped.push(format!(
                    "skills line {}: needs a conceptUri and a preferredLabel",
                    line + 2
                ));
            }
            continue;
        }
        let mut alts: Vec<String> = field(alt_at)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if let Some(h) = hidden_at {
            alts.extend(
                field(h)
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            );
        }
        let kind = match type_at.map(field) {
            Some(t) if t.starts_with("knowledge") => "knowledge",
            _ => "skill",
        };
        out.push(SourceSkill {
            key: format!("esco:{uri}"),
            uri: Some(uri.to_string()),
            preferred: preferred.to_string(),
            alts,
            aliases: Vec::new(),
            kind: kind.into(),
            source: "esco".into(),
        });
    }
    Ok(out)
}

/// Reads Linguist's languages (`name`, `type`, `aliases` separated by `|`).
fn read_languages(data: &str) -> Result<Vec<SourceSkill>, AppError> {
    let mut rdr = reader(data.as_bytes());
    let cols = Columns::new(rdr.headers().map_err(|e| bad_csv("languages", e))?);
    let req = cols.require(&["name", "aliases"], "languages")?;
    let mut out = Vec::new();
    for row in rdr.records() {
        let row = row.map_err(|e| bad_csv("languages", e))?;
        let name = row.get(req[0]).unwrap_or("").trim();
        if name.is_empty() {
            continue;
        }
        let alts = row
            .get(req[1])
            .unwrap_or("")
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        out.push(SourceSkill {
            key: format!("linguist:{name}"),
            uri: None,
            preferred: name.to_string(),
            alts,
            aliases: Vec::new(),
            kind: "language".into(),
            source: "linguist".into(),
        });
    }
    Ok(out)
}

/// The default taxonomy's skills (see `default` for how they are put together).
pub fn default_skills() -> Result<Vec<SourceSkill>, AppError> {
    Ok(default::build()?.skills)
}

/// Labels of a skill, normalised, preferred first, one per normalised form.
fn label_rows(skill_id: &str, s: &SourceSkill) -> Vec<LabelRow> {
    let mut seen = BTreeMap::new();
    for (label, kind) in std::iter::once((&s.preferred, "preferred"))
        .chain(s.alts.iter().map(|a| (a, "alt")))
        .chain(s.aliases.iter().map(|a| (a, "alias")))
    {
        let norm = normalize(label);
        let kind =
            if kind == "alt" && s.source == "esco-derived" && !esco::is_plausible_label(label) {
                crate::skills::HIDDEN
            } else {
                kind
            };
        if !norm.is_empty() && !seen.contains_key(&norm) {
            seen.insert(
                norm.clone(),
                LabelRow {
                    skill_id: skill_id.to_string(),
                    norm,
                    label: label.clone(),
                    kind: kind.into(),
                },
            );
        }
    }
    seen.into_values().collect()
}

impl crate::facades::Skills<'_> {
    /// Writes skills, creating new ones and updating those found by source key.
    pub fn import_skills(
        &self,
        skills: &[SourceSkill],
        progress: Progress<'_>,
        report: &mut ImportReport,
    ) -> Result<(), AppError> {
        // A key listed twice would be inserted twice: the last row wins.
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (i, s) in skills.iter().enumerate() {
            last.insert(&s.key, i);
        }
        let skills: Vec<SourceSkill> = skills
            .iter()
            .enumerate()
            .filter(|(i, s)| last[s.key.as_str()] == *i)
            .map(|(_, s)| s.clone())
            .collect();
        let skills = &skills[..];
        let known = self.read(|c| Ok(repo::ids_by_source_key(c)?))?;
        let total = skills.len() as u64;
        for (n, batch) in skills.chunks(BATCH).enumerate() {
            let now = self.now();
            let (added, updated) = self.write(|c| write_batch(c, batch, &known, now))?;
            report.added += added;
            report.updated += updated;
            progress(((n * BATCH) + batch.len()) as u64, total);
        }
        Ok(())
    }

    /// Imports an official ESCO release: the skills file and, when given, the broader-relations
    /// and skill-skill-relations files.
    pub fn import_esco(
        &self,
        skills: impl Read,
        broader: Option<impl Read>,
        related: Option<impl Read>,
        progress: Progress<'_>,
    ) -> Result<ImportReport, AppError> {
        let mut report = ImportReport::default();
        let rows = read_esco_skills(skills, &mut report)?;
        let mut relations = Vec::new();
        if let Some(b) = broader {
            relations.extend(read_relations(
                b,
                "broader",
                &["conceptUri", "broaderUri"],
                "broader",
            )?);
        }
        if let Some(r) = related {
            relations.extend(read_relations(
                r,
                "related",
                &["originalSkillUri", "relatedSkillUri"],
                "related",
            )?);
        }
        self.import_skills(&rows, progress, &mut report)?;
        report.relations_added = self.import_relations(&relations)?;
        self.record_import(&report, "esco")?;
        Ok(report)
    }

    /// Loads the default taxonomy if no taxonomy skill exists yet; returns what it did.
    pub fn ensure_default_taxonomy(
        &self,
        progress: Progress<'_>,
    ) -> Result<Option<ImportReport>, AppError> {
        let (skills, _, _) = self.read(|c| Ok(repo::counts(c)?))?;
        if skills > 0 {
            return Ok(None);
        }
        let mut report = ImportReport::default();
        let taxonomy = default::build()?;
        self.import_skills(&taxonomy.skills, progress, &mut report)?;
        report.relations_added = self.import_relations(&taxonomy.related)?;
        self.record_import(&report, "default")?;
        Ok(Some(report))
    }

    fn import_relations(
        &self,
        relations: &[(String, String, &'static str)],
    ) -> Result<usize, AppError> {
        let ids = self.read(|c| Ok(repo::ids_by_source_key(c)?))?;
        let mut added = 0;
        for batch in relations.chunks(BATCH) {
            added += self.write(|c| {
                let mut n = 0;
                for (from, to, kind) in batch {
                    if let (Some(f), Some(t)) = (
                        ids.get(&format!("esco:{from}")),
                        ids.get(&format!("esco:{to}")),
                    ) && repo::relate(c, f, t, kind)?
                    {
                        n += 1;
                    }
                }
                Ok(n)
            })?;
        }
        Ok(added)
    }

    fn record_import(&self, report: &ImportReport, what: &str) -> Result<(), AppError> {
        let now = self.now();
        // Thousands of skills arrived: claims resolved right after must not be planned as
        // if the taxonomy were empty.
        self.read(|c| Ok(guildhall_store::refresh_statistics(c)?))?;
        self.write(|c| {
            record(
                c,
                now,
                Event::TaxonomyImported(TaxonomyImported {
                    source: what.to_string(),
                    added: report.added as u64,
                    updated: report.updated as u64,
                    relations_added: report.relations_added as u64,
                    skipped: report.skipped.len() as u64,
                }),
            )
        })
    }
}

fn read_relations(
    data: impl Read,
    kind: &'static str,
    names: &[&str],
    file: &str,
) -> Result<Vec<(String, String, &'static str)>, AppError> {
    let mut rdr = reader(data);
    let cols = Columns::new(rdr.headers().map_err(|e| bad_csv(file, e))?);
    let req = cols.require(names, file)?;
    let mut out = Vec::new();
    for row in rdr.records() {
        let row = row.map_err(|e| bad_csv(file, e))?;
        let (a, b) = (
            row.get(req[0]).unwrap_or("").trim(),
            row.get(req[1]).unwrap_or("").trim(),
        );
        if a.starts_with("http") && b.starts_with("http") {
            out.push((a.to_string(), b.to_string(), kind));
        }
    }
    Ok(out)
}

fn write_batch(
    c: &mut DbConnection,
    batch: &[SourceSkill],
    known: &HashMap<String, String>,
    now: i64,
) -> Result<(usize, usize), AppError> {
    let mut updated = 0;
    let (mut new_skills, mut new_labels) = (Vec::new(), Vec::new());
    for s in batch {
        let existing = known.get(&s.key);
        let row = SkillRow {
            id: existing
                .cloned()
                .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
            source_key: Some(s.key.clone()),
            uri: s.uri.clone(),
            preferred_label: s.preferred.clone(),
            norm: normalize(&s.preferred),
            kind: s.kind.clone(),
            source: s.source.clone(),
            merged_into: None,
            created_at: now,
            updated_at: now,
            created_by: None,
            shared: true,
        };
        if existing.is_some() {
            repo::update_imported(c, &row)?;
            repo::replace_labels(c, &row.id, &label_rows(&row.id, s))?;
            updated += 1;
        } else {
            new_labels.extend(label_rows(&row.id, s));
            new_skills.push(row);
        }
    }
    repo::insert_new(c, &new_skills, &new_labels)?;
    Ok((new_skills.len(), updated))
}

/// The bundled ESCO skills file, in the official layout.
pub fn bundled_esco_skills() -> Result<String, AppError> {
    gunzip(DEFAULT_SUBSET)
}

/// How clean the default taxonomy's labels are, measured (see `LabelQuality`).
pub fn label_quality() -> Result<default::LabelQuality, AppError> {
    Ok(default::build()?.quality)
}
