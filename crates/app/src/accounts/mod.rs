//! Accounts: sign-up, sign-in with throttling, sessions, sign-out, password changes.

pub(crate) mod addresses;
mod erasure;
mod second_factor;
mod signed_in;
mod signin;
mod throttling;
pub(crate) mod verification;

pub use addresses::AddressView;
pub use erasure::{EraseAccount, Erased, PassedOn};
pub use second_factor::{SecondFactorView, SetUp, SignInStep};
pub use signed_in::SessionView;
pub use signin::NewSession;
pub use throttling::AttemptOrigin;

use crate::events::record;
use crate::policy::Registration;
use crate::secrets::hash_token;
use crate::{AppError, PasswordCost};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use guildhall_domain::account::{Email, Handle, check_new_password};
use guildhall_domain::audience::{Audience, AudienceSet};
use guildhall_domain::events::{AccountCreated, Event, PasswordChanged};
use guildhall_domain::profile::ItemData;
use guildhall_domain::{FieldErrors, UserId};
use guildhall_store::repo::{items, sessions, tokens, users};
use serde::Serialize;

/// A signed-in account as use cases see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Account {
    /// The account's id (UUIDv7), fixed when the account is made.
    #[schema(value_type = String)]
    pub id: UserId,
    /// Unique public name: 3 to 30 of a-z, 0-9, `_` and `-`, starting with a letter.
    pub handle: String,
    /// Sign-in address.
    pub email: String,
    /// May administer the instance.
    pub is_operator: bool,
    /// Creation time, Unix ms.
    pub created_at: i64,
    /// Whether the sign-in address is verified: until it is, it receives only the mail that
    /// verifies it, and no password-reset link.
    pub email_verified: bool,
}

impl Account {
    /// Refuses unless this is an operator of the instance; `doing` completes "only the
    /// instance's operators …".
    pub fn require_operator(&self, doing: &str) -> Result<(), AppError> {
        if self.is_operator {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "only the instance's operators {doing}"
            )))
        }
    }
}

impl From<users::UserRow> for Account {
    fn from(u: users::UserRow) -> Self {
        Account {
            id: u.id,
            handle: u.handle,
            email: u.email,
            is_operator: u.is_operator,
            created_at: u.created_at,
            email_verified: u.email_verified_at.is_some(),
        }
    }
}

/// What sign-up asks for.
#[derive(Clone, Debug)]
pub struct SignUp {
    /// Wanted handle.
    pub handle: String,
    /// Sign-in address.
    pub email: String,
    /// In clear: 12 to 256 characters, hard to guess; only its Argon2id hash is stored.
    pub password: String,
    /// Name to show; defaults to the handle.
    pub display_name: Option<String>,
}

/// Whether a password change also revokes the account's API tokens: by default it does, since
/// a password changed because it leaked may have been used to issue tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RevokeTokens {
    /// Revoke every API token (the default).
    #[default]
    Yes,
    /// Keep them working.
    No,
}

/// What a password change ends: every session but one, and the API tokens unless kept.
pub(crate) struct Ends<'a> {
    /// The hash of the session that stays signed in, if any.
    pub keep_session: Option<&'a str>,
    /// Whether the API tokens are revoked too.
    pub revoke_tokens: RevokeTokens,
}

/// Stores a new password hash, ends what `ends` says and records the change, inside the
/// caller's transaction.
/// The handles of accounts named by their ids' text (as the change feed, the evidence log and
/// search documents name them), keyed by that text. Text that is not an account id is a
/// corrupt store, not an account to leave out.
pub(crate) fn handles_by_id_text(
    c: &mut guildhall_store::DbConnection,
    ids: &[String],
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let ids: Vec<UserId> = ids
        .iter()
        .cloned()
        .map(UserId::try_from)
        .collect::<Result<_, _>>()
        .map_err(guildhall_store::StoreError::from)?;
    Ok(users::handles(c, &ids)?
        .into_iter()
        .map(|(id, handle)| (id.to_string(), handle))
        .collect())
}

pub(crate) fn replace_password(
    c: &mut guildhall_store::DbConnection,
    now: i64,
    user_id: UserId,
    hash: &str,
    ends: Ends<'_>,
    by_reset_link: bool,
) -> Result<(), AppError> {
    users::set_password(c, user_id, hash, now)?;
    sessions::delete_others(c, user_id, ends.keep_session)?;
    if ends.revoke_tokens == RevokeTokens::Yes {
        tokens::revoke_all(c, user_id, now)?;
    }
    record(
        c,
        now,
        Event::PasswordChanged(PasswordChanged {
            account: user_id.to_string(),
            by_reset_link: by_reset_link.then_some(true),
        }),
    )
}

/// What a suspended account is told when it signs in with the right password.
pub const SUSPENDED: &str =
    "this account is suspended: write to the instance's operators to ask why or to appeal";

fn argon2(cost: PasswordCost) -> Argon2<'static> {
    let params = match cost {
        PasswordCost::Standard => Params::new(19 * 1024, 2, 1, None),
        PasswordCost::Fast => Params::new(1024, 1, 1, None),
    }
    .expect("argon2 parameters are constants");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl crate::facades::Accounts<'_> {
    pub(crate) fn hash_password(&self, password: &str) -> Result<String, AppError> {
        let mut salt_bytes = [0u8; 16];
        getrandom::fill(&mut salt_bytes)
            .map_err(|e| AppError::internal(format!("drawing a password salt: {e}")))?;
        let salt = SaltString::encode_b64(&salt_bytes)
            .map_err(|e| AppError::internal(format!("encoding a password salt: {e}")))?;
        argon2(self.settings().password_cost)
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal(format!("hashing a password: {e}")))
    }

    pub(super) fn password_matches(&self, password: &str, stored: &str) -> bool {
        // Parameters come from the stored hash, so a cost change applies to new hashes only.
        PasswordHash::new(stored)
            .map(|h| {
                argon2(self.settings().password_cost)
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    }

    /// Refuses unless `password` is the account's own, said beside the `password` field: the
    /// check before a step that cannot be undone.
    pub(super) fn require_password(&self, who: &Account, password: &str) -> Result<(), AppError> {
        let user = self
            .read(|c| Ok(users::by_id(c, who.id)?))?
            .ok_or(AppError::Unauthenticated)?;
        if !self.password_matches(password, &user.password_hash) {
            return Err(AppError::field("/password", "this is not your password"));
        }
        Ok(())
    }

    /// Creates an account, when the instance's policy lets anyone join. Operators are made with
    /// `admin create-user`.
    pub fn sign_up(&self, input: SignUp) -> Result<Account, AppError> {
        self.register(input, None)
    }

    /// Creates an account for someone holding a live invitation to one of the instance's
    /// communities (open and invitation-only instances); they accept it next.
    pub fn sign_up_invited(&self, input: SignUp, invitation: &str) -> Result<Account, AppError> {
        self.register(input, Some(invitation))
    }

    fn register(&self, input: SignUp, invitation: Option<&str>) -> Result<Account, AppError> {
        match (self.instance().policy()?.registration, invitation) {
            (Registration::Closed, _) => {
                return Err(AppError::Forbidden(
                    "this instance is not taking new members: ask its operators for an account"
                        .into(),
                ));
            }
            (Registration::Invitation, None) => {
                return Err(AppError::Forbidden(
                    "joining this instance needs an invitation: open the invitation link you were sent"
                        .into(),
                ));
            }
            (_, Some(token)) => {
                let now = self.now();
                self.read(|c| crate::communities::admission::live_invitation(c, token, now))
                    .map_err(|e| match e {
                        AppError::NotFound => AppError::field(
                            "/invitation",
                            "this invitation is unknown, used up or expired",
                        ),
                        other => other,
                    })?;
            }
            (_, None) => {}
        }
        self.create_account(input, false)
    }

    /// Creates an account, optionally an operator.
    pub fn create_account(&self, input: SignUp, is_operator: bool) -> Result<Account, AppError> {
        let mut errors = FieldErrors::new();
        let handle = Handle::parse(&input.handle)
            .map_err(|m| errors.add("/handle", m))
            .ok();
        let email = Email::parse(&input.email)
            .map_err(|m| errors.add("/email", m))
            .ok();
        let own_words = [
            input.handle.as_str(),
            input.email.as_str(),
            input.display_name.as_deref().unwrap_or_default(),
        ];
        if let Err(m) = check_new_password(&input.password, &own_words) {
            errors.add("/password", m);
        }
        let display_name = input.display_name.clone().filter(|n| !n.trim().is_empty());
        let display = display_name.map(|name| ItemData::DisplayName { name }.validate());
        if let Some(Err(e)) = &display {
            for f in &e.0 {
                errors.add("/display_name", f.message.clone());
            }
        }
        let (Some(handle), Some(email), true) = (handle, email, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let display = display
            .and_then(Result::ok)
            .unwrap_or(ItemData::DisplayName {
                name: handle.to_string(),
            });
        let hash = self.hash_password(&input.password)?;
        let now = self.now();
        let row = new_user(&handle, &email, hash, is_operator, now);
        self.write(|c| {
            let account = insert_account(c, &row, &display, now)?;
            crate::queue::enqueue(
                c,
                now,
                crate::queue::MAIL,
                &verification::verify_payload(row.id),
            )?;
            Ok(account)
        })
    }

    /// Changes a password after checking the current one; ends every other session.
    pub fn change_password(
        &self,
        account: &Account,
        current: &str,
        new: &str,
        keep_session: Option<&str>,
        revoke_tokens: RevokeTokens,
    ) -> Result<(), AppError> {
        let mut errors = FieldErrors::new();
        if let Err(m) = check_new_password(new, &[&account.handle, &account.email]) {
            errors.add("/new_password", m);
        }
        let user = self
            .read(|c| Ok(users::by_id(c, account.id)?))?
            .ok_or(AppError::Unauthenticated)?;
        if !self.password_matches(current, &user.password_hash) {
            errors.add("/current_password", "is not your current password");
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let hash = self.hash_password(new)?;
        let now = self.now();
        let keep = keep_session.map(hash_token);
        self.write(|c| {
            let ends = Ends {
                keep_session: keep.as_deref(),
                revoke_tokens,
            };
            replace_password(c, now, account.id, &hash, ends, false)
        })
    }

    /// The account with this handle.
    pub fn account_by_handle(&self, handle: &str) -> Result<Option<Account>, AppError> {
        self.read(|c| Ok(users::by_handle(c, handle)?.map(Account::from)))
    }
}

/// A new account's row, its address not yet verified.
pub(crate) fn new_user(
    handle: &Handle,
    email: &Email,
    password_hash: String,
    is_operator: bool,
    now: i64,
) -> users::UserRow {
    users::UserRow {
        id: UserId::new(),
        handle: handle.to_string(),
        email: email.to_string(),
        email_key: email.lookup_key(),
        password_hash,
        is_operator,
        created_at: now,
        updated_at: now,
        email_verified_at: None,
    }
}

/// Writes a new account in the caller's transaction: its row, its starter profile and the
/// event; refuses a handle or address already taken. The caller sends (or skips) the mail
/// that verifies the address.
pub(crate) fn insert_account(
    c: &mut guildhall_store::DbConnection,
    row: &users::UserRow,
    display: &ItemData,
    now: i64,
) -> Result<Account, AppError> {
    if users::by_handle(c, &row.handle)?.is_some() {
        return Err(AppError::conflict(Some("/handle"), "this handle is taken"));
    }
    if users::by_login(c, &row.email_key)?.is_some() {
        return Err(AppError::conflict(
            Some("/email"),
            "an account already uses this address",
        ));
    }
    users::insert(c, row).map_err(|e| match e {
        guildhall_store::StoreError::Unique(_) => {
            AppError::conflict(Some("/handle"), "this handle or address is taken")
        }
        other => other.into(),
    })?;
    // Another account's unverified claim of the address lapses.
    guildhall_store::repo::emails::drop_unverified(c, &row.email_key)?;
    // The sign-in address is also the first contact email, private until shared; the
    // display name starts public so a new profile is never blank; clients see how the
    // member's contracts ended and what reviews said, until the member narrows it.
    let reputation = |figure: &str| {
        (
            ItemData::Reputation {
                figure: figure.into(),
            },
            AudienceSet::of([Audience::Clients]),
        )
    };
    let starter = [
        (display.clone(), AudienceSet::of([Audience::Public])),
        (
            ItemData::Email {
                address: row.email.clone(),
                label: "sign-in".into(),
            },
            AudienceSet::of([Audience::Private]),
        ),
        reputation("completion"),
        reputation("review_score"),
    ];
    for (position, (data, audiences)) in starter.into_iter().enumerate() {
        items::insert(
            c,
            &crate::profiles::item_row(row.id, position as i32, &audiences, &data, now),
        )?;
    }
    record(
        c,
        now,
        Event::AccountCreated(AccountCreated {
            account: row.id.to_string(),
            handle: row.handle.clone(),
            operator: row.is_operator,
        }),
    )?;
    Ok(Account::from(row.clone()))
}

#[cfg(test)]
mod tests {
    use super::throttling::ACCOUNT_FREE_FAILURES;
    use super::*;
    use crate::App;
    use crate::testing::app;
    use guildhall_store::testdb::TestDb;

    fn signup(handle: &str) -> SignUp {
        SignUp {
            handle: handle.into(),
            email: format!("{handle}@example.org"),
            password: "correct horse battery".into(),
            display_name: None,
        }
    }

    #[test]
    fn handle_and_email_share_one_throttle() {
        for db in TestDb::all() {
            let app = app(&db);
            app.accounts().sign_up(signup("ada")).unwrap();
            let attacker = AttemptOrigin {
                address: "192.0.2.7".into(),
                device_token: None,
                ..AttemptOrigin::default()
            };
            // Alternating the handle and the address does not double the free attempts.
            for i in 0..ACCOUNT_FREE_FAILURES {
                let login = if i % 2 == 0 { "ada" } else { "ADA@example.org" };
                assert!(matches!(
                    app.accounts()
                        .sign_in(login, "wrong password!!", &attacker, None),
                    Err(AppError::InvalidCredentials)
                ));
            }
            for login in ["ada", "ada@example.org"] {
                assert!(matches!(
                    app.accounts()
                        .sign_in(login, "wrong password!!", &attacker, None),
                    Err(AppError::RateLimited { .. })
                ));
            }
        }
    }

    #[test]
    fn sign_up_validates_every_field_at_once() {
        let db = TestDb::sqlite().unwrap();
        let app = app(&db);
        let err = app
            .accounts()
            .sign_up(SignUp {
                handle: "x".into(),
                email: "nope".into(),
                password: "short".into(),
                display_name: None,
            })
            .unwrap_err();
        let AppError::Validation(e) = err else {
            panic!("{err:?}")
        };
        let paths: Vec<_> = e.0.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["/handle", "/email", "/password"]);
    }

    #[test]
    fn duplicate_handle_and_email_conflict() {
        for db in TestDb::all() {
            let app = app(&db);
            app.accounts().sign_up(signup("ada")).unwrap();
            assert!(matches!(
                app.accounts().sign_up(signup("ada")),
                Err(AppError::Conflict { .. })
            ));
            let mut other = signup("grace");
            other.email = "ADA@example.org".into();
            assert!(matches!(
                app.accounts().sign_up(other),
                Err(AppError::Conflict { .. })
            ));
        }
    }

    #[test]
    fn throttling_slows_attackers_but_not_a_trusted_device() {
        for db in TestDb::all() {
            let app = app(&db);
            app.accounts().sign_up(signup("ada")).unwrap();
            let owner = AttemptOrigin {
                address: "10.0.0.1".into(),
                device_token: None,
                ..AttemptOrigin::default()
            };
            let first = app
                .accounts()
                .sign_in("ada", "correct horse battery", &owner, None)
                .unwrap();
            let device = first
                .device_token
                .clone()
                .expect("a new device is remembered");
            let attacker = AttemptOrigin {
                address: "192.0.2.7".into(),
                device_token: None,
                ..AttemptOrigin::default()
            };
            for _ in 0..ACCOUNT_FREE_FAILURES {
                assert!(matches!(
                    app.accounts()
                        .sign_in("ada", "wrong password!!", &attacker, None),
                    Err(AppError::InvalidCredentials)
                ));
            }
            // The attacker, and any untrusted browser, now has to wait...
            assert!(matches!(
                app.accounts()
                    .sign_in("ada", "wrong password!!", &attacker, None),
                Err(AppError::RateLimited { .. })
            ));
            let new_browser = AttemptOrigin {
                address: "10.0.0.1".into(),
                device_token: None,
                ..AttemptOrigin::default()
            };
            assert!(matches!(
                app.accounts()
                    .sign_in("ada", "correct horse battery", &new_browser, None),
                Err(AppError::RateLimited { .. })
            ));
            // ...but the owner's own browser still gets in, and the session id is new.
            let trusted = AttemptOrigin {
                address: "10.0.0.1".into(),
                device_token: Some(device),
                ..AttemptOrigin::default()
            };
            let again = app
                .accounts()
                .sign_in(
                    "ada",
                    "correct horse battery",
                    &trusted,
                    Some(&first.session_token),
                )
                .unwrap();
            assert_ne!(again.session_token, first.session_token);
            assert!(
                app.accounts()
                    .session_account(&first.session_token)
                    .unwrap()
                    .is_none(),
                "old session ended"
            );
            assert!(
                app.accounts()
                    .session_account(&again.session_token)
                    .unwrap()
                    .is_some()
            );
        }
    }

    #[test]
    fn purge_drops_expired_sessions_only() {
        let db = TestDb::sqlite().unwrap();
        let clock = std::sync::Arc::new(crate::clock::ManualClock::at(1_000_000));
        let app = App::new(
            db.pool(),
            clock.clone(),
            crate::AppSettings {
                password_cost: PasswordCost::Fast,
                ..Default::default()
            },
        );
        app.accounts().sign_up(signup("ada")).unwrap();
        let s = app
            .accounts()
            .sign_in(
                "ada",
                "correct horse battery",
                &AttemptOrigin::default(),
                None,
            )
            .unwrap();
        assert_eq!(app.accounts().purge_expired().unwrap(), 0);
        clock.advance(app.settings().session_ttl.as_millis() as i64 + 1);
        assert!(
            app.accounts()
                .session_account(&s.session_token)
                .unwrap()
                .is_none(),
            "expired sessions do not sign in"
        );
        assert_eq!(app.accounts().purge_expired().unwrap(), 1);
    }

    #[test]
    fn change_password_ends_other_sessions() {
        let db = TestDb::sqlite().unwrap();
        let app = app(&db);
        let account = app.accounts().sign_up(signup("ada")).unwrap();
        let origin = AttemptOrigin::default();
        let a = app
            .accounts()
            .sign_in("ada", "correct horse battery", &origin, None)
            .unwrap();
        let b = app
            .accounts()
            .sign_in("ada@example.org", "correct horse battery", &origin, None)
            .unwrap();
        let token = app
            .accounts()
            .create_token(&account, "laptop")
            .unwrap()
            .token;
        assert!(
            app.accounts()
                .change_password(
                    &account,
                    "wrong",
                    "a new long password",
                    None,
                    RevokeTokens::Yes
                )
                .is_err()
        );
        app.accounts()
            .change_password(
                &account,
                "correct horse battery",
                "a new long password",
                Some(&a.session_token),
                RevokeTokens::Yes,
            )
            .unwrap();
        assert!(
            app.accounts()
                .session_account(&a.session_token)
                .unwrap()
                .is_some()
        );
        assert!(
            app.accounts()
                .session_account(&b.session_token)
                .unwrap()
                .is_none()
        );
        assert!(
            app.accounts().token_account(&token).unwrap().is_none(),
            "API tokens are revoked by default"
        );
        assert!(
            app.accounts()
                .sign_in("ada", "a new long password", &origin, None)
                .is_ok()
        );
        // Keeping them is a choice.
        let kept = app
            .accounts()
            .create_token(&account, "server")
            .unwrap()
            .token;
        app.accounts()
            .change_password(
                &account,
                "a new long password",
                "correct horse battery",
                None,
                RevokeTokens::No,
            )
            .unwrap();
        assert!(app.accounts().token_account(&kept).unwrap().is_some());
    }

    #[test]
    fn passwords_easy_to_guess_are_refused_with_the_members_own_words() {
        let db = TestDb::sqlite().unwrap();
        let app = app(&db);
        let mut weak = signup("ada_lovelace");
        weak.password = "ada_lovelace1815".into();
        let Err(AppError::Validation(e)) = app.accounts().sign_up(weak) else {
            panic!("a password made of the handle was accepted");
        };
        assert!(e.0.iter().any(|f| f.path == "/password"), "{e}");
        let account = app.accounts().sign_up(signup("ada_lovelace")).unwrap();
        let Err(AppError::Validation(e)) = app.accounts().change_password(
            &account,
            "correct horse battery",
            "password12345",
            None,
            RevokeTokens::Yes,
        ) else {
            panic!("a common password was accepted");
        };
        assert!(e.0.iter().any(|f| f.path == "/new_password"), "{e}");
    }
}
