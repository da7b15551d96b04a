//! A member's full export: one zip archive of everything about them, prepared in the
//! background with its progress shown, then kept in the file store for them to download. The
//! archive's README says what each file holds; `archive.rs` writes it.

mod archive;

use crate::AppError;
use crate::accounts::Account;
use crate::queue::enqueue;
use ed25519_dalek::SigningKey;
use guildhall_store::repo::exports::{self as repo, ExportRow};
use guildhall_store::repo::{tasks, users};
use serde::Serialize;

/// The queue's kind for preparing an export.
pub(crate) const EXPORT: &str = "export";
/// Exports a member sees listed.
const LISTED: i64 = 5;

/// An export as its member sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    /// Its id (UUIDv7).
    pub id: String,
    /// `queued`, `running`, `ready`, `failed`, or `replaced` once a newer archive is ready.
    pub status: String,
    /// How far it got, 0 to 100.
    pub progress: i32,
    /// What it is doing or did, in words.
    pub step: String,
    /// The archive's size in bytes, once ready.
    pub size: Option<i64>,
    /// When it was asked for (Unix ms).
    pub created_at: i64,
    /// When it was ready or failed (Unix ms).
    pub finished_at: Option<i64>,
}

impl From<ExportRow> for Export {
    fn from(r: ExportRow) -> Self {
        Export {
            id: r.id,
            step: match (&r.error, r.status.as_str()) {
                (Some(e), "failed") => format!("Failed: {e}"),
                _ => r.step,
            },
            status: r.status,
            progress: r.progress,
            size: r.size,
            created_at: r.created_at,
            finished_at: r.finished_at,
        }
    }
}

impl crate::facades::Accounts<'_> {
    /// Asks for a full export of the caller's data; one still being prepared is returned
    /// instead of starting another.
    pub fn request_export(&self, who: &Account) -> Result<Export, AppError> {
        let now = self.now();
        self.write(|c| {
            if let Some(busy) = repo::of_user(c, who.id, LISTED)?
                .into_iter()
                .find(|r| r.status == "queued" || r.status == "running")
            {
                return Ok(busy.into());
            }
            let row = ExportRow {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: who.id,
                status: "queued".into(),
                progress: 0,
                step: "Waiting to start".into(),
                file_key: None,
                size: None,
                error: None,
                created_at: now,
                finished_at: None,
            };
            repo::insert(c, &row)?;
            enqueue(c, now, EXPORT, &serde_json::json!({"export": row.id}))?;
            Ok(row.into())
        })
    }

    /// The caller's newest exports, newest first.
    pub fn exports(&self, who: &Account) -> Result<Vec<Export>, AppError> {
        self.read(|c| {
            Ok(repo::of_user(c, who.id, LISTED)?
                .into_iter()
                .map(Export::from)
                .collect())
        })
    }

    /// One of the caller's exports.
    pub fn export(&self, who: &Account, id: &str) -> Result<Export, AppError> {
        self.read(|c| {
            Ok(repo::find(c, id)?
                .filter(|r| r.user_id == who.id)
                .ok_or(AppError::NotFound)?
                .into())
        })
    }

    /// The archive of one of the caller's exports, once ready.
    pub fn export_archive(&self, who: &Account, id: &str) -> Result<Vec<u8>, AppError> {
        let row = self.read(|c| {
            repo::find(c, id)?
                .filter(|r| r.user_id == who.id)
                .ok_or(AppError::NotFound)
        })?;
        let key = row
            .file_key
            .filter(|_| row.status == "ready")
            .ok_or_else(|| AppError::conflict(None, "this export is not ready yet"))?;
        self.settings()
            .files
            .get(&key)?
            .ok_or_else(|| AppError::internal(format!("export {id}: its archive is missing")))
    }
}

impl crate::facades::Queue<'_> {
    /// Prepares the exports asked for, one at a time; returns how many were done. `key` signs
    /// the checkpoint the evidence bundle in each archive leads to.
    pub fn run_due_exports(&self, key: &SigningKey) -> Result<usize, AppError> {
        let mut done = 0;
        loop {
            let now = self.now();
            let claimed = self.write(|c| {
                Ok(tasks::claim(
                    c,
                    EXPORT,
                    now,
                    now + crate::queue::LEASE_MS,
                    1,
                )?)
            })?;
            let Some(task) = claimed.into_iter().next() else {
                return Ok(done);
            };
            let id = serde_json::from_str::<serde_json::Value>(&task.payload)
                .ok()
                .and_then(|p| p["export"].as_str().map(str::to_string))
                .unwrap_or_default();
            self.prepare(&id, key)?;
            let now = self.now();
            self.write(|c| Ok(tasks::done(c, &task.id, now)?))?;
            done += 1;
        }
    }

    /// Prepares one export, saving its progress as it goes; a failure is kept on the export
    /// for its member to see, not retried.
    fn prepare(&self, id: &str, key: &SigningKey) -> Result<(), AppError> {
        let Some(mut row) = self.read(|c| Ok(repo::find(c, id)?))? else {
            return Ok(()); // asked for, then gone: nothing to do
        };
        if row.status == "ready" {
            return Ok(());
        }
        let Some(who) = self.read(|c| Ok(users::by_id(c, row.user_id)?))? else {
            return Ok(());
        };
        let who = Account::from(who);
        let save = |row: &ExportRow| self.write(|c| Ok(repo::update(c, row)?));
        row.status = "running".into();
        save(&row)?;
        let built = archive::build(self, &who, key, &mut |progress, step| {
            row.progress = progress;
            row.step = step.to_string();
            save(&row)
        });
        let now = self.now();
        match built.and_then(|bytes| {
            let file_key = format!("exports/{id}.zip");
            let size = bytes.len() as i64;
            self.settings().files.put(&file_key, bytes)?;
            Ok((file_key, size))
        }) {
            Ok((file_key, size)) => {
                row.status = "ready".into();
                row.progress = 100;
                row.step = "Ready to download".into();
                row.file_key = Some(file_key);
                row.size = Some(size);
            }
            Err(e) => {
                tracing::warn!(export = %id, error = %e.chain(), "export failed");
                row.status = "failed".into();
                row.error = Some("something went wrong on our side; ask for a new export".into());
            }
        }
        row.finished_at = Some(now);
        let replaced = self.write(|c| {
            repo::update(c, &row)?;
            if row.status == "ready" {
                Ok(repo::replace_older(c, row.user_id, &row.id)?)
            } else {
                Ok(Vec::new())
            }
        })?;
        // Older archives hold the same personal data: only the newest is kept.
        for key in replaced {
            if let Err(e) = self.settings().files.delete(&key) {
                tracing::warn!(error = %e, "a replaced export's archive stayed in the file store");
            }
        }
        Ok(())
    }
}
