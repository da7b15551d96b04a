//! The durable queue of background work. A use case enqueues a task in its own transaction,
//! so the work is asked for exactly when the change it follows commits. A worker claims due
//! tasks for a lease, runs each outside any transaction, and marks it done; a failed attempt
//! runs again after a growing pause, and is given up after its last attempt. A worker that
//! dies between running a task and marking it loses nothing: the lease runs out and the task
//! runs again, so a crash at that point repeats at most that one task. Any node may work the
//! queue: on PostgreSQL claims skip rows another worker is claiming.

use crate::AppError;
use crate::mail::Mail;
use guildhall_store::DbConnection;
use guildhall_store::repo::tasks::{self, QUEUED, TaskRow};

/// Mail to send; the payload names what to write.
pub(crate) const MAIL: &str = "mail";
/// How long a claimed task is a worker's own: longer than any SMTP exchange takes.
pub const LEASE_MS: i64 = 5 * 60 * 1000;
/// Attempts before a task is given up.
pub const ATTEMPTS: i32 = 10;
/// Tasks claimed at a time.
const BATCH: i64 = 20;

/// Asks for background work of `kind`, in the caller's transaction.
pub(crate) fn enqueue(
    c: &mut DbConnection,
    now: i64,
    kind: &str,
    payload: &serde_json::Value,
) -> Result<(), AppError> {
    tasks::enqueue(c, &task(now, kind, payload))?;
    Ok(())
}

/// Background work of `kind` asked for at `now`, to be enqueued with [`enqueue_all`].
pub(crate) fn task(now: i64, kind: &str, payload: &serde_json::Value) -> TaskRow {
    TaskRow {
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.into(),
        payload: payload.to_string(),
        state: QUEUED.into(),
        attempts: 0,
        run_at: now,
        leased_until: None,
        last_error: String::new(),
        created_at: now,
        finished_at: None,
    }
}

/// Asks for several tasks at once, in the caller's transaction: a follower telling many
/// people queues their mail in one statement on PostgreSQL.
pub(crate) fn enqueue_all(c: &mut DbConnection, tasks: &[TaskRow]) -> Result<(), AppError> {
    tasks::enqueue_all(c, tasks)?;
    Ok(())
}

/// The pause after the `attempt`-th failed attempt: 30 s, doubling, at most 6 hours. Ten
/// attempts span about four hours, so a mail server down for an afternoon loses nothing.
pub fn backoff_ms(attempt: i32) -> i64 {
    let doubled = 30_000i64.saturating_mul(1i64 << attempt.clamp(1, 20).saturating_sub(1));
    doubled.min(6 * 3600 * 1000)
}

/// What one pass over the due mail did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Mail sent.
    pub sent: usize,
    /// Mail that is no longer wanted (its notification is gone, or email was turned off).
    pub skipped: usize,
    /// Attempts that failed (and will be tried again, or were given up).
    pub failed: usize,
}

/// The queue's state, for `/metrics`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Depth {
    /// Tasks waiting to run.
    pub queued: i64,
    /// Tasks given up.
    pub failed: i64,
}

impl crate::facades::Queue<'_> {
    /// Sends the mail that is due, a batch at a time, through the instance's mailer.
    pub fn send_due_mail(&self) -> Result<Pass, AppError> {
        // The mail of every notification so far is queued before the queue is worked.
        self.notifications().catch_up()?;
        let mut pass = Pass::default();
        loop {
            let now = self.now();
            let claimed = self.write(|c| Ok(tasks::claim(c, MAIL, now, now + LEASE_MS, BATCH)?))?;
            if claimed.is_empty() {
                return Ok(pass);
            }
            for task in &claimed {
                self.send_one(task, &mut pass)?;
            }
            if (claimed.len() as i64) < BATCH {
                return Ok(pass);
            }
        }
    }

    fn send_one(&self, task: &TaskRow, pass: &mut Pass) -> Result<(), AppError> {
        let mail = self.write(|c| compose(c, self, task))?;
        let outcome = match &mail {
            Some(mail) => self.settings.mailer.send(mail).map_err(|e| e.0),
            None => Ok(()),
        };
        let now = self.now();
        match outcome {
            Ok(()) => {
                self.write(|c| Ok(tasks::done(c, &task.id, now)?))?;
                if mail.is_some() {
                    pass.sent += 1;
                } else {
                    pass.skipped += 1;
                }
            }
            Err(error) => {
                let retry = (task.attempts < ATTEMPTS).then(|| now + backoff_ms(task.attempts));
                tracing::warn!(task = %task.id, attempt = task.attempts, %error, "mail not sent");
                self.write(|c| Ok(tasks::failed(c, &task.id, &error, retry, now)?))?;
                pass.failed += 1;
            }
        }
        Ok(())
    }

    /// Tasks waiting and tasks given up, counting the mail of every notification so far.
    pub fn depth(&self) -> Result<Depth, AppError> {
        self.notifications().catch_up()?;
        let (queued, failed) = self.read(|c| Ok(tasks::depth(c)?))?;
        Ok(Depth { queued, failed })
    }

    /// One task as stored (for tests and operators).
    pub fn task(&self, id: &str) -> Result<Option<TaskRow>, AppError> {
        self.read(|c| Ok(tasks::by_id(c, id)?))
    }
}

/// The mail a task asks for, written now: a notification, a link that verifies an address, or
/// a password-reset link. `None` when there is nothing (any more) to send.
fn compose(
    c: &mut DbConnection,
    app: &crate::App,
    task: &TaskRow,
) -> Result<Option<Mail>, AppError> {
    use crate::accounts::verification::{compose_reset, compose_verification};
    let payload: serde_json::Value = serde_json::from_str(&task.payload)
        .map_err(|e| AppError::caused("reading a mail task", e))?;
    if let Some(id) = payload["notification"].as_str() {
        crate::notifications::mail::compose(c, app, id)
    } else if let Some(user) = payload["verify"].as_str() {
        compose_verification(c, app, user, payload["email"].as_str())
    } else if let Some(user) = payload["digest"].as_str() {
        crate::notifications::digest_mail::compose(c, app, user)
    } else if payload["address_notice"].is_object() {
        crate::accounts::addresses::compose_notice(c, &payload["address_notice"])
    } else if let Some(email_key) = payload["reset"].as_str() {
        compose_reset(c, app, email_key)
    } else {
        Err(AppError::internal(format!("a mail task reads {payload}")))
    }
}
