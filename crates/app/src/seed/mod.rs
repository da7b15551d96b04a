//! Demo data: `guildhall seed` fills an instance with generated members, communities,
//! connections, jobs and finished contracts. Members, their profiles, their connections and
//! their communities come in bulk, many to a transaction, through the same writes the use cases
//! make (so the change feed, notifications and evidence are what they would be); jobs and
//! contracts go through the use cases themselves.

mod corpus;
mod plan;
mod rng;

pub use corpus::{FAMILY_NAMES, GIVEN_NAMES, PLACES, SkillRanks, Wages, Zipf};
pub use plan::{SeedOptions, Seeded, Stage};
pub use rng::Rng;

use crate::AppError;
use crate::accounts::{Account, insert_account, new_user};
use crate::profiles::{ItemInput, add_item_in, validate};
use guildhall_domain::account::{Email, Handle, check_new_password};
use guildhall_domain::audience::AudienceSet;
use guildhall_domain::profile::ItemData;
use guildhall_store::repo::users;

/// A member to create: sign-in details and profile items.
#[derive(Clone, Debug)]
pub struct NewMember {
    /// Handle.
    pub handle: String,
    /// Sign-in address, taken as verified.
    pub email: String,
    /// The name shown.
    pub display_name: String,
    /// Profile items beyond the starter ones every account gets.
    pub items: Vec<ItemInput>,
}

/// A member checked: parsed sign-in details and validated items.
struct Checked {
    handle: Handle,
    email: Email,
    display: ItemData,
    items: Vec<(AudienceSet, ItemData)>,
}

fn check(member: &NewMember) -> Result<Checked, AppError> {
    let bad = |what: &str, why: &str| {
        AppError::internal(format!("generated member @{}: {what} {why}", member.handle))
    };
    let items = member
        .items
        .iter()
        .map(|i| validate(i.clone()))
        .collect::<Result<_, _>>()?;
    Ok(Checked {
        handle: Handle::parse(&member.handle).map_err(|m| bad("handle", m))?,
        email: Email::parse(&member.email).map_err(|m| bad("address", m))?,
        display: ItemData::DisplayName {
            name: member.display_name.clone(),
        }
        .validate()
        .map_err(|e| {
            let why =
                e.0.first()
                    .map(|f| f.message.as_str())
                    .unwrap_or("is not valid");
            bad("name", why)
        })?,
        items,
    })
}

impl crate::facades::Seed<'_> {
    /// Hashes the password every generated member signs in with, once for all of them; it
    /// must pass the rules every member's password passes.
    pub fn password_hash(&self, password: &str) -> Result<String, AppError> {
        check_new_password(password, &[]).map_err(|m| AppError::field("/password", m))?;
        self.accounts().hash_password(password)
    }

    /// Creates `members` in one transaction, their addresses verified, all signing in with the
    /// password of `password_hash`; refuses the whole batch if a handle or address is taken.
    pub fn members(
        &self,
        password_hash: &str,
        members: &[NewMember],
    ) -> Result<Vec<Account>, AppError> {
        let checked = members.iter().map(check).collect::<Result<Vec<_>, _>>()?;
        let now = self.now();
        let rows: Vec<users::UserRow> = checked
            .iter()
            .map(|m| users::UserRow {
                email_verified_at: Some(now),
                ..new_user(&m.handle, &m.email, password_hash.to_string(), false, now)
            })
            .collect();
        self.write(|c| {
            let mut created = Vec::with_capacity(rows.len());
            for (row, member) in rows.iter().zip(&checked) {
                created.push(insert_account(c, row, &member.display, now)?);
                for (audiences, data) in &member.items {
                    add_item_in(c, row.id, audiences, data, now)?;
                }
            }
            Ok(created)
        })
    }

    /// Connects each pair in one transaction: the first asks, the second accepts.
    pub fn connect(&self, pairs: &[(&Account, &Account)]) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            for (asking, answering) in pairs {
                let mut row = |a: &Account| {
                    users::by_id(c, a.id)?.ok_or_else(|| {
                        AppError::internal(format!("generated member @{} is gone", a.handle))
                    })
                };
                let (to, back) = (row(answering)?, row(asking)?);
                crate::connections::request_in(c, asking.id, &to, now)?;
                crate::connections::request_in(c, answering.id, &back, now)?;
            }
            Ok(())
        })
    }

    /// Joins each member to the open community of that slug, in one transaction.
    pub fn join(&self, joins: &[(&Account, &str)]) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            for (who, slug) in joins {
                crate::communities::membership::join_in(c, who, slug, now)?;
            }
            Ok(())
        })
    }
}
