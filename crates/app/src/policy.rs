//! The instance's policy: who may join (open, by invitation, closed) and how fast anyone may call
//! the API. The configuration gives the values; an operator may change them while the instance
//! runs, and the database then holds their choice, so every node follows it.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::oversight::{Actor, audit};
use guildhall_domain::FieldErrors;
use guildhall_domain::events::{Event, PolicyChanged};
use guildhall_store::repo::settings;
use serde::{Deserialize, Serialize};

/// Who may create an account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Registration {
    /// Anyone may sign up.
    #[default]
    Open,
    /// Only someone holding a live invitation to one of the instance's communities.
    Invitation,
    /// Nobody; operators create accounts with `guildhall admin create-user`.
    Closed,
}

impl Registration {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Registration::Open => "open",
            Registration::Invitation => "invitation",
            Registration::Closed => "closed",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [Self::Open, Self::Invitation, Self::Closed]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

/// Most API calls a minute any one token or address may be allowed.
pub const MAX_CALLS_PER_MINUTE: u32 = 1_000_000;

/// The instance's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Who may create an account.
    pub registration: Registration,
    /// API calls a minute one token may make.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub api_calls_per_minute_per_token: u32,
    /// API calls a minute one address may make, with or without a token.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub api_calls_per_minute_per_address: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            registration: Registration::Open,
            api_calls_per_minute_per_token: 600,
            api_calls_per_minute_per_address: 1200,
        }
    }
}

const REGISTRATION: &str = "registration";
const PER_TOKEN: &str = "api_calls_per_minute_per_token";
const PER_ADDRESS: &str = "api_calls_per_minute_per_address";

impl Policy {
    fn check(self) -> Result<Self, AppError> {
        let mut e = FieldErrors::new();
        for (path, n) in [
            (
                "/api_calls_per_minute_per_token",
                self.api_calls_per_minute_per_token,
            ),
            (
                "/api_calls_per_minute_per_address",
                self.api_calls_per_minute_per_address,
            ),
        ] {
            if !(1..=MAX_CALLS_PER_MINUTE).contains(&n) {
                e.add(
                    path,
                    format!("must be between 1 and {MAX_CALLS_PER_MINUTE}"),
                );
            }
        }
        e.into_result(self).map_err(AppError::Validation)
    }
}

impl crate::facades::Instance<'_> {
    /// The policy in force: the operators' choices over the configured values.
    pub fn policy(&self) -> Result<Policy, AppError> {
        let configured = self.settings().policy;
        self.read(|c| {
            let number = |c: &mut guildhall_store::DbConnection, key: &str, default: u32| {
                Ok::<_, AppError>(
                    settings::get(c, key)?
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(default),
                )
            };
            Ok(Policy {
                registration: settings::get(c, REGISTRATION)?
                    .and_then(|v| Registration::parse(&v))
                    .unwrap_or(configured.registration),
                api_calls_per_minute_per_token: number(
                    c,
                    PER_TOKEN,
                    configured.api_calls_per_minute_per_token,
                )?,
                api_calls_per_minute_per_address: number(
                    c,
                    PER_ADDRESS,
                    configured.api_calls_per_minute_per_address,
                )?,
            })
        })
    }

    /// Changes the policy: operators only.
    pub fn set_policy(&self, operator: &Account, policy: Policy) -> Result<Policy, AppError> {
        operator.require_operator("set who may join and the API's rate limits")?;
        let policy = policy.check()?;
        let now = self.now();
        self.write(|c| {
            settings::set(c, REGISTRATION, policy.registration.as_str(), now)?;
            settings::set(
                c,
                PER_TOKEN,
                &policy.api_calls_per_minute_per_token.to_string(),
                now,
            )?;
            settings::set(
                c,
                PER_ADDRESS,
                &policy.api_calls_per_minute_per_address.to_string(),
                now,
            )?;
            let summary = format!(
                "registration {}, {} calls a minute per token, {} per address",
                policy.registration.as_str(),
                policy.api_calls_per_minute_per_token,
                policy.api_calls_per_minute_per_address
            );
            audit(
                c,
                now,
                &Actor::operator(operator)?,
                "policy.changed",
                &summary,
                "",
            )?;
            record(
                c,
                now,
                Event::PolicyChanged(PolicyChanged {
                    operator: operator.id.to_string(),
                    registration: policy.registration.as_str().into(),
                    api_calls_per_minute_per_token: policy.api_calls_per_minute_per_token,
                    api_calls_per_minute_per_address: policy.api_calls_per_minute_per_address,
                }),
            )?;
            Ok(policy)
        })
    }
}
