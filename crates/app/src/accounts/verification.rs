//! A member's address, verified through a link mailed to it, and password-reset links members
//! ask for themselves. Both links are made when their mail is sent, never stored in the queue,
//! and only their SHA-256 is kept. A reset link goes only to a verified address; asking for
//! one answers the same whether an account has the address or not, and does the same work in
//! the request either way: it records the request and queues a mail task, and the task, run
//! later, finds out whether there is anyone to write to.

use super::Account;
use crate::AppError;
use crate::mail::Mail;
use crate::secrets::{hash_token, random_token};
use guildhall_domain::UserId;
use guildhall_domain::account::Email;
use guildhall_store::DbConnection;
use guildhall_store::repo::{emails, oversight, users, verification as repo};
use serde_json::json;

/// How long a verification link works.
const VERIFY_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long a reset link a member asked for works.
const RESET_TTL_MS: i64 = 3600 * 1000;
/// Reset links asked for one address, and from one network address, in an hour.
const RESETS_PER_EMAIL: i64 = 3;
const RESETS_PER_ADDRESS: i64 = 20;
/// The shortest pause between two verification mails a member asks for.
pub(super) const RESEND_PAUSE_MS: i64 = 60 * 1000;

/// The payload of a task mailing a verification link to `user`.
pub(crate) fn verify_payload(user: UserId) -> serde_json::Value {
    json!({ "verify": user.to_string() })
}

/// The payload of a task mailing a verification link to `user`'s other address `email`.
pub(crate) fn verify_address_payload(user: UserId, email: &str) -> serde_json::Value {
    json!({ "verify": user.to_string(), "email": email })
}

/// The mail of a verification task, with a fresh link: to the account's address, or to its
/// other address `other`; `None` when that address is verified already, or gone.
pub(crate) fn compose_verification(
    c: &mut DbConnection,
    app: &crate::App,
    user: &str,
    other: Option<&str>,
) -> Result<Option<Mail>, AppError> {
    let Some(row) = user
        .parse::<UserId>()
        .ok()
        .map(|id| users::by_id(c, id))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    let (email, welcome) = match other {
        None if row.email_verified_at.is_none() => (row.email.clone(), true),
        None => return Ok(None),
        Some(other) => match emails::of_user_by_key(c, row.id, &other.to_lowercase())? {
            Some(e) if e.verified_at.is_none() => (e.email, false),
            _ => return Ok(None),
        },
    };
    let token = random_token();
    let now = app.now();
    repo::add_link(
        c,
        &hash_token(&token),
        row.id,
        &email,
        now,
        now + VERIFY_TTL_MS,
    )?;
    let link = format!("{}/verify-email/{token}", crate::mail::link_base(app));
    let (greeting, ignore) = if welcome {
        (
            format!("Welcome to Guildhall, @{}.", row.handle),
            "If you did not create this account, ignore this mail.",
        )
    } else {
        (
            format!(
                "@{} added this address to their Guildhall account.",
                row.handle
            ),
            "If you do not know this account, ignore this mail: the address is not added.",
        )
    };
    let text = format!(
        "{greeting}\n\nOpen this link to confirm that {email} is your address (it works for seven days):\n{link}\n\n{ignore}\n"
    );
    let html = format!(
        "<p>{}</p>\n<p><a href=\"{link}\">Confirm that {} is your address</a> (the link works for seven days).</p>\n<p>{ignore}</p>\n",
        crate::mail::escape_html(&greeting),
        crate::mail::escape_html(&email)
    );
    Ok(Some(Mail {
        to: email,
        subject: "Confirm your address for Guildhall".into(),
        text,
        html,
        unsubscribe: None,
    }))
}

/// The mail of a reset task, with a fresh link; `None` when no account has the address, or
/// its address is not verified.
pub(crate) fn compose_reset(
    c: &mut DbConnection,
    app: &crate::App,
    email_key: &str,
) -> Result<Option<Mail>, AppError> {
    let Some(row) = users::by_login(c, email_key)? else {
        return Ok(None);
    };
    // The account's address if verified, or another verified address of it.
    let to = if row.email_key == email_key {
        row.email_verified_at.map(|_| row.email.clone())
    } else {
        emails::of_user_by_key(c, row.id, email_key)?
            .filter(|e| e.verified_at.is_some())
            .map(|e| e.email)
    };
    let Some(to) = to else {
        return Ok(None);
    };
    let token = random_token();
    let now = app.now();
    oversight::add_reset(c, &hash_token(&token), row.id, now, now + RESET_TTL_MS)?;
    let link = format!("{}/reset-password/{token}", crate::mail::link_base(app));
    Ok(Some(Mail {
        to,
        subject: "Reset your Guildhall password".into(),
        text: format!(
            "Someone (we hope you) asked to reset the password of @{} on Guildhall.\n\nChoose a new password here (the link works once, for an hour):\n{link}\n\nIf it was not you, ignore this mail: your password stays as it is.\n",
            row.handle
        ),
        html: format!(
            "<p>Someone (we hope you) asked to reset the password of @{} on Guildhall.</p>\n<p><a href=\"{link}\">Choose a new password</a> (the link works once, for an hour).</p>\n<p>If it was not you, ignore this mail: your password stays as it is.</p>\n",
            crate::mail::escape_html(&row.handle)
        ),
        unsubscribe: None,
    }))
}

impl crate::facades::Accounts<'_> {
    /// Verifies an address through the link mailed to it.
    pub fn verify_email(&self, token: &str) -> Result<Account, AppError> {
        let now = self.now();
        self.write(|c| {
            let refused = || {
                AppError::Forbidden(
                    "this link is unknown, used or expired: sign in and ask for a new one in your settings"
                        .into(),
                )
            };
            let (user, email) = repo::use_link(c, &hash_token(token), now)?.ok_or_else(refused)?;
            if !repo::set_verified(c, user, &email, now)? {
                // Another address of the account, unless another account verified it first,
                // or it was removed since the link was sent.
                let key = email.to_lowercase();
                if users::by_login(c, &key)?.is_some_and(|owner| owner.id != user) {
                    return Err(AppError::conflict(
                        None,
                        "another account verified this address first",
                    ));
                }
                if !emails::set_verified(c, user, &email, now)? {
                    return Err(refused());
                }
                emails::drop_unverified(c, &key)?;
            }
            users::by_id(c, user)?
                .map(Account::from)
                .ok_or(AppError::NotFound)
        })
    }

    /// Mails the caller a new link to verify their address (at most one a minute).
    pub fn resend_verification(&self, who: &Account) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let row = users::by_id(c, who.id)?.ok_or(AppError::NotFound)?;
            if row.email_verified_at.is_some() {
                return Err(AppError::conflict(None, "your address is verified already"));
            }
            if let Some(at) = repo::newest_link_at(c, who.id)? {
                let wait = at + RESEND_PAUSE_MS - now;
                if wait > 0 {
                    return Err(AppError::RateLimited {
                        retry_after_secs: (wait as u64).div_ceil(1000),
                    });
                }
            }
            crate::queue::enqueue(c, now, crate::queue::MAIL, &verify_payload(who.id))
        })
    }

    /// Asks for a password-reset link for `email`, from the network address `from`. The
    /// answer is the same whether an account has the address or not: the mail task decides,
    /// later, whether there is anyone to write to.
    pub fn request_password_reset(&self, email: &str, from: &str) -> Result<(), AppError> {
        let email = Email::parse(email).map_err(|m| AppError::field("/email", m))?;
        let key = email.lookup_key();
        let now = self.now();
        self.write(|c| {
            let (typed, asked) = repo::reset_requests_since(c, &key, from, now - 3600 * 1000)?;
            if typed >= RESETS_PER_EMAIL || asked >= RESETS_PER_ADDRESS {
                return Err(AppError::RateLimited {
                    retry_after_secs: 3600,
                });
            }
            repo::add_reset_request(c, &key, from, now)?;
            crate::queue::enqueue(c, now, crate::queue::MAIL, &json!({ "reset": key }))
        })
    }
}
