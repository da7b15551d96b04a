//! Guildhall's use cases, shared by the API, the pages and the CLI. Each use case checks who may
//! do what, runs in one transaction, and records its change-feed event in that transaction.
#![warn(missing_docs)]

pub mod accounts;
pub mod availability;
pub mod clock;
pub mod communities;
pub mod connections;
pub mod conversations;
pub mod credentials;
pub mod endorsements;
pub mod error;
pub mod events;
pub mod evidence;
pub mod exports;
pub mod facades;
pub mod files;
pub mod home;
pub mod insights;
pub mod ledger;
pub mod mail;
pub mod matching;
pub mod merges;
pub mod notifications;
pub mod operators;
pub mod oversight;
pub mod page;
pub mod payments;
pub mod personas;
pub mod policy;
pub mod profile_cache;
pub mod profiles;
pub mod queue;
pub mod reputation;
pub mod resume;
pub mod search;
pub mod secrets;
pub mod seed;
pub mod site_texts;
pub mod skills;
pub mod suggestions;
pub mod taxonomy;
pub mod tokens;
pub mod webhook_signature;
pub mod work;

pub use clock::{Clock, SystemClock};
pub use error::AppError;
pub use page::{Cursor, Page, PageRequest};

use guildhall_store::{DbConnection, DbPool, PooledConn, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// How expensive password hashing is. `Standard` follows OWASP's argon2id minimum
/// (19 MiB, 2 passes); `Fast` exists for tests and benchmarks that create many accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordCost {
    /// For real accounts.
    Standard,
    /// For tests only.
    Fast,
}

/// Settings use cases need.
#[derive(Clone, Debug)]
pub struct AppSettings {
    /// How long a browser session lasts.
    pub session_ttl: Duration,
    /// Password hashing cost.
    pub password_cost: PasswordCost,
    /// Profiles kept in memory for anonymous reads (0 turns the cache off).
    pub profile_cache_size: usize,
    /// Fees, shares and the review period of new contracts.
    pub work: work::WorkSettings,
    /// How members pay deposits.
    pub payments: Arc<dyn payments::PaymentProvider>,
    /// The instance's name in signed checkpoints of the evidence log.
    pub origin: String,
    /// How reputation figures weigh evidence (the half-life of its weight).
    pub reputation: guildhall_domain::reputation::Settings,
    /// Who may join and the API's rate limits, until an operator changes them.
    pub policy: policy::Policy,
    /// Where mail goes.
    pub mailer: Arc<dyn mail::Mailer>,
    /// The address members reach the instance at, which links in mail start with.
    pub public_url: String,
    /// Whether subscribed calendars may be fetched from private networks (loopback, LAN,
    /// link-local): off, so a member cannot make the server reach into its own network.
    pub calendar_private_addresses: bool,
    /// Where delivered files are stored.
    pub files: files::Files,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            password_cost: PasswordCost::Standard,
            profile_cache_size: 100_000,
            work: work::WorkSettings::default(),
            payments: Arc::new(payments::ManualProvider::default()),
            origin: "guildhall".into(),
            reputation: guildhall_domain::reputation::Settings::default(),
            policy: policy::Policy::default(),
            mailer: Arc::new(mail::NoMailer),
            public_url: "http://127.0.0.1:8080".into(),
            calendar_private_addresses: false,
            files: files::Files::in_memory(),
        }
    }
}

/// The application: a pool, a clock and settings. Cheap to clone. Use cases are synchronous;
/// callers on an async runtime run them with `spawn_blocking`.
#[derive(Clone)]
pub struct App {
    pool: DbPool,
    clock: Arc<dyn Clock>,
    settings: Arc<AppSettings>,
    profile_cache: Arc<profile_cache::ProfileCache>,
    skill_index: Arc<skills::SkillIndex>,
    trust_cache: Arc<reputation::TrustCache>,
    match_state: Arc<matching::MatchState>,
    /// The change feed's position through which this process saw the evidence log complete:
    /// a reader finding the feed beyond it catches the log up first.
    evidence_through: Arc<std::sync::atomic::AtomicI64>,
    /// The change feed's position through which this process saw everyone told of its events:
    /// a reader of notifications finding the feed beyond it tells them first.
    notices_through: Arc<std::sync::atomic::AtomicI64>,
    /// On SQLite, which takes one writer at a time anyway, this process's writers take turns
    /// here rather than in SQLite's busy handler, which sleeps and retries (up to 100 ms a try),
    /// on one connection kept for writing (opened at the first write), whose page cache stays
    /// warm. The mutex hands itself to a waiter at least every half millisecond, so no writer
    /// starves; handing it over at every turn slowed the one-event baseline of `bench
    /// contracts` by a tenth. PostgreSQL writers never wait on it: nodes share nothing but the
    /// database there.
    writer: Option<Arc<parking_lot::Mutex<Option<guildhall_store::SqliteWriter>>>>,
}

/// Attempts for a transaction that failed with a retryable error.
const TX_ATTEMPTS: u32 = 5;

impl App {
    /// An application over `pool`.
    pub fn new(pool: DbPool, clock: Arc<dyn Clock>, settings: AppSettings) -> Self {
        // Start at the feed's end: nothing is cached yet, so nothing before it matters.
        let head = pool
            .get()
            .ok()
            .and_then(|mut c| guildhall_store::repo::events::last_seq(&mut c).ok())
            .unwrap_or(i64::MAX);
        let sqlite = pool.get().is_ok_and(|c| c.is_sqlite());
        Self {
            writer: sqlite.then(Arc::default),
            pool,
            clock,
            profile_cache: Arc::new(profile_cache::ProfileCache::new(
                settings.profile_cache_size,
                head,
            )),
            skill_index: Arc::default(),
            trust_cache: Arc::default(),
            match_state: Arc::default(),
            evidence_through: Arc::default(),
            notices_through: Arc::default(),
            settings: Arc::new(settings),
        }
    }

    /// Whether the database is SQLite (one writer at a time, taken in turn here).
    pub(crate) fn on_sqlite(&self) -> bool {
        self.writer.is_some()
    }

    /// The matching index this process holds.
    pub(crate) fn match_state(&self) -> &matching::MatchState {
        &self.match_state
    }

    /// The anonymous-read profile cache.
    pub fn profile_cache(&self) -> &profile_cache::ProfileCache {
        &self.profile_cache
    }

    /// Applies change-feed entries newer than the cache's watermark: before an anonymous
    /// profile read once this node has written, and periodically from `serve` to pick up other
    /// nodes' writes.
    pub fn follow_feed(&self) -> Result<(), AppError> {
        if self.profile_cache.watermark() == i64::MAX {
            return Ok(());
        }
        let mut conn = self.conn()?;
        self.profile_cache.following();
        loop {
            const BATCH: u16 = 1000;
            let rows = guildhall_store::repo::events::heads_after(
                &mut conn,
                self.profile_cache.watermark(),
                BATCH,
            )?;
            let Some(last) = rows.last().map(|r| r.seq) else {
                return Ok(());
            };
            let full = rows.len() == usize::from(BATCH);
            if rows.iter().any(|r| events::changes_skills(&r.event_type)) {
                self.skills().skills_changed();
            }
            // Evict the actor's profile and any subject's (a merge re-points others' claims).
            let touched = rows.into_iter().flat_map(|r| {
                let subjects: Vec<String> =
                    serde_json::from_str(&r.subject_ids).unwrap_or_default();
                r.actor_id.into_iter().chain(subjects)
            });
            self.profile_cache.apply(touched, last);
            if !full {
                return Ok(());
            }
        }
    }

    /// The settings.
    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }

    /// Now, in Unix milliseconds.
    pub fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    /// A pooled connection.
    pub(crate) fn conn(&self) -> Result<PooledConn, AppError> {
        self.pool
            .get()
            .map_err(|e| AppError::Unavailable(e.to_string()))
    }

    /// Runs `f` in one transaction, retrying the whole of it when the database reports a
    /// serialization failure or lock contention.
    pub(crate) fn write<T>(
        &self,
        f: impl FnMut(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.write_keeping(f).map(|(out, _)| out)
    }

    /// [`App::write`], then `answer` reads what the caller is told once the change is
    /// committed: on PostgreSQL on the write's own connection (no second check-out and its
    /// test), on SQLite on a pooled connection after the writer's turn, which so holds only
    /// the change. A failed answer never runs the committed change again.
    pub(crate) fn write_then_read<T, U>(
        &self,
        change: impl FnMut(&mut DbConnection) -> Result<T, AppError>,
        answer: impl FnOnce(&mut DbConnection, T) -> Result<U, AppError>,
    ) -> Result<U, AppError> {
        match self.write_keeping(change)? {
            (out, Some(mut conn)) => answer(&mut conn, out),
            (out, None) => self.read(|c| answer(c, out)),
        }
    }

    /// [`App::write`], also returning the pooled connection it committed on (on PostgreSQL).
    fn write_keeping<T>(
        &self,
        mut f: impl FnMut(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<(T, Option<PooledConn>), AppError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.write_once(&mut f);
            if result.is_ok() {
                return result;
            }
            match result {
                // A uniqueness violation here means a concurrent request wrote the same row
                // between this one's check and its insert: run the use case again, and its
                // checks now see that row and answer as they would have (a clear conflict).
                Err(AppError::Store(e))
                    if (e.is_retryable() || matches!(e, StoreError::Unique(_)))
                        && attempt < TX_ATTEMPTS =>
                {
                    std::thread::sleep(Duration::from_millis(10 * u64::from(attempt)));
                }
                other => return other,
            }
        }
    }

    /// One attempt of [`App::write`]: on SQLite on this process's writer connection, in its
    /// turn; on PostgreSQL on a pooled connection, which it returns. After a commit the
    /// in-memory state built from the feed learns of the change (see [`App::committed`]).
    fn write_once<T>(
        &self,
        f: &mut impl FnMut(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<(T, Option<PooledConn>), AppError> {
        let mut in_transaction = |c: &mut DbConnection| -> Result<(T, bool), AppError> {
            guildhall_store::write_transaction(c, |c| {
                let events = events::Deferred::begin();
                let out = f(c)?;
                let skills = events.flush(c)?;
                Ok((out, skills))
            })
        };
        let Some(writer) = &self.writer else {
            let mut conn = self.conn()?;
            let (out, skills) = in_transaction(&mut conn)?;
            self.committed(skills);
            return Ok((out, Some(conn)));
        };
        let mut turn = writer.lock();
        if turn.is_none() {
            *turn = guildhall_store::sqlite_writer(&self.pool)?;
        }
        let (out, skills) = match turn.as_mut() {
            Some(writer) => {
                let out = in_transaction(writer.conn())?;
                writer.committed();
                out
            }
            // A database that is not a file (in memory, for tests) has no second connection
            // to it: write on the pool's, still in turn, asking again next time.
            None => in_transaction(&mut *self.conn()?)?,
        };
        drop(turn);
        self.committed(skills);
        Ok((out, None))
    }

    /// After a commit on this node: the profile cache is behind until it next follows the feed
    /// (the next anonymous profile read does, so writes pay nothing for it), and a change to
    /// skills drops the autocomplete index at once.
    fn committed(&self, skills_changed: bool) {
        self.profile_cache.fell_behind();
        if skills_changed {
            self.skills().skills_changed();
        }
    }

    /// Runs `f` on a connection without a transaction (single reads).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Whether the database answers.
    pub fn ping(&self) -> Result<(), AppError> {
        self.read(|c| guildhall_store::ping(c).map_err(AppError::from))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Store(StoreError::from(e))
    }
}

#[cfg(any(test, feature = "testing"))]
pub mod testing {
    //! Helpers for tests of Guildhall: an `App` with fast password hashing over a test database,
    //! and members signed up in one call.
    use super::*;
    use crate::accounts::{Account, SignUp};
    use guildhall_store::testdb::TestDb;

    /// The password of every member made by [`member`].
    pub const PASSWORD: &str = "correct horse battery";

    /// Settings for tests: fast password hashing, and no daily limit on offers nor API rate
    /// limit, since tests send many calls from one client (the limits have tests of their own).
    pub fn settings() -> AppSettings {
        AppSettings {
            password_cost: PasswordCost::Fast,
            work: crate::work::WorkSettings {
                offers_per_day: u32::MAX,
                ..Default::default()
            },
            policy: crate::policy::Policy {
                api_calls_per_minute_per_token: crate::policy::MAX_CALLS_PER_MINUTE,
                api_calls_per_minute_per_address: crate::policy::MAX_CALLS_PER_MINUTE,
                ..Default::default()
            },
            // Tests serve calendars from loopback.
            calendar_private_addresses: true,
            ..AppSettings::default()
        }
    }

    /// An app with [`settings`] over `db`.
    pub fn app(db: &TestDb) -> App {
        App::new(db.pool(), Arc::new(SystemClock), settings())
    }

    /// An app with [`settings`] over `db`, reading time from `clock`.
    pub fn app_with_clock(db: &TestDb, clock: Arc<crate::clock::ManualClock>) -> App {
        App::new(db.pool(), clock, settings())
    }

    /// Sign-up details for `handle` with `handle@example.org` and [`PASSWORD`].
    pub fn sign_up_input(handle: &str) -> SignUp {
        SignUp {
            handle: handle.into(),
            email: format!("{handle}@example.org"),
            password: PASSWORD.into(),
            display_name: None,
        }
    }

    /// Creates the operator `handle` (email `op@example.org`); panics if that fails.
    pub fn operator(app: &App, handle: &str) -> Account {
        app.accounts()
            .create_account(
                SignUp {
                    email: "op@example.org".into(),
                    ..sign_up_input(handle)
                },
                true,
            )
            .expect("test operator is created")
    }

    /// Runs `f` in one of `app`'s write transactions, for tests that write below the use cases.
    pub fn write<T>(
        app: &App,
        f: impl FnMut(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        app.write(f)
    }

    /// Runs raw `sql` in one of `app`'s write transactions, for tests that plant rows no use
    /// case writes (a corrupt value, say); panics if that fails.
    pub fn execute(app: &App, sql: &str) {
        write(app, |c| {
            diesel::connection::SimpleConnection::batch_execute(c, sql)?;
            Ok(())
        })
        .expect("test SQL runs")
    }

    /// An offer to `member` of one milestone of €1,000.00 due on `due_on`, titled `title`.
    pub fn one_milestone_offer(member: &str, title: &str, due_on: &str) -> crate::work::OfferInput {
        crate::work::OfferInput {
            member: member.into(),
            title: title.into(),
            currency: "EUR".into(),
            milestones: vec![crate::work::MilestoneInput {
                title: "Count".into(),
                amount: 100_000,
                due_on: due_on.into(),
                by_learner: false,
            }],
            community: None,
            referrer: None,
            hourly: None,
            learner: None,
        }
    }

    /// A contract of one milestone titled `title` that `member` completed for `client`: the
    /// operator `op` confirms the client's deposit, the milestone is funded, delivered and
    /// approved. Returns its id.
    pub fn completed_contract(
        app: &App,
        op: &Account,
        client: &Account,
        member: &Account,
        title: &str,
    ) -> String {
        let eur = guildhall_domain::money::Currency::parse("EUR").expect("EUR is a currency");
        app.work()
            .confirm_deposit(
                op,
                &client.handle,
                guildhall_domain::money::Money::new(100_000, eur),
                &uuid::Uuid::now_v7().to_string(),
            )
            .expect("the deposit is confirmed");
        let k = app
            .work()
            .offer_contract(
                client,
                one_milestone_offer(&member.handle, title, "2099-01-01"),
            )
            .expect("the offer is made");
        let m = k.milestones[0].id.clone();
        app.work()
            .answer_offer(member, &k.id, true)
            .expect("the offer is accepted");
        app.work()
            .fund_milestone(client, &k.id, &m, "fund")
            .expect("the milestone is funded");
        app.work()
            .submit_milestone(member, &k.id, &m)
            .expect("the milestone is delivered");
        app.work()
            .accept_milestone(client, &k.id, &m, "accept")
            .expect("the delivery is approved");
        k.id
    }

    /// Signs up `handle`; panics if that fails.
    pub fn member(app: &App, handle: &str) -> Account {
        app.accounts()
            .sign_up(sign_up_input(handle))
            .expect("test member signs up")
    }

    /// Signs up `handle` with an address already verified, as if they had opened the link.
    pub fn verified_member(app: &App, handle: &str) -> Account {
        let account = member(app, handle);
        execute(
            app,
            &format!(
                "UPDATE users SET email_verified_at = created_at WHERE id = '{}'",
                account.id
            ),
        );
        Account {
            email_verified: true,
            ..account
        }
    }

    /// What [`calendar_server`] answers: a status and a body, changed by the test at will.
    pub type CalendarAnswer = std::sync::Arc<std::sync::Mutex<(u16, String)>>;

    /// A small HTTP server on loopback answering every request with the status and body it
    /// holds at that moment, for tests of calendar subscriptions; it runs until the test
    /// process ends. Returns its base address (`http://127.0.0.1:<port>`) and its answer.
    pub fn calendar_server() -> (String, CalendarAnswer) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        let answer: CalendarAnswer = Default::default();
        *answer.lock().expect("not poisoned") = (200, String::new());
        let held = answer.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let (status, body) = held.lock().expect("not poisoned").clone();
                let reply = format!(
                    "HTTP/1.1 {status} Answer\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        (base, answer)
    }
}
