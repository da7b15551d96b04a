//! Optional two-factor sign-in: after the password, a code from an authenticator app (a
//! time-based one-time password, RFC 6238: SHA-1, six digits, 30-second steps, one step of
//! clock drift allowed either way) or one of ten single-use recovery codes. No code works
//! twice, and wrong codes climb the same throttling ladder as wrong passwords.

use super::throttling::AttemptOrigin;
use super::{Account, NewSession};
use crate::AppError;
use crate::secrets::{hash_token, random_token};
use guildhall_domain::UserId;
use guildhall_store::DbConnection;
use guildhall_store::repo::second_factor as repo;
use guildhall_store::repo::{throttle, users};
use serde::Serialize;
use totp_rs::{Algorithm, Builder, Secret};

/// How long a matched password waits for its code.
const PENDING_TTL_MS: i64 = 5 * 60 * 1000;
/// Recovery codes made at once.
const RECOVERY_CODES: usize = 10;

/// A key to enter into an authenticator app, before a first code turns it on.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SetUp {
    /// The key in base32, to type into the app.
    pub secret: String,
    /// The same as an `otpauth://` address, which apps open or read as a QR code.
    pub uri: String,
}

/// Whether two-factor sign-in is on.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SecondFactorView {
    /// A code is asked for after the password.
    pub enabled: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
}

/// Where a sign-in stands after the password.
#[derive(Debug)]
pub enum SignInStep {
    /// Signed in.
    Done(NewSession),
    /// The password matched; the account asks for a code. The token names this sign-in
    /// when the code is sent (it works for five minutes).
    Code(String),
}

fn totp(secret: &str, handle: &str) -> Result<totp_rs::Totp, AppError> {
    let bytes = Secret::try_from_base32(secret)
        .map_err(|e| AppError::internal(format!("a stored authenticator key: {e:?}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_secret(bytes)
        .with_issuer(Some("Guildhall"))
        .with_account_name(handle)
        .build()
        .map_err(|e| AppError::internal(format!("an authenticator key: {e:?}")))
}

/// Whether the account's two-factor sign-in is on.
fn enabled(c: &mut DbConnection, user: UserId) -> Result<bool, AppError> {
    Ok(repo::key_of(c, user)?.is_some_and(|(_, on, _)| on.is_some()))
}

/// A recovery code as people copy it: ten letters and digits in two groups.
fn recovery_code() -> String {
    let raw: String = random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect::<String>()
        .to_lowercase();
    format!("{}-{}", &raw[..5], &raw[5..])
}

/// Whether `code` is the account's current authenticator code or an unused recovery code; a
/// good one is used up.
fn code_matches(
    c: &mut DbConnection,
    user: UserId,
    handle: &str,
    code: &str,
    now: i64,
) -> Result<bool, AppError> {
    let Some((secret, _, _)) = repo::key_of(c, user)? else {
        return Ok(false);
    };
    let code = code.trim().to_lowercase();
    if code.len() > 32 {
        return Ok(false);
    }
    let digits: String = code.chars().filter(|ch| !ch.is_whitespace()).collect();
    if let Some(step) = totp(&secret, handle)?.check(&digits, (now / 1000) as u64) {
        return Ok(repo::use_step(c, user, step as i64)?);
    }
    Ok(repo::use_code(c, user, &hash_token(&code), now)?)
}

impl crate::facades::Accounts<'_> {
    /// Whether the caller's two-factor sign-in is on, with the recovery codes left.
    pub fn second_factor(&self, who: &Account) -> Result<SecondFactorView, AppError> {
        self.read(|c| {
            let enabled = enabled(c, who.id)?;
            Ok(SecondFactorView {
                enabled,
                recovery_codes_left: if enabled {
                    repo::codes_left(c, who.id)?
                } else {
                    0
                },
            })
        })
    }

    /// Makes a new authenticator key for the caller; it is turned on by a first code.
    pub fn start_second_factor(&self, who: &Account) -> Result<SetUp, AppError> {
        let now = self.now();
        let mut bytes = [0u8; 20];
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::internal(format!("the random source: {e}")))?;
        let secret = Secret::new_stack(bytes).to_base32();
        let key = totp(&secret, &who.handle)?;
        let uri = key
            .to_url()
            .map_err(|e| AppError::internal(format!("an otpauth address: {e:?}")))?;
        self.write(|c| {
            if enabled(c, who.id)? {
                return Err(AppError::conflict(
                    None,
                    "two-factor sign-in is on already: turn it off first to use a new app",
                ));
            }
            repo::set_key(c, who.id, &secret, now)?;
            Ok(SetUp {
                secret: secret.clone(),
                uri: uri.clone(),
            })
        })
    }

    /// Turns two-factor sign-in on with a first code from the app; returns the recovery
    /// codes, shown this once.
    pub fn confirm_second_factor(
        &self,
        who: &Account,
        code: &str,
    ) -> Result<Vec<String>, AppError> {
        let now = self.now();
        self.write(|c| {
            match repo::key_of(c, who.id)? {
                None => {
                    return Err(AppError::conflict(None, "set up an authenticator app first"));
                }
                Some((_, Some(_), _)) => {
                    return Err(AppError::conflict(None, "two-factor sign-in is on already"));
                }
                Some(_) => {}
            }
            let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
            // Only the app's code turns it on: recovery codes do not exist yet.
            if !code_matches(c, who.id, &who.handle, code, now)? {
                return Err(AppError::field(
                    "/code",
                    "this is not the code your app shows now: check the app, and the time on this device",
                ));
            }
            repo::enable(c, who.id, now)?;
            let hashes: Vec<String> = codes.iter().map(|c| hash_token(c)).collect();
            repo::set_codes(c, who.id, &hashes)?;
            Ok(codes)
        })
    }

    /// Turns two-factor sign-in off, after the password.
    pub fn disable_second_factor(&self, who: &Account, password: &str) -> Result<(), AppError> {
        self.require_password(who, password)?;
        self.write(|c| Ok(repo::remove(c, who.id)?))
    }

    /// Signs in, asking for a code after the password when the account has two-factor
    /// sign-in on.
    pub fn begin_sign_in(
        &self,
        login: &str,
        password: &str,
        origin: &AttemptOrigin,
        previous_session: Option<&str>,
    ) -> Result<SignInStep, AppError> {
        let account = self.authenticate(login, password, origin)?;
        let now = self.now();
        let pending = self.write(|c| {
            if !enabled(c, account.id)? {
                return Ok(None);
            }
            let token = random_token();
            repo::add_pending(c, &hash_token(&token), account.id, now + PENDING_TTL_MS)?;
            Ok(Some(token))
        })?;
        match pending {
            Some(token) => Ok(SignInStep::Code(token)),
            None => self
                .start_session(account, origin, previous_session)
                .map(SignInStep::Done),
        }
    }

    /// Finishes a sign-in that waits for its code.
    pub fn finish_sign_in(
        &self,
        pending: &str,
        code: &str,
        origin: &AttemptOrigin,
        previous_session: Option<&str>,
    ) -> Result<NewSession, AppError> {
        let now = self.now();
        let hash = hash_token(pending);
        let expired = || {
            AppError::conflict(
                None,
                "this sign-in waited too long for its code: enter your password again",
            )
        };
        let user = self
            .read(|c| Ok(repo::pending_user(c, &hash, now)?))?
            .ok_or_else(expired)?;
        let account_key = format!("account:{user}");
        let strict = AttemptOrigin {
            device_token: None,
            ..origin.clone()
        };
        self.check_throttle(&account_key, Some(user), &strict)?;
        let row = self
            .read(|c| Ok(users::by_id(c, user)?))?
            .ok_or_else(expired)?;
        let ok = self.write(|c| {
            let ok = code_matches(c, user, &row.handle, code, now)?;
            if ok {
                repo::end_pending(c, &hash, now)?;
            } else {
                throttle::record_failure(
                    c,
                    &uuid::Uuid::now_v7().to_string(),
                    &account_key,
                    &origin.address,
                    now,
                )?;
            }
            Ok(ok)
        })?;
        if !ok {
            return Err(AppError::field(
                "/code",
                "this code is not right, or was used already",
            ));
        }
        self.start_session(Account::from(row), origin, previous_session)
    }

    /// Checks the code an API token request carries for an account with two-factor sign-in;
    /// a wrong one counts as a failed sign-in.
    pub(crate) fn check_code_for_token(
        &self,
        account: &Account,
        code: Option<&str>,
        origin: &AttemptOrigin,
    ) -> Result<(), AppError> {
        let now = self.now();
        let on = self.read(|c| enabled(c, account.id))?;
        if !on {
            return Ok(());
        }
        let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
            return Err(AppError::field(
                "/code",
                "this account signs in with a code from its authenticator app: send it as `code`",
            ));
        };
        let account_key = format!("account:{}", account.id);
        let strict = AttemptOrigin {
            device_token: None,
            ..origin.clone()
        };
        self.check_throttle(&account_key, Some(account.id), &strict)?;
        let ok = self.write(|c| {
            let ok = code_matches(c, account.id, &account.handle, code, now)?;
            if !ok {
                throttle::record_failure(
                    c,
                    &uuid::Uuid::now_v7().to_string(),
                    &account_key,
                    &origin.address,
                    now,
                )?;
            }
            Ok(ok)
        })?;
        if ok {
            Ok(())
        } else {
            Err(AppError::InvalidCredentials)
        }
    }
}
