//! Matching in the application: the domain's index (`guildhall_domain::matching`) loaded from
//! the database, kept current from the change feed, and asked on a client's behalf, each
//! member found explained in words that name only what the client may see.

mod fits;
mod for_you;
mod learned;
mod load;
mod pairs;
mod saved;
mod shortlist;
mod talent;
mod wanted;

pub(crate) use fits::FITS_TASK;
pub use for_you::WorkFit;
pub use pairs::TalentPair;
pub use saved::{SavedSearch, SearchInput};
pub use shortlist::{ShortlistEntry, ShortlistInput};
pub use talent::Talent;

pub(crate) use load::Loaded;
use parking_lot::RwLock;
pub(crate) use talent::client_of;

/// The index this process holds: loaded at the first use (or at start, by `serve`), then
/// brought up to the change feed before each query.
#[derive(Default)]
pub struct MatchState {
    loaded: RwLock<Option<Loaded>>,
}

impl crate::facades::Matching<'_> {
    /// Loads the index now (at start), telling `progress` how many members are indexed of
    /// how many, and returns how many it holds.
    pub fn load(&self, progress: &dyn Fn(u64, u64)) -> Result<usize, crate::AppError> {
        let cx = self.context();
        let loaded = self.read(|c| load::load(c, &cx, progress))?;
        let members = loaded.index.len();
        *self.match_state().loaded.write() = Some(loaded);
        Ok(members)
    }

    /// What loading and explaining read besides the database.
    fn context(&self) -> load::Context<'_> {
        load::Context {
            now: self.now(),
            settings: &self.settings.reputation,
        }
    }

    /// Runs `f` on the index, brought up to the change feed first. When nothing happened since
    /// the index last looked, queries share it under the read lock; only a catch-up takes the
    /// write lock.
    pub(crate) fn with_index<T>(
        &self,
        f: impl FnOnce(&Loaded) -> Result<T, crate::AppError>,
    ) -> Result<T, crate::AppError> {
        let current = {
            let mut c = self.conn()?;
            let head = guildhall_store::repo::events::last_seq(&mut c)?;
            let suspended = guildhall_store::repo::oversight::suspended_ids(&mut c)?;
            let guard = self.match_state().loaded.read();
            guard
                .as_ref()
                .is_some_and(|loaded| loaded.is_current(head, &suspended))
        };
        if !current {
            let mut guard = self.match_state().loaded.write();
            let mut c = self.conn()?;
            let cx = self.context();
            match guard.as_mut() {
                Some(loaded) => load::catch_up(&mut c, &cx, loaded)?,
                None => *guard = Some(load::load(&mut c, &cx, &|_, _| {})?),
            }
        }
        let guard = self.match_state().loaded.read();
        f(guard.as_ref().expect("loaded above"))
    }
}
