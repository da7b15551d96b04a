//! A member's several addresses: besides the one on their account, others they add and verify
//! through a link mailed to each. Any verified address signs in and may receive a
//! password-reset link; any may become the account's address. The address that stops being
//! the account's, or is removed, is told so by mail.

use super::Account;
use super::verification::RESEND_PAUSE_MS;
use crate::AppError;
use crate::mail::{Mail, escape_html};
use guildhall_domain::UserId;
use guildhall_domain::account::Email;
use guildhall_store::DbConnection;
use guildhall_store::repo::emails::{self as repo, EmailRow};
use guildhall_store::repo::{users, verification};
use serde::Serialize;
use serde_json::json;

/// Most addresses an account has besides its own.
pub const MAX_OTHER_ADDRESSES: usize = 5;

/// One of a member's addresses.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AddressView {
    /// The address.
    pub email: String,
    /// Whether it is the account's address, which receives its mail.
    pub primary: bool,
    /// Whether it was verified through its link: only then does it sign in.
    pub verified: bool,
}

/// The payload of a task telling `to` that it stopped being an address of `user`'s account
/// (`now` is the account's address now, or none when `to` was removed).
fn notice_payload(user: UserId, to: &str, now: Option<&str>) -> serde_json::Value {
    json!({ "address_notice": { "user": user.to_string(), "to": to, "now": now } })
}

/// The mail a notice task sends.
pub(crate) fn compose_notice(
    c: &mut DbConnection,
    payload: &serde_json::Value,
) -> Result<Option<Mail>, AppError> {
    let (Some(user), Some(to)) = (payload["user"].as_str(), payload["to"].as_str()) else {
        return Ok(None);
    };
    let Some(row) = user
        .parse()
        .ok()
        .map(|id| users::by_id(c, id))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    let what = match payload["now"].as_str() {
        Some(now) => format!(
            "is no longer the address of @{} on Guildhall: its mail now goes to {now}",
            row.handle
        ),
        None => format!("was removed from the account @{} on Guildhall", row.handle),
    };
    let advice = "If you did not make this change, reset your password from the sign-in page and tell the instance's operators.";
    Ok(Some(Mail {
        to: to.to_string(),
        subject: "Your Guildhall address changed".into(),
        text: format!("{to} {what}.\n\n{advice}\n"),
        html: format!(
            "<p>{} {}.</p>\n<p>{}</p>\n",
            escape_html(to),
            escape_html(&what),
            escape_html(advice)
        ),
        unsubscribe: None,
    }))
}

/// The account's other address `email` (by its lower-cased key).
fn other_address(c: &mut DbConnection, who: &Account, email: &str) -> Result<EmailRow, AppError> {
    repo::of_user_by_key(c, who.id, &email.trim().to_lowercase())?.ok_or_else(|| {
        AppError::conflict(Some("/email"), "this is not one of your other addresses")
    })
}

impl crate::facades::Accounts<'_> {
    /// The caller's addresses: the account's first, then the others in the order added.
    pub fn addresses(&self, who: &Account) -> Result<Vec<AddressView>, AppError> {
        self.read(|c| {
            let row = users::by_id(c, who.id)?.ok_or(AppError::NotFound)?;
            let mut out = vec![AddressView {
                email: row.email,
                primary: true,
                verified: row.email_verified_at.is_some(),
            }];
            out.extend(repo::of_user(c, who.id)?.into_iter().map(|e| AddressView {
                email: e.email,
                primary: false,
                verified: e.verified_at.is_some(),
            }));
            Ok(out)
        })
    }

    /// Adds an address and mails it a link to verify it; adding an unverified one again mails
    /// a new link (at most one a minute).
    pub fn add_address(&self, who: &Account, email: &str) -> Result<(), AppError> {
        let email = Email::parse(email).map_err(|m| AppError::field("/email", m))?;
        let key = email.lookup_key();
        let now = self.now();
        self.write(|c| {
            let own = users::by_id(c, who.id)?.ok_or(AppError::NotFound)?;
            if own.email_key == key {
                return Err(AppError::conflict(Some("/email"), "this is your account's address already"));
            }
            match repo::of_user_by_key(c, who.id, &key)? {
                Some(row) if row.verified_at.is_some() => {
                    return Err(AppError::conflict(Some("/email"), "you have verified this address already"));
                }
                Some(_) => {
                    if let Some(at) = verification::newest_link_at(c, who.id)?
                        && at + RESEND_PAUSE_MS > now
                    {
                        return Err(AppError::RateLimited {
                            retry_after_secs: ((at + RESEND_PAUSE_MS - now) as u64).div_ceil(1000),
                        });
                    }
                }
                None => {
                    if users::by_login(c, &key)?.is_some() {
                        return Err(AppError::conflict(Some("/email"), "another account uses this address"));
                    }
                    if repo::of_user(c, who.id)?.len() >= MAX_OTHER_ADDRESSES {
                        return Err(AppError::conflict(
                            Some("/email"),
                            format!("an account has at most {MAX_OTHER_ADDRESSES} other addresses: remove one first"),
                        ));
                    }
                    repo::add(
                        c,
                        &EmailRow {
                            user_id: who.id,
                            email: email.to_string(),
                            email_key: key.clone(),
                            created_at: now,
                            verified_at: None,
                        },
                    )?;
                }
            }
            let payload = super::verification::verify_address_payload(who.id, email.as_str());
            crate::queue::enqueue(c, now, crate::queue::MAIL, &payload)
        })
    }

    /// Makes a verified other address the account's address; the one it replaces stays as
    /// another address, and is told by mail.
    pub fn make_primary(&self, who: &Account, email: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let chosen = other_address(c, who, email)?;
            let Some(verified_at) = chosen.verified_at else {
                return Err(AppError::conflict(
                    Some("/email"),
                    "verify this address through its link first",
                ));
            };
            let old = users::by_id(c, who.id)?.ok_or(AppError::NotFound)?;
            repo::remove(c, who.id, &chosen.email_key)?;
            repo::add(
                c,
                &EmailRow {
                    user_id: who.id,
                    email: old.email.clone(),
                    email_key: old.email_key.clone(),
                    created_at: now,
                    verified_at: old.email_verified_at,
                },
            )?;
            users::set_address(
                c,
                who.id,
                &chosen.email,
                &chosen.email_key,
                Some(verified_at),
                now,
            )?;
            if old.email_verified_at.is_some() {
                let payload = notice_payload(who.id, &old.email, Some(&chosen.email));
                crate::queue::enqueue(c, now, crate::queue::MAIL, &payload)?;
            }
            Ok(())
        })
    }

    /// Removes one of the other addresses (the account's own stays); a verified one is told
    /// by mail.
    pub fn remove_address(&self, who: &Account, email: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let row = other_address(c, who, email)?;
            repo::remove(c, who.id, &row.email_key)?;
            if row.verified_at.is_some() {
                let payload = notice_payload(who.id, &row.email, None);
                crate::queue::enqueue(c, now, crate::queue::MAIL, &payload)?;
            }
            Ok(())
        })
    }
}
