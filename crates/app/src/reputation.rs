//! Reputation: figures computed on request from the member's evidence in the log, by the pure
//! functions of `guildhall_domain::reputation`, so they can be recomputed and checked at any
//! time. Erased entries no longer count.

use crate::accounts::Account;
use crate::evidence::bundles::entries_of;
use crate::{App, AppError};
use guildhall_domain::reputation::{Evidence, Figure, Settings, figures};

impl App {
    /// The caller's reputation figures, with their intervals and explanations.
    pub fn my_reputation(&self, who: &Account) -> Result<Vec<Figure>, AppError> {
        let now = self.now();
        let evidence: Vec<Evidence> = self
            .read(|c| entries_of(c, &who.id))?
            .into_iter()
            .filter_map(|e| {
                Some(Evidence {
                    index: e.header.index,
                    kind: e.header.kind,
                    at: e.header.at,
                    payload: e.payload?,
                })
            })
            .collect();
        Ok(figures(&who.id, &evidence, now, &Settings::default()))
    }
}
