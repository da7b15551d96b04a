//! Signing in and out: password checks behind the throttle, browser sessions (only their
//! hashes are stored) and trusted devices.

use super::throttling::{AttemptOrigin, WINDOW_MS};
use super::{Account, SUSPENDED};
use crate::AppError;
use crate::events::record;
use crate::secrets::{hash_token, random_token};
use guildhall_domain::events::{Event, SignedIn, SignedOut};
use guildhall_store::repo::{oversight, sessions, throttle, users};

/// A new browser session.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// The account.
    pub account: Account,
    /// The session id to put in the cookie (only its hash is stored).
    pub session_token: String,
    /// A device token to remember this browser by, when it was not trusted yet.
    pub device_token: Option<String>,
}

impl crate::facades::Accounts<'_> {
    /// Checks credentials: `login` is a handle or sign-in address.
    pub fn authenticate(
        &self,
        login: &str,
        password: &str,
        origin: &AttemptOrigin,
    ) -> Result<Account, AppError> {
        let account_key = login.trim().to_lowercase();
        if account_key.is_empty()
            || account_key.len() > 254
            || account_key.chars().any(char::is_control)
            || password.len() > 4 * guildhall_domain::account::MAX_PASSWORD_CHARS
        {
            return Err(AppError::InvalidCredentials);
        }
        let user = self.read(|c| Ok(users::by_login(c, &account_key)?))?;
        // One ladder per account, whichever of its handle or addresses is typed; a login that
        // names nobody gets a ladder of its own.
        let account_key = match &user {
            Some(u) => format!("account:{}", u.id),
            None => format!("login:{account_key}"),
        };
        self.check_throttle(&account_key, user.as_ref().map(|u| u.id), origin)?;
        let ok = match &user {
            Some(u) => self.password_matches(password, &u.password_hash),
            None => {
                // Spend the same time as a real check so timing does not reveal accounts.
                let _ = self.hash_password(password);
                false
            }
        };
        let now = self.now();
        match (user, ok) {
            (Some(u), true) => {
                let suspended = self.write(|c| {
                    throttle::clear_account(c, &account_key)?;
                    throttle::purge(c, now - WINDOW_MS)?;
                    Ok(oversight::is_suspended(c, u.id)?)
                })?;
                // Told only after the right password, so nobody learns of a suspension but
                // the account's owner.
                if suspended {
                    return Err(AppError::Forbidden(SUSPENDED.into()));
                }
                Ok(Account::from(u))
            }
            _ => {
                self.write(|c| {
                    throttle::record_failure(
                        c,
                        &uuid::Uuid::now_v7().to_string(),
                        &account_key,
                        &origin.address,
                        now,
                    )?;
                    Ok(())
                })?;
                Err(AppError::InvalidCredentials)
            }
        }
    }

    /// Signs in an account without two-factor sign-in (`begin_sign_in` asks for the code of
    /// one with it): checks credentials, ends the browser's previous session (the id is
    /// rotated) and starts a new one.
    pub fn sign_in(
        &self,
        login: &str,
        password: &str,
        origin: &AttemptOrigin,
        previous_session: Option<&str>,
    ) -> Result<NewSession, AppError> {
        match self.begin_sign_in(login, password, origin, previous_session)? {
            super::SignInStep::Done(session) => Ok(session),
            super::SignInStep::Code(_) => Err(AppError::conflict(
                Some("/code"),
                "this account also asks for a code from its authenticator app",
            )),
        }
    }

    /// Starts a session for an account whose credentials were checked, ending the browser's
    /// previous one.
    pub(super) fn start_session(
        &self,
        account: Account,
        origin: &AttemptOrigin,
        previous_session: Option<&str>,
    ) -> Result<NewSession, AppError> {
        let now = self.now();
        let token = random_token();
        let expires = now + self.settings().session_ttl.as_millis() as i64;
        let device_token = self.write(|c| {
            if let Some(prev) = previous_session {
                sessions::delete(c, &hash_token(prev))?;
            }
            let device: String = origin.device.chars().take(200).collect();
            sessions::insert(c, &hash_token(&token), account.id, now, expires, &device)?;
            let trusted = match &origin.device_token {
                Some(t) => throttle::is_trusted(c, &hash_token(t), account.id)?,
                None => false,
            };
            let device = if trusted {
                None
            } else {
                let t = random_token();
                throttle::trust_device(c, &hash_token(&t), account.id, now)?;
                Some(t)
            };
            record(
                c,
                now,
                Event::SignedIn(SignedIn {
                    account: account.id.to_string(),
                }),
            )?;
            Ok(device)
        })?;
        Ok(NewSession {
            account,
            session_token: token,
            device_token,
        })
    }

    /// The account of a live session.
    pub fn session_account(&self, session_token: &str) -> Result<Option<Account>, AppError> {
        let now = self.now();
        self.read(|c| {
            let Some(user_id) = sessions::user_of(c, &hash_token(session_token), now)? else {
                return Ok(None);
            };
            if oversight::is_suspended(c, user_id)? {
                return Ok(None);
            }
            Ok(users::by_id(c, user_id)?.map(Account::from))
        })
    }

    /// Ends a session.
    pub fn sign_out(&self, session_token: &str) -> Result<(), AppError> {
        let now = self.now();
        let hash = hash_token(session_token);
        self.write(|c| {
            let user = sessions::user_of(c, &hash, i64::MIN)?;
            if sessions::delete(c, &hash)? > 0 {
                record(
                    c,
                    now,
                    Event::SignedOut(SignedOut {
                        account: user.map(|id| id.to_string()),
                    }),
                )?;
            }
            Ok(())
        })
    }

    /// Deletes expired sessions and sign-in failures older than the throttling window; returns
    /// how many rows went. Run periodically by `serve`.
    pub fn purge_expired(&self) -> Result<usize, AppError> {
        let now = self.now();
        let mut conn = self.conn()?;
        Ok(sessions::purge_expired(&mut conn, now)? + throttle::purge(&mut conn, now - WINDOW_MS)?)
    }
}
