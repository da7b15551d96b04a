//! Erasing an account: the member's personal data goes in one transaction, while what others
//! rely on stays true. The evidence log keeps every leaf and proof (the member's view of it
//! goes; the other party of shared work keeps theirs), the ledger keeps every posting, a
//! community the member owned alone passes to its longest-serving curator or to an operator,
//! and credentials already issued keep verifying unless the member asks for them revoked.

use super::Account;
use crate::AppError;
use crate::events::{record, typed};
use guildhall_domain::UserId;
use guildhall_domain::account::Handle;
use guildhall_domain::community::Role;
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::events::{AccountErased, Event, Joined, RoleChanged};
use guildhall_domain::ledger::AccountKind;
use guildhall_domain::money::Money;
use guildhall_store::DbConnection;
use guildhall_store::repo::{communities, contracts, credentials, erasure, events, ledger, users};
use serde::{Deserialize, Serialize};

/// What a member confirms to erase their account.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseAccount {
    /// The account's password, asked again.
    pub password: String,
    /// Whether to revoke every credential the instance issued to the member as well. Without
    /// it, copies they kept go on verifying.
    #[serde(default)]
    pub revoke_credentials: bool,
}

/// What erasing did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Erased {
    /// The placeholder the account's records now name it by.
    pub handle: String,
    /// The communities whose ownership passed on, and to whom.
    pub communities_passed: Vec<PassedOn>,
    /// Evidence entries taken out of the member's view.
    pub evidence_withdrawn: usize,
    /// Credentials revoked on the member's request.
    pub credentials_revoked: usize,
}

/// A community whose ownership passed on when its only owner erased their account.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PassedOn {
    /// The community's name.
    pub community: String,
    /// The handle of its new owner.
    pub to: String,
}

/// Why the account cannot go yet, in words the member can act on.
fn blockers(c: &mut DbConnection, who: UserId) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for account in ledger::accounts_of(c, &who.to_string())? {
        if account.balance != 0 {
            let held = Money::new(account.balance, account.currency).display();
            out.push(match AccountKind::parse(&account.kind) {
                Some(AccountKind::PayoutPending) => format!(
                    "A payout of {held} is on its way to you: wait until it is paid or fails."
                ),
                _ => format!("You hold {held}: pay it out first."),
            });
        }
    }
    for k in contracts::of_user(c, who)? {
        let why = match k.status {
            ContractStatus::Offered => "is offered and not answered: answer or withdraw it",
            ContractStatus::Active => "is active: complete or cancel it",
            ContractStatus::Disputed => "is disputed: wait for the dispute to be resolved",
            _ => continue,
        };
        out.push(format!("The contract “{}” {why} first.", k.title));
    }
    let operators = users::operator_ids(c)?;
    if operators == [who] {
        out.push(
            "You are the instance's only operator: make someone else an operator first.".into(),
        );
    }
    for community in owned_alone(c, who)? {
        if heir(c, &community, who)?.is_none() {
            let name = community_name(c, community)?;
            out.push(format!(
                "You are the only owner of {name}, and it has no curator to pass it to: name another owner first."
            ));
        }
    }
    Ok(out)
}

/// The communities `who` is the only owner of.
fn owned_alone(c: &mut DbConnection, who: UserId) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for (community, role) in communities::of_member(c, who)? {
        if role == Role::Owner && communities::counts(c, &community)?.1 <= 1 {
            out.push(community);
        }
    }
    Ok(out)
}

/// A community's name, or its id if it has gone.
fn community_name(c: &mut DbConnection, id: String) -> Result<String, AppError> {
    Ok(communities::by_id(c, &id)?.map_or(id, |k| k.name))
}

/// Who takes over a community its only owner leaves: the longest-serving curator, else an
/// operator of the instance (oldest account first). With the role they hold now, if any.
fn heir(
    c: &mut DbConnection,
    community: &str,
    leaving: UserId,
) -> Result<Option<(UserId, Option<Role>)>, AppError> {
    let members = communities::members(c, community)?;
    if let Some((curator, _)) = members
        .iter()
        .find(|(m, role)| *role == Role::Curator && *m != leaving)
    {
        return Ok(Some((*curator, Some(Role::Curator))));
    }
    let mut operators = users::operator_ids(c)?;
    operators.sort();
    Ok(operators.into_iter().find(|o| *o != leaving).map(|o| {
        let role = members.iter().find(|(m, _)| *m == o).map(|(_, r)| *r);
        (o, role)
    }))
}

/// Passes each community `who` owns alone to its heir, in the caller's transaction.
fn pass_ownership(c: &mut DbConnection, now: i64, who: UserId) -> Result<Vec<PassedOn>, AppError> {
    let mut passed = Vec::new();
    for community in owned_alone(c, who)? {
        let (heir, had) = heir(c, &community, who)?.ok_or_else(|| {
            AppError::conflict(None, "a community you own alone has no one to pass it to")
        })?;
        let from = match had {
            Some(role) => role,
            None => {
                communities::add_member(c, &community, heir, Role::Member, now)?;
                record(
                    c,
                    now,
                    Event::Joined(Joined {
                        member: heir.to_string(),
                        community: community.clone(),
                        invitation: None,
                        via: None,
                    }),
                )?;
                Role::Member
            }
        };
        communities::set_role(c, &community, heir, Role::Owner)?;
        record(
            c,
            now,
            Event::RoleChanged(RoleChanged {
                by: who.to_string(),
                community: community.clone(),
                member: heir.to_string(),
                from: from.as_str().into(),
                to: Role::Owner.as_str().into(),
            }),
        )?;
        let name = community_name(c, community)?;
        let handle = users::by_id(c, heir)?.map(|u| u.handle).unwrap_or_default();
        passed.push(PassedOn {
            community: name,
            to: handle,
        });
    }
    Ok(passed)
}

/// Takes the free text out of every change-feed row that mentions `who`.
fn scrub_feed(c: &mut DbConnection, who: UserId, placeholder: &str) -> Result<(), AppError> {
    for row in events::mentioning(c, who)? {
        let mut event = typed(&row)?;
        let before = event.clone();
        event.scrub(placeholder);
        if event != before {
            events::set_payload(c, row.seq, &event.parts().data.to_string())?;
        }
    }
    Ok(())
}

impl crate::facades::Accounts<'_> {
    /// Why the account cannot be erased yet; empty when it can.
    pub fn erasure_blockers(&self, who: &Account) -> Result<Vec<String>, AppError> {
        self.read(|c| blockers(c, who.id))
    }

    /// Erases the caller's account after their password, in one transaction: refused while
    /// money is held for them or a contract is under way. Files only the member had (their
    /// exports, what they attached to messages) leave the file store afterwards.
    pub fn erase_account(&self, who: &Account, input: &EraseAccount) -> Result<Erased, AppError> {
        self.require_password(who, &input.password)?;
        let now = self.now();
        let placeholder = Handle::erased(who.id);
        let (erased, files) = self.write(|c| {
            crate::evidence::append_all_pending(c)?;
            // Whoever was to be told of what came before is told now, so nothing is told to
            // the erased account afterwards.
            crate::notifications::tell_all_pending(c)?;
            let stopped = blockers(c, who.id)?;
            if !stopped.is_empty() {
                return Err(AppError::conflict(None, stopped.join(" ")));
            }
            let identity = erasure::identity(c, who.id)?.ok_or(AppError::Unauthenticated)?;
            let files = erasure::left_behind(c, who.id)?;
            let communities_passed = pass_ownership(c, now, who.id)?;
            let mut credentials_revoked = 0;
            if input.revoke_credentials {
                for row in credentials::of_holder(c, who.id)? {
                    if crate::credentials::manage::revoke_one(
                        c,
                        now,
                        who.id,
                        &row,
                        "erased on request",
                    )? {
                        credentials_revoked += 1;
                    }
                }
            }
            let evidence_withdrawn = crate::evidence::bundles::erase_view(c, now, who, who.id)?;
            scrub_feed(c, who.id, placeholder.as_str())?;
            erasure::erase(c, &identity, placeholder.as_str(), now)?;
            record(
                c,
                now,
                Event::AccountErased(AccountErased {
                    account: who.id.to_string(),
                    communities_passed: communities_passed.len() as u64,
                    credentials_revoked: input.revoke_credentials,
                }),
            )?;
            let erased = Erased {
                handle: placeholder.to_string(),
                communities_passed,
                evidence_withdrawn,
                credentials_revoked,
            };
            Ok((erased, files))
        })?;
        let keys = files.exports.into_iter().chain(
            files
                .attachments
                .iter()
                .map(|sha| crate::files::key_of(sha)),
        );
        for key in keys {
            if let Err(e) = self.settings.files.delete(&key) {
                tracing::warn!(error = %e, "an erased member's file stayed in the file store");
            }
        }
        Ok(erased)
    }
}
