//! A holder's credentials: listing, sharing by a revocable link, revoking; the status lists
//! verifiers read; and verifying a credential against this instance's keys and lists.

use super::{Credential, Signer, list_of};
use crate::AppError;
use crate::accounts::Account;
use crate::communities::Scope;
use crate::events::record;
use guildhall_domain::UserId;
use guildhall_domain::community::Action;
use guildhall_domain::credentials::badge::{self, Kind};
use guildhall_domain::credentials::status_list::{Bitstring, LIST_SIZE};
use guildhall_domain::credentials::{Report, Resolver, format_time, proof, verify};
use guildhall_domain::events::{CredentialNamingChanged, CredentialRevoked, Event};
use guildhall_store::DbConnection;
use guildhall_store::repo::credentials::{self as repo, CredentialRow, Revocation};
use guildhall_store::repo::{communities, mentoring};
use serde::Deserialize;
use serde_json::Value;

/// Why a credential is revoked.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeInput {
    /// The reason, kept in the evidence log: 3 to 500 characters.
    pub reason: String,
}

impl crate::facades::Credentials<'_> {
    /// The caller's credentials, newest first, with whom each is shown to on their profile.
    pub fn mine(&self, who: &Account) -> Result<Vec<Credential>, AppError> {
        self.read(|c| {
            let mut shown = super::profile::audiences_shown(c, who.id)?;
            Ok(repo::of_holder(c, who.id)?
                .into_iter()
                .map(|row| {
                    let id = row.id.clone();
                    Credential {
                        shown_to: shown.remove(&id).unwrap_or_default(),
                        ..row.into()
                    }
                })
                .collect())
        })
    }

    /// One of the caller's credentials; `NotFound` for anyone else's.
    pub fn one(&self, who: &Account, id: &str) -> Result<Credential, AppError> {
        self.read(|c| Ok(held(c, who, id)?.into()))
    }

    /// The credential a shared link opens, while it is shared.
    pub fn shared(&self, token: &str) -> Result<Credential, AppError> {
        self.read(|c| {
            repo::by_share_token(c, token)?
                .map(Credential::from)
                .ok_or(AppError::NotFound)
        })
    }

    /// Shares one of the caller's credentials by a secret link; returns its secret. Sharing
    /// again keeps the link.
    pub fn share(&self, who: &Account, id: &str) -> Result<String, AppError> {
        self.write(|c| {
            let row = held(c, who, id)?;
            if row.revoked.is_some() {
                return Err(AppError::conflict(
                    None,
                    "a revoked credential cannot be shared",
                ));
            }
            if let Some(token) = row.share_token {
                return Ok(token);
            }
            let token = crate::secrets::link_token();
            repo::set_share_token(c, id, Some(&token))?;
            Ok(token)
        })
    }

    /// Ends the shared link of one of the caller's credentials, and so takes it off their
    /// profile, which shows it by that link.
    pub fn unshare(&self, who: &Account, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            held(c, who, id)?;
            repo::set_share_token(c, id, None)?;
            super::profile::take_off_profile(c, who.id, id, now)
        })
    }

    /// Revokes a credential: its holder, an operator, or (for a membership or mentoring
    /// credential) a curator or owner of its community. The reason goes into the evidence log
    /// and the credential's bit in the status list is set.
    pub fn revoke(&self, who: &Account, id: &str, input: &RevokeInput) -> Result<(), AppError> {
        let reason = input.reason.trim();
        if !(3..=500).contains(&reason.chars().count()) {
            return Err(AppError::field("/reason", "say why in 3 to 500 characters"));
        }
        let now = self.now();
        self.write(|c| {
            let row = repo::find(c, id)?.ok_or(AppError::NotFound)?;
            if !may_revoke(c, who, &row)? {
                return Err(if row.holder_id == who.id {
                    AppError::NotFound
                } else {
                    AppError::Forbidden(
                        "only its holder, an operator or its community's curators revoke a credential"
                            .into(),
                    )
                });
            }
            if !revoke_one(c, now, who.id, &row, reason)? {
                return Err(AppError::conflict(None, "this credential is already revoked"));
            }
            Ok(())
        })
    }

    /// Whether the people the caller worked with may show, in their credentials, the
    /// evidence that names the caller.
    pub fn naming(&self, who: &Account) -> Result<bool, AppError> {
        self.read(|c| Ok(!repo::named_in_credentials(c, &[who.id])?.is_empty()))
    }

    /// Lets the people the caller worked with name them in their credentials, or stops it
    /// (credentials already issued keep what they hold).
    pub fn set_naming(&self, who: &Account, allowed: bool) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            repo::set_named_in_credentials(c, who.id, allowed)?;
            record(
                c,
                now,
                Event::CredentialNamingChanged(CredentialNamingChanged {
                    account: who.id.to_string(),
                    allowed,
                }),
            )
        })
    }

    /// The credentials issued about a community (memberships, and mentoring in it), newest
    /// first, for those who may revoke them.
    pub fn of_community(&self, who: &Account, slug: &str) -> Result<Vec<Credential>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::RevokeCredentials)?;
            let mut out = Vec::new();
            for row in repo::about_community(c, scope.id())? {
                if community_of(c, &row)?.as_deref() == Some(scope.id()) {
                    out.push(row.into());
                }
            }
            Ok(out)
        })
    }

    /// Status list `n` (from 1) as a signed `BitstringStatusListCredential`; `NotFound` beyond
    /// the lists in use.
    pub fn status_list(&self, signer: &Signer, n: u64) -> Result<Value, AppError> {
        let now = self.now();
        let revoked = self.read(|c| {
            let next = repo::next_status_index(c)?;
            if n == 0 || n > list_of(next.saturating_sub(1)) {
                return Err(AppError::NotFound);
            }
            Ok(repo::revoked_indexes(c)?)
        })?;
        let mut bits = Bitstring::default();
        let first = (n - 1) * LIST_SIZE;
        for index in revoked.into_iter().filter(|i| list_of(*i) == n) {
            bits.set(index - first);
        }
        let url = signer.status_list_url(n);
        let list =
            badge::status_list_credential(&signer.issuer, &url, &bits.encode(), &format_time(now));
        Ok(proof::sign(
            &list,
            &signer.key,
            &signer.method(),
            &format_time(now),
        ))
    }

    /// Verifies a credential this instance issued, with its keys and its status lists; another
    /// issuer's credential fails the issuer check, naming it.
    pub fn verify(&self, signer: &Signer, credential: &Value) -> Result<Report, AppError> {
        let resolver = Local { app: self, signer };
        let now = jiff::Timestamp::from_millisecond(self.now())
            .map_err(|e| AppError::caused("the clock", e))?;
        Ok(verify(credential, now, &resolver))
    }
}

/// The instance as its own verifier's resolver: its keys, and its lists without HTTP.
struct Local<'a, 'b> {
    app: &'a crate::facades::Credentials<'b>,
    signer: &'a Signer,
}

impl Resolver for Local<'_, '_> {
    fn keys(&self, did: &str) -> Result<Vec<ed25519_dalek::VerifyingKey>, String> {
        if did == self.signer.issuer.did {
            Ok(self.signer.keys())
        } else {
            Err(format!(
                "{did} is not this instance; verify its credentials with `guildhall verify-credential`"
            ))
        }
    }

    fn status_list(&self, url: &str) -> Option<Result<Value, String>> {
        let prefix = format!("{}/credentials/status/", self.signer.issuer.url);
        let n = url.strip_prefix(&prefix)?.parse::<u64>().ok()?;
        Some(
            self.app
                .status_list(self.signer, n)
                .map_err(|e| format!("its status list cannot be read: {e}")),
        )
    }
}

/// The caller's own credential `id`.
fn held(c: &mut DbConnection, who: &Account, id: &str) -> Result<CredentialRow, AppError> {
    repo::find(c, id)?
        .filter(|r| r.holder_id == who.id)
        .ok_or(AppError::NotFound)
}

/// Whether `who` may revoke `row`: its holder, an operator, or whoever the community rule lets
/// revoke the credentials of the community it is about.
fn may_revoke(c: &mut DbConnection, who: &Account, row: &CredentialRow) -> Result<bool, AppError> {
    if row.holder_id == who.id || who.is_operator {
        return Ok(true);
    }
    let Some(community) = community_of(c, row)? else {
        return Ok(false);
    };
    let Some(community) = communities::by_id(c, &community)? else {
        return Ok(false);
    };
    match Scope::of(c, community, Some(who)) {
        Ok(scope) => Ok(scope.may(Action::RevokeCredentials)),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The community a membership or mentoring credential is about.
fn community_of(c: &mut DbConnection, row: &CredentialRow) -> Result<Option<String>, AppError> {
    Ok(match row.kind {
        Kind::Membership => Some(row.subject_ref.clone()),
        Kind::Mentoring => mentoring::mentorship(c, &row.subject_ref)?.map(|m| m.community_id),
        Kind::Contract | Kind::Skill => None,
    })
}

/// Revokes a credential `by` someone allowed to, in the caller's transaction: sets its status
/// bit, takes it off the holder's profile and logs why. False if it was already revoked.
pub(crate) fn revoke_one(
    c: &mut DbConnection,
    now: i64,
    by: UserId,
    row: &CredentialRow,
    reason: &str,
) -> Result<bool, AppError> {
    let revocation = Revocation {
        at: now,
        by: by.to_string(),
        reason: reason.into(),
    };
    if !repo::revoke(c, &row.id, &revocation)? {
        return Ok(false);
    }
    super::profile::take_off_profile(c, row.holder_id, &row.id, now)?;
    record(
        c,
        now,
        Event::CredentialRevoked(CredentialRevoked {
            by: by.to_string(),
            holder: row.holder_id.to_string(),
            credential: row.id.clone(),
            reason: reason.into(),
        }),
    )?;
    Ok(true)
}
