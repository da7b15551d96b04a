//! Communities: creation, joining and leaving, roles. Every use case asks
//! `guildhall_domain::community::permits` whether the caller's standing allows the action.

use crate::accounts::Account;
use crate::events::record;
use crate::{App, AppError};
use guildhall_domain::community::{Action, Admission, Role, Standing, Visibility, permits};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::communities::{self as repo, CommunityRow};
use guildhall_store::repo::users;
use serde::Serialize;
use serde_json::json;

/// What creating or editing a community asks for.
#[derive(Clone, Debug)]
pub struct CommunityInput {
    /// Name.
    pub name: String,
    /// URL name: 3–40 of a-z, 0-9 and `-`.
    pub slug: String,
    /// What it is for.
    pub description: String,
    /// Who may see it.
    pub visibility: Visibility,
    /// How people join.
    pub admission: Admission,
    /// Most members, if capped.
    pub member_cap: Option<i32>,
}

/// A community as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Community {
    /// Id (the `community:<id>` audience).
    pub id: String,
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Who may see it.
    pub visibility: Visibility,
    /// How people join.
    pub admission: Admission,
    /// Member cap.
    pub member_cap: Option<i32>,
    /// How many members it has.
    pub members: i64,
    /// The caller's role, if a member.
    pub your_role: Option<Role>,
}

fn visibility_of(s: &str) -> Visibility {
    match s {
        "public" => Visibility::Public,
        "listed" => Visibility::Listed,
        _ => Visibility::Unlisted,
    }
}

fn admission_of(s: &str) -> Admission {
    match s {
        "open" => Admission::Open,
        "application" => Admission::Application,
        _ => Admission::Invitation,
    }
}

fn visibility_str(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "public",
        Visibility::Listed => "listed",
        Visibility::Unlisted => "unlisted",
    }
}

fn admission_str(a: Admission) -> &'static str {
    match a {
        Admission::Open => "open",
        Admission::Application => "application",
        Admission::Invitation => "invitation",
    }
}

/// The caller's standing in a community.
fn standing(
    c: &mut DbConnection,
    community_id: &str,
    who: Option<&Account>,
) -> Result<Standing, AppError> {
    let Some(who) = who else {
        return Ok(Standing::Visitor);
    };
    Ok(
        match repo::role_of(c, community_id, &who.id)?
            .as_deref()
            .and_then(Role::parse)
        {
            Some(role) => Standing::Member(role),
            None => Standing::Outsider,
        },
    )
}

/// Whether the caller may know the community exists. Hidden ones are simply not found.
fn can_see(row: &CommunityRow, standing: Standing) -> bool {
    match (visibility_of(&row.visibility), standing) {
        (Visibility::Public, _) => true,
        (Visibility::Listed, Standing::Visitor) => false,
        (Visibility::Listed, _) => true,
        (Visibility::Unlisted, s) => matches!(s, Standing::Member(_)),
    }
}

fn view(
    c: &mut DbConnection,
    row: CommunityRow,
    standing: Standing,
) -> Result<Community, AppError> {
    let (members, _) = repo::counts(c, &row.id)?;
    Ok(Community {
        visibility: visibility_of(&row.visibility),
        admission: admission_of(&row.admission),
        your_role: match standing {
            Standing::Member(r) => Some(r),
            _ => None,
        },
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        member_cap: row.member_cap,
        members,
    })
}

fn check(input: &CommunityInput) -> Result<(String, String, String), AppError> {
    let mut e = FieldErrors::new();
    let name = validation::text(&mut e, "/name", &input.name, 2, 80, false);
    let description = validation::text(&mut e, "/description", &input.description, 0, 4000, true);
    let slug = input.slug.trim().to_ascii_lowercase();
    if !(3..=40).contains(&slug.len())
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        e.add(
            "/slug",
            "must be 3 to 40 of a-z, 0-9 and '-', not starting or ending with '-'",
        );
    }
    if input
        .member_cap
        .is_some_and(|cap| !(1..=1_000_000).contains(&cap))
    {
        e.add("/member_cap", "must be between 1 and 1000000");
    }
    e.into_result((name, slug, description))
        .map_err(AppError::Validation)
}

impl App {
    /// Creates a community; the creator becomes its owner.
    pub fn create_community(
        &self,
        creator: &Account,
        input: CommunityInput,
    ) -> Result<Community, AppError> {
        let (name, slug, description) = check(&input)?;
        let now = self.now();
        self.write(|c| {
            if repo::by_slug(c, &slug)?.is_some() {
                return Err(AppError::conflict(Some("/slug"), "this address is taken"));
            }
            let row = CommunityRow {
                id: uuid::Uuid::now_v7().to_string(),
                slug: slug.clone(),
                name: name.clone(),
                description: description.clone(),
                visibility: visibility_str(input.visibility).into(),
                admission: admission_str(input.admission).into(),
                member_cap: input.member_cap,
                created_by: creator.id.clone(),
                created_at: now,
                updated_at: now,
            };
            repo::insert(c, &row)?;
            repo::add_member(c, &row.id, &creator.id, Role::Owner.as_str(), now)?;
            record(
                c,
                now,
                "community.created",
                Some(&creator.id),
                &[&row.id],
                json!({"slug": row.slug}),
            )?;
            view(c, row, Standing::Member(Role::Owner))
        })
    }

    /// A community by slug, if the caller may know it exists.
    pub fn community(&self, slug: &str, who: Option<&Account>) -> Result<Community, AppError> {
        self.read(|c| {
            let row = repo::by_slug(c, &slug.to_ascii_lowercase())?.ok_or(AppError::NotFound)?;
            let s = standing(c, &row.id, who)?;
            if !can_see(&row, s) {
                return Err(AppError::NotFound);
            }
            view(c, row, s)
        })
    }

    /// The communities on the instance the caller may see.
    pub fn communities(&self, who: Option<&Account>) -> Result<Vec<Community>, AppError> {
        self.read(|c| {
            let mut out = Vec::new();
            for row in repo::all(c, 500)? {
                let s = standing(c, &row.id, who)?;
                if can_see(&row, s) {
                    out.push(view(c, row, s)?);
                }
            }
            Ok(out)
        })
    }

    /// Joins an open community.
    pub fn join_community(&self, who: &Account, slug: &str) -> Result<Community, AppError> {
        let now = self.now();
        self.write(|c| {
            let row = repo::by_slug(c, &slug.to_ascii_lowercase())?.ok_or(AppError::NotFound)?;
            let s = standing(c, &row.id, Some(who))?;
            if !can_see(&row, s) {
                return Err(AppError::NotFound);
            }
            if matches!(s, Standing::Member(_)) {
                return Err(AppError::conflict(None, "you are already a member"));
            }
            if !permits(s, admission_of(&row.admission), Action::Join) {
                return Err(AppError::conflict(
                    None,
                    "this community admits members by application or invitation",
                ));
            }
            let (members, _) = repo::counts(c, &row.id)?;
            if row.member_cap.is_some_and(|cap| members >= i64::from(cap)) {
                return Err(AppError::conflict(None, "this community is full"));
            }
            repo::add_member(c, &row.id, &who.id, Role::Member.as_str(), now)?;
            record(
                c,
                now,
                "community.joined",
                Some(&who.id),
                &[&row.id],
                json!({}),
            )?;
            view(c, row, Standing::Member(Role::Member))
        })
    }

    /// Leaves a community. The last owner must name another owner first.
    pub fn leave_community(&self, who: &Account, slug: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let row = repo::by_slug(c, &slug.to_ascii_lowercase())?.ok_or(AppError::NotFound)?;
            let Standing::Member(role) = standing(c, &row.id, Some(who))? else {
                return Err(AppError::NotFound);
            };
            if role == Role::Owner && repo::counts(c, &row.id)?.1 <= 1 {
                return Err(AppError::conflict(
                    None,
                    "name another owner before you leave",
                ));
            }
            repo::remove_member(c, &row.id, &who.id)?;
            record(
                c,
                now,
                "community.left",
                Some(&who.id),
                &[&row.id],
                json!({}),
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
            let row = repo::by_slug(c, &slug.to_ascii_lowercase())?.ok_or(AppError::NotFound)?;
            let s = standing(c, &row.id, Some(actor))?;
            if !can_see(&row, s) {
                return Err(AppError::NotFound);
            }
            let target =
                users::by_handle(c, &handle.to_ascii_lowercase())?.ok_or(AppError::NotFound)?;
            let current = repo::role_of(c, &row.id, &target.id)?
                .as_deref()
                .and_then(Role::parse)
                .ok_or(AppError::NotFound)?;
            let admission = admission_of(&row.admission);
            let needed = if role == Role::Owner || current == Role::Owner {
                Action::ManageOwners
            } else {
                Action::ManageRoles
            };
            if !permits(s, admission, needed) {
                return Err(AppError::conflict(None, "your role does not allow this"));
            }
            if current == Role::Owner && role != Role::Owner && repo::counts(c, &row.id)?.1 <= 1 {
                return Err(AppError::conflict(
                    None,
                    "a community keeps at least one owner",
                ));
            }
            repo::set_role(c, &row.id, &target.id, role.as_str())?;
            record(
                c,
                now,
                "community.role_changed",
                Some(&actor.id),
                &[&row.id, &target.id],
                json!({"from": current.as_str(), "to": role.as_str()}),
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
            let row = repo::by_slug(c, &slug.to_ascii_lowercase())?.ok_or(AppError::NotFound)?;
            let s = standing(c, &row.id, Some(actor))?;
            if !can_see(&row, s) {
                return Err(AppError::NotFound);
            }
            if !permits(s, admission_of(&row.admission), Action::RemoveMember) {
                return Err(AppError::conflict(None, "your role does not allow this"));
            }
            let target =
                users::by_handle(c, &handle.to_ascii_lowercase())?.ok_or(AppError::NotFound)?;
            let current = repo::role_of(c, &row.id, &target.id)?
                .as_deref()
                .and_then(Role::parse)
                .ok_or(AppError::NotFound)?;
            if current == Role::Owner
                && !permits(s, admission_of(&row.admission), Action::ManageOwners)
            {
                return Err(AppError::conflict(None, "only owners can remove an owner"));
            }
            if current == Role::Owner && repo::counts(c, &row.id)?.1 <= 1 {
                return Err(AppError::conflict(
                    None,
                    "a community keeps at least one owner",
                ));
            }
            repo::remove_member(c, &row.id, &target.id)?;
            record(
                c,
                now,
                "community.member_removed",
                Some(&actor.id),
                &[&row.id, &target.id],
                json!({"reason": reason}),
            )
        })
    }
}
