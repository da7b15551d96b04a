//! The member directory of a community: each member as they chose to be seen there.

use super::{Scope, as_community_sees};
use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::community::{Action, Role};
use guildhall_domain::view::ProfileView;
use guildhall_store::repo::{communities as repo, users};

/// One member in the directory (the web layer shapes `shown` for readers).
#[derive(Clone, Debug)]
pub struct MemberCard {
    /// The member's handle, as in `/profiles/{handle}`.
    pub handle: String,
    /// The member's role here; the directory is sorted by it, owners first.
    pub role: Role,
    /// What the member shows this community.
    pub shown: ProfileView,
}

impl crate::facades::Communities<'_> {
    /// A community's members, staff first, each as they chose to be seen by it.
    pub fn community_members(
        &self,
        who: Option<&Account>,
        slug: &str,
    ) -> Result<Vec<MemberCard>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            scope.require(Action::ViewMembers)?;
            let mut out = Vec::new();
            for (user_id, role, persona) in repo::members_with_personas(c, scope.id())? {
                let Some(user) = users::by_id(c, user_id)? else {
                    continue;
                };
                let shown =
                    as_community_sees(c, scope.id(), user.id, &user.handle, persona.as_deref())?;
                out.push(MemberCard {
                    handle: user.handle,
                    role,
                    shown,
                });
            }
            out.sort_by_key(|m| m.role);
            Ok(out)
        })
    }
}
