//! The occupations a member may aim at: ESCO's ICT occupations, bundled with Guildhall, each
//! named by the id that ends its ESCO URI and asking for the skills ESCO lists for it.

use crate::AppError;
use crate::taxonomy::{Occupation, ict_occupations};
use guildhall_domain::insights::gap::Asked;
use guildhall_domain::skills::normalize;
use guildhall_store::DbConnection;
use guildhall_store::repo::skills;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// ESCO lists an occupation's skills without weights or levels: each is asked as much as the
/// next, at the working level a job form offers first.
const WEIGHT: u8 = 3;
/// See [`WEIGHT`].
const LEVEL: u8 = 3;

/// An occupation as listed.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OccupationRef {
    /// Its id: the last part of its ESCO URI.
    pub id: String,
    /// Its ESCO preferred label.
    pub label: String,
    /// What people in it do, in ESCO's words.
    pub description: String,
}

/// The bundled occupations, read once.
fn bundled() -> Result<&'static [Occupation], AppError> {
    static READ: OnceLock<Vec<Occupation>> = OnceLock::new();
    if let Some(all) = READ.get() {
        return Ok(all);
    }
    let all = ict_occupations()?;
    Ok(READ.get_or_init(|| all))
}

/// The id that ends an occupation's URI.
pub(crate) fn id_of(o: &Occupation) -> &str {
    o.uri.rsplit('/').next().unwrap_or_default()
}

fn listed(o: &Occupation) -> OccupationRef {
    OccupationRef {
        id: id_of(o).to_string(),
        label: o.label.clone(),
        description: o.description.clone(),
    }
}

/// Every occupation, by label.
pub fn occupations() -> Result<Vec<OccupationRef>, AppError> {
    let mut out: Vec<OccupationRef> = bundled()?.iter().map(listed).collect();
    out.sort_by_key(|o| o.label.to_lowercase());
    Ok(out)
}

/// The id of the occupation labelled `label`.
pub(crate) fn id_by_label(label: &str) -> Option<String> {
    bundled()
        .ok()?
        .iter()
        .find(|o| o.label == label)
        .map(|o| id_of(o).to_string())
}

/// One occupation by id.
pub(crate) fn occupation(id: &str) -> Result<&'static Occupation, AppError> {
    bundled()?
        .iter()
        .find(|o| id_of(o) == id)
        .ok_or(AppError::NotFound)
}

/// The skills `o` asks for that the taxonomy knows by their preferred label, each once, and
/// the labels it does not know.
pub(crate) fn asked_by(
    c: &mut DbConnection,
    o: &Occupation,
) -> Result<(Vec<Asked>, Vec<String>), AppError> {
    let norms: Vec<String> = o.skills.iter().map(|l| normalize(l)).collect();
    let ids: HashMap<String, String> = skills::preferred_by_norms(c, &norms)?.into_iter().collect();
    let (mut asked, mut unknown) = (Vec::new(), Vec::new());
    for (label, norm) in o.skills.iter().zip(&norms) {
        match ids.get(norm) {
            Some(id) if asked.iter().all(|a: &Asked| &a.skill_id != id) => asked.push(Asked {
                skill_id: id.clone(),
                label: label.clone(),
                weight: WEIGHT,
                min_level: LEVEL,
                required: true,
            }),
            Some(_) => {}
            None => unknown.push(label.clone()),
        }
    }
    Ok((asked, unknown))
}
