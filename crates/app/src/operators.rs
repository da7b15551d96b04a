//! What only the instance's operators do outside money: choosing the communities whose
//! curation they trust (their owners and curators, with the operators, seed trust).

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::oversight::{Actor, audit};
use guildhall_domain::events::{CommunityVetted, Event};
use guildhall_store::repo::communities as repo;
use serde::Serialize;

/// A community as the operators' vetting list shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct VettingRow {
    /// URL name.
    pub slug: String,
    /// The community's display name, as its owners set it (2 to 80 characters).
    pub name: String,
    /// `open`, `application` or `invitation`.
    pub admission: String,
    /// How many members it has.
    pub members: i64,
    /// Whether the operators trust its curation.
    pub vetted: bool,
}

fn row_of(
    c: &mut guildhall_store::DbConnection,
    row: repo::CommunityRow,
) -> Result<VettingRow, AppError> {
    let (members, _) = repo::counts(c, &row.id)?;
    Ok(VettingRow {
        slug: row.slug,
        name: row.name,
        admission: row.admission.as_str().into(),
        members,
        vetted: row.vetted,
    })
}

impl crate::facades::Instance<'_> {
    /// Every community, unlisted ones too, with whether it is vetted: operators only.
    pub fn vetting_list(&self, operator: &Account) -> Result<Vec<VettingRow>, AppError> {
        operator.require_operator("vet communities")?;
        self.read(|c| {
            repo::all(c, i64::MAX)?
                .into_iter()
                .map(|row| row_of(c, row))
                .collect()
        })
    }

    /// Marks the community at `slug` as vetted or not. Trust is recomputed from the new seeds
    /// on its next read, since the change is recorded in the feed.
    pub fn set_vetted(
        &self,
        operator: &Account,
        slug: &str,
        vetted: bool,
    ) -> Result<VettingRow, AppError> {
        operator.require_operator("vet communities")?;
        let now = self.now();
        self.write(|c| {
            let row =
                repo::by_slug(c, &slug.trim().to_ascii_lowercase())?.ok_or(AppError::NotFound)?;
            repo::set_vetted(c, &row.id, vetted)?;
            let action = if vetted {
                "community.vetted"
            } else {
                "community.unvetted"
            };
            audit(c, now, &Actor::operator(operator)?, action, &row.slug, "")?;
            record(c, now, {
                let vetting = CommunityVetted {
                    operator: operator.id.to_string(),
                    community: row.id.clone(),
                };
                if vetted {
                    Event::CommunityVetted(vetting)
                } else {
                    Event::CommunityUnvetted(vetting)
                }
            })?;
            let row = repo::by_id(c, &row.id)?.ok_or(AppError::NotFound)?;
            row_of(c, row)
        })
    }
}
