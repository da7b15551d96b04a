//! A community as the caller stands towards it: loaded only when they may know it exists, with
//! their role, and the one permission rule asked of it.

use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::community::{self, Action, Admission, Role, Standing, permits};
use guildhall_store::DbConnection;
use guildhall_store::repo::communities::{self as repo, CommunityRow};

/// A community the caller may know about, with the caller's standing in it.
pub(crate) struct Scope {
    pub(crate) row: CommunityRow,
    pub(crate) standing: Standing,
}

impl Scope {
    /// Loads the community at `slug`. Communities the caller may not see are not found.
    pub(crate) fn load(
        c: &mut DbConnection,
        slug: &str,
        who: Option<&Account>,
    ) -> Result<Scope, AppError> {
        let slug = slug.trim().to_ascii_lowercase();
        if slug.len() > 40 {
            return Err(AppError::NotFound);
        }
        let row = repo::by_slug(c, &slug)?.ok_or(AppError::NotFound)?;
        Self::of(c, row, who)
    }

    /// The scope of a loaded community row.
    pub(crate) fn of(
        c: &mut DbConnection,
        row: CommunityRow,
        who: Option<&Account>,
    ) -> Result<Scope, AppError> {
        let standing = match who {
            None => Standing::Visitor,
            Some(who) => match repo::role_of(c, &row.id, who.id)? {
                Some(role) => Standing::Member(role),
                None => Standing::Outsider,
            },
        };
        if !community::visible_to(row.visibility, standing) {
            return Err(AppError::NotFound);
        }
        Ok(Scope { row, standing })
    }

    /// The community's id.
    pub(crate) fn id(&self) -> &str {
        &self.row.id
    }

    /// How it admits people.
    pub(crate) fn admission(&self) -> Admission {
        self.row.admission
    }

    /// The caller's role, if a member.
    pub(crate) fn role(&self) -> Option<Role> {
        match self.standing {
            Standing::Member(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the caller may do `action`.
    pub(crate) fn may(&self, action: Action) -> bool {
        permits(self.standing, self.admission(), action)
    }

    /// Refuses unless the caller may do `action`: visitors must sign in, others are told why.
    pub(crate) fn require(&self, action: Action) -> Result<(), AppError> {
        if self.may(action) {
            return Ok(());
        }
        Err(match self.standing {
            Standing::Visitor => AppError::Unauthenticated,
            Standing::Outsider => {
                AppError::Forbidden("only members of this community can do this".into())
            }
            Standing::Member(_) => {
                AppError::Forbidden("your role in this community does not allow this".into())
            }
        })
    }

    /// Whether a new member fits under the cap.
    pub(crate) fn has_room(&self, c: &mut DbConnection) -> Result<bool, AppError> {
        // Counting reads every member's row: only a capped community needs it.
        let Some(cap) = self.row.member_cap else {
            return Ok(true);
        };
        let (members, _) = repo::counts(c, &self.row.id)?;
        Ok(members < i64::from(cap))
    }
}
