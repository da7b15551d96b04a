//! Looking after accounts: making and unmaking operators, suspending accounts, one-time
//! password-reset links, and the audit log every operator action is written to. The same use
//! cases serve the operators' page (as a signed-in operator) and `guildhall admin` (as the
//! command line on the server, which reached the data folder and needs no account).

use crate::AppError;
use crate::accounts::{Account, Ends, RevokeTokens, replace_password};
use crate::events::record;
use crate::page::{Page, PageRequest};
use crate::secrets::{hash_token, random_token};
use guildhall_domain::UserId;
use guildhall_domain::account::{Handle, check_new_password};
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::events::{Event, OfferAnswered};
use guildhall_domain::job::JobStatus;
use guildhall_store::DbConnection;
use guildhall_store::repo::oversight::{self as repo, ActionRow};
use guildhall_store::repo::{contracts, jobs, mentoring, sessions, users};
use serde::Serialize;

/// How long a password-reset link works.
pub const RESET_LINK_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// Longest reason an operator may give.
pub const MAX_REASON_CHARS: usize = 500;

/// Who takes an operator action, as the audit log names them. Holding one is the permission
/// to act: the only ways to get one check it.
#[derive(Clone, Debug)]
pub struct Actor {
    operator_id: Option<String>,
    name: String,
}

impl Actor {
    /// A signed-in operator; anyone else is refused.
    pub fn operator(account: &Account) -> Result<Actor, AppError> {
        account.require_operator("look after accounts")?;
        Ok(Actor {
            operator_id: Some(account.id.to_string()),
            name: account.handle.clone(),
        })
    }

    /// Who asked, as money requests name them: the operator's id, or `command line`.
    pub(crate) fn requester(&self) -> String {
        self.operator_id
            .clone()
            .unwrap_or_else(|| self.name.clone())
    }

    /// `guildhall admin` on the server: whoever can run it can read the data folder already.
    pub fn command_line() -> Actor {
        Actor {
            operator_id: None,
            name: "command line".into(),
        }
    }

    /// The payment provider's own word (its refusal, or its notice that money arrived): no
    /// person acted.
    pub(crate) fn provider() -> Actor {
        Actor {
            operator_id: None,
            name: "payment provider".into(),
        }
    }

    /// The operator's account, when a person acted.
    pub(crate) fn account(&self) -> Option<UserId> {
        self.operator_id.as_deref().and_then(|id| id.parse().ok())
    }
}

/// Appends one action to the operators' audit log, inside the caller's transaction.
pub(crate) fn audit(
    c: &mut DbConnection,
    now: i64,
    actor: &Actor,
    action: &str,
    subject: &str,
    reason: &str,
) -> Result<(), AppError> {
    repo::log_action(
        c,
        &ActionRow {
            id: uuid::Uuid::now_v7().to_string(),
            at: now,
            operator_id: actor.operator_id.clone(),
            actor: actor.name.clone(),
            action: action.into(),
            subject: subject.into(),
            reason: reason.into(),
        },
    )?;
    Ok(())
}

/// One entry of the audit log.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// When, Unix ms.
    pub at: i64,
    /// Who: an operator's handle, or `command line`.
    pub actor: String,
    /// What, as a code such as `account.suspended`.
    pub action: String,
    /// What, in words.
    pub what: String,
    /// About whom or what.
    pub subject: String,
    /// Why, as the operator gave it (may be empty).
    pub reason: String,
}

/// Plain words for an action code.
pub fn action_words(action: &str) -> &'static str {
    match action {
        "account.created" => "created an account",
        "account.promoted" => "made an operator",
        "account.demoted" => "stopped being an operator",
        "account.suspended" => "suspended",
        "account.unsuspended" => "suspension lifted",
        "account.reset_link" => "password-reset link issued",
        "policy.changed" => "changed the instance policy",
        "community.vetted" => "marked a community as vetted",
        "community.unvetted" => "took a community off the vetted list",
        "money.transferred" => "moved money between ledger accounts",
        "money.deposit_confirmed" => "confirmed a deposit",
        "dispute.resolved" => "resolved a dispute",
        "text.published" => "published a site text",
        _ => "other action",
    }
}

/// Accounts operators watch: who operates the instance and who is suspended.
#[derive(Clone, Debug, Serialize)]
pub struct Oversight {
    /// Operators' handles.
    pub operators: Vec<String>,
    /// Suspended accounts' handles with when each was suspended (Unix ms).
    pub suspended: Vec<(String, i64)>,
}

fn check_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field(
            "/reason",
            "say why, for the audit log: a few words are enough",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::field(
            "/reason",
            format!("keep it under {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(reason.to_string())
}

fn account_named(c: &mut DbConnection, handle: &str) -> Result<users::UserRow, AppError> {
    users::by_handle(c, handle)?.ok_or_else(|| {
        let typed = Handle::lookup_key(handle);
        AppError::field("/handle", format!("nobody has the handle @{typed}"))
    })
}

/// Withdraws what a suspended account left open for others to answer: contract offers it made
/// or received, its open jobs and its mentoring offers.
fn withdraw_open_offers(c: &mut DbConnection, now: i64, user_id: UserId) -> Result<(), AppError> {
    for row in contracts::of_user(c, user_id)? {
        if row.status != ContractStatus::Offered {
            continue;
        }
        contracts::set_status(c, row.id, ContractStatus::Declined, now)?;
        record(
            c,
            now,
            Event::OfferWithdrawn(OfferAnswered {
                by: None,
                contract: row.id.to_string(),
                client: row.client_id.to_string(),
                member: row.member_id.to_string(),
                data_member: Some(row.member_id.to_string()),
                offered_at: Some(row.created_at),
                suspended: Some(user_id.to_string()),
                mentor: None,
            }),
        )?;
    }
    for job in jobs::of_client(c, user_id)? {
        if job.status == JobStatus::Open {
            jobs::set_status(c, &job.id, JobStatus::Closed, now)?;
        }
    }
    for offer in mentoring::active_offers_by(c, user_id)? {
        mentoring::close_offer(c, &offer.id)?;
    }
    Ok(())
}

impl crate::facades::Instance<'_> {
    /// Who operates the instance and which accounts are suspended.
    pub fn oversight(&self, _permission: &Actor) -> Result<Oversight, AppError> {
        self.read(|c| {
            let ids = users::operator_ids(c)?;
            let mut operators: Vec<String> = users::handles(c, &ids)?
                .into_iter()
                .map(|(_, h)| h)
                .collect();
            operators.sort();
            Ok(Oversight {
                operators,
                suspended: repo::suspended_handles(c)?,
            })
        })
    }

    /// Makes the account at `handle` an operator.
    pub fn promote(&self, actor: &Actor, handle: &str, reason: &str) -> Result<(), AppError> {
        let reason = check_reason(reason)?;
        let now = self.now();
        self.write(|c| {
            let user = account_named(c, handle)?;
            if repo::is_suspended(c, user.id)? {
                return Err(AppError::conflict(
                    Some("/handle"),
                    format!("@{} is suspended: lift the suspension first", user.handle),
                ));
            }
            if user.is_operator {
                return Err(AppError::conflict(
                    Some("/handle"),
                    format!("@{} is an operator already", user.handle),
                ));
            }
            users::set_operator(c, user.id, true, now)?;
            audit(c, now, actor, "account.promoted", &user.handle, &reason)
        })
    }

    /// Takes operator rights from the account at `handle`; the last operator keeps them, so
    /// the instance is never left without one.
    pub fn demote(&self, actor: &Actor, handle: &str, reason: &str) -> Result<(), AppError> {
        let reason = check_reason(reason)?;
        let now = self.now();
        self.write(|c| {
            let user = account_named(c, handle)?;
            if !user.is_operator {
                return Err(AppError::conflict(
                    Some("/handle"),
                    format!("@{} is not an operator", user.handle),
                ));
            }
            if users::operator_ids(c)?.len() <= 1 {
                return Err(AppError::conflict(
                    Some("/handle"),
                    format!(
                        "@{} is the only operator: make someone else an operator first",
                        user.handle
                    ),
                ));
            }
            users::set_operator(c, user.id, false, now)?;
            audit(c, now, actor, "account.demoted", &user.handle, &reason)
        })
    }

    /// Suspends the account at `handle`: it is signed out everywhere, cannot sign in or use
    /// its tokens, is hidden from search, and its open offers are withdrawn. Operators are
    /// demoted before they can be suspended.
    pub fn suspend(&self, actor: &Actor, handle: &str, reason: &str) -> Result<(), AppError> {
        let reason = check_reason(reason)?;
        let now = self.now();
        self.write(|c| {
            let user = account_named(c, handle)?;
            if user.is_operator {
                return Err(AppError::conflict(
                    Some("/handle"),
                    format!(
                        "@{} is an operator: take away operator rights first",
                        user.handle
                    ),
                ));
            }
            if !repo::suspend(c, user.id, now)? {
                return Err(AppError::conflict(
                    Some("/handle"),
                    format!("@{} is suspended already", user.handle),
                ));
            }
            sessions::delete_others(c, user.id, None)?;
            withdraw_open_offers(c, now, user.id)?;
            audit(c, now, actor, "account.suspended", &user.handle, &reason)
        })
    }

    /// Lifts the suspension of the account at `handle`.
    pub fn unsuspend(&self, actor: &Actor, handle: &str, reason: &str) -> Result<(), AppError> {
        let reason = check_reason(reason)?;
        let now = self.now();
        self.write(|c| {
            let user = account_named(c, handle)?;
            if !repo::unsuspend(c, user.id)? {
                return Err(AppError::conflict(
                    Some("/handle"),
                    format!("@{} is not suspended", user.handle),
                ));
            }
            audit(c, now, actor, "account.unsuspended", &user.handle, &reason)
        })
    }

    /// Issues a one-time password-reset link's token for the account at `handle`, good for 24
    /// hours; an older unused link stops working. The operator hands the link over.
    pub fn issue_password_reset(
        &self,
        actor: &Actor,
        handle: &str,
        reason: &str,
    ) -> Result<String, AppError> {
        let reason = check_reason(reason)?;
        let now = self.now();
        let token = random_token();
        self.write(|c| {
            let user = account_named(c, handle)?;
            repo::add_reset(
                c,
                &hash_token(&token),
                user.id,
                now,
                now + RESET_LINK_TTL_MS,
            )?;
            audit(c, now, actor, "account.reset_link", &user.handle, &reason)
        })?;
        Ok(token)
    }

    /// The account a live reset link belongs to.
    pub fn password_reset_account(&self, token: &str) -> Result<Option<Account>, AppError> {
        let now = self.now();
        self.read(|c| {
            let Some(user_id) = repo::reset_user(c, &hash_token(token), now)? else {
                return Ok(None);
            };
            Ok(users::by_id(c, user_id)?.map(Account::from))
        })
    }

    /// Sets a new password through a reset link: the link is used up, every session ends and
    /// every API token is revoked, as after a leak.
    pub fn reset_password(&self, token: &str, new_password: &str) -> Result<Account, AppError> {
        let account = self.password_reset_account(token)?.ok_or_else(|| {
            AppError::Forbidden(
                "this reset link is unknown, used or expired: ask for a new one on the sign-in page"
                    .into(),
            )
        })?;
        check_new_password(new_password, &[&account.handle, &account.email])
            .map_err(|m| AppError::field("/password", m))?;
        let hash = self.accounts().hash_password(new_password)?;
        let now = self.now();
        self.write(|c| {
            if !repo::use_reset(c, &hash_token(token), now)? {
                return Err(AppError::Forbidden(
                    "this reset link was used a moment ago: ask for a new one on the sign-in page"
                        .into(),
                ));
            }
            let ends = Ends {
                keep_session: None,
                revoke_tokens: RevokeTokens::Yes,
            };
            replace_password(c, now, account.id, &hash, ends, true)
        })?;
        Ok(account)
    }

    /// The audit log, newest first.
    pub fn audit_log(
        &self,
        _permission: &Actor,
        page: &PageRequest,
    ) -> Result<Page<AuditEntry>, AppError> {
        let limit = page.limit()?;
        let before = page.key()?;
        let rows = self.read(|c| Ok(repo::actions(c, before.as_deref(), limit + 1)?))?;
        Ok(
            Page::from_rows(rows, limit, |r| r.id.clone()).map(|r| AuditEntry {
                at: r.at,
                what: action_words(&r.action).into(),
                actor: r.actor,
                action: r.action,
                subject: r.subject,
                reason: r.reason,
            }),
        )
    }

    /// Records that the command line created an account.
    pub fn audit_account_created(&self, handle: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            audit(
                c,
                now,
                &Actor::command_line(),
                "account.created",
                handle,
                "",
            )
        })
    }
}
