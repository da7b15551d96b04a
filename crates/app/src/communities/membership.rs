//! Membership: joining an open community, leaving it, roles, removing a member, and the
//! persona a member shows the community.

use super::{Community, Scope, owns_persona, user_id_of, view};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::community::{Action, Role, Standing};
use guildhall_domain::events::{Event, Joined, Left, MemberRemoved, PersonaChosen, RoleChanged};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::repo::communities as repo;

impl crate::facades::Communities<'_> {
    /// Joins an open community.
    pub fn join_community(&self, who: &Account, slug: &str) -> Result<Community, AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = join_in(c, who, slug, now)?;
            view(c, scope, Some(who))
        })
    }

    /// Leaves a community. The last owner must name another owner first.
    pub fn leave_community(&self, who: &Account, slug: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            let Some(role) = scope.role() else {
                return Err(AppError::NotFound);
            };
            if role == Role::Owner && repo::counts(c, scope.id())?.1 <= 1 {
                return Err(AppError::conflict(
                    None,
                    "name another owner before you leave",
                ));
            }
            repo::remove_member(c, scope.id(), who.id)?;
            record(
                c,
                now,
                Event::Left(Left {
                    member: who.id.to_string(),
                    community: scope.id().to_string(),
                }),
            )
        })
    }

    /// Gives a member a role. Curators manage roles below owner; only owners name owners.
    pub fn set_community_role(
        &self,
        actor: &Account,
        slug: &str,
        handle: &str,
        role: Role,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(actor))?;
            scope.require(Action::ManageRoles)?;
            let target = user_id_of(c, handle)?;
            let current = repo::role_of(c, scope.id(), target)?.ok_or(AppError::NotFound)?;
            if role == Role::Owner || current == Role::Owner {
                scope.require(Action::ManageOwners)?;
            }
            if current == Role::Owner && role != Role::Owner && repo::counts(c, scope.id())?.1 <= 1
            {
                return Err(AppError::conflict(
                    None,
                    "a community keeps at least one owner",
                ));
            }
            repo::set_role(c, scope.id(), target, role)?;
            record(
                c,
                now,
                Event::RoleChanged(RoleChanged {
                    by: actor.id.to_string(),
                    community: scope.id().to_string(),
                    member: target.to_string(),
                    from: current.as_str().into(),
                    to: role.as_str().into(),
                }),
            )
        })
    }

    /// Removes a member, keeping the reason in the change feed.
    pub fn remove_community_member(
        &self,
        actor: &Account,
        slug: &str,
        handle: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let reason = validation::text(&mut e, "/reason", reason, 1, 500, true);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(actor))?;
            scope.require(Action::RemoveMember)?;
            let target = user_id_of(c, handle)?;
            let current = repo::role_of(c, scope.id(), target)?.ok_or(AppError::NotFound)?;
            if current == Role::Owner {
                scope.require(Action::ManageOwners)?;
                if repo::counts(c, scope.id())?.1 <= 1 {
                    return Err(AppError::conflict(
                        None,
                        "a community keeps at least one owner",
                    ));
                }
            }
            repo::remove_member(c, scope.id(), target)?;
            record(
                c,
                now,
                Event::MemberRemoved(MemberRemoved {
                    by: actor.id.to_string(),
                    community: scope.id().to_string(),
                    member: target.to_string(),
                    reason: reason.to_string(),
                }),
            )
        })
    }

    /// Chooses the persona a community sees (none: the profile as fellow members see it).
    pub fn set_community_persona(
        &self,
        who: &Account,
        slug: &str,
        persona_id: Option<&str>,
    ) -> Result<Community, AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            if scope.role().is_none() {
                return Err(AppError::NotFound);
            }
            if let Some(id) = persona_id
                && !owns_persona(c, who.id, id)?
            {
                return Err(AppError::field(
                    "/persona_id",
                    "is not one of your personas",
                ));
            }
            repo::set_persona(c, scope.id(), who.id, persona_id)?;
            record(
                c,
                now,
                Event::PersonaChosen(PersonaChosen {
                    member: who.id.to_string(),
                    community: scope.id().to_string(),
                    persona_id: persona_id.map(str::to_string),
                }),
            )?;
            view(c, scope, Some(who))
        })
    }
}

/// Joins `who` to an open community in the caller's transaction; refuses a member already in
/// it, a community that admits otherwise and a full one.
pub(crate) fn join_in(
    c: &mut guildhall_store::DbConnection,
    who: &Account,
    slug: &str,
    now: i64,
) -> Result<Scope, AppError> {
    let mut scope = Scope::load(c, slug, Some(who))?;
    if scope.role().is_some() {
        return Err(AppError::conflict(None, "you are already a member"));
    }
    if !scope.may(Action::Join) {
        return Err(AppError::Forbidden(
            "this community admits members by application or invitation".into(),
        ));
    }
    if !scope.has_room(c)? {
        return Err(AppError::conflict(None, "this community is full"));
    }
    repo::add_member(c, scope.id(), who.id, Role::Member, now)?;
    record(
        c,
        now,
        Event::Joined(Joined {
            member: who.id.to_string(),
            community: scope.id().to_string(),
            invitation: None,
            via: Some("open".into()),
        }),
    )?;
    scope.standing = Standing::Member(Role::Member);
    Ok(scope)
}
