//! Communities: roles and the one permission function that says which role may do what. Pure,
//! so the whole matrix is tested without a database, and every use case asks it.

use serde::{Deserialize, Serialize};

/// A member's role in a community, from most to least power.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the community; can do everything, including naming other owners.
    Owner,
    /// Staff: admits members, moderates, manages roles below owner.
    Curator,
    /// Offers mentoring and accepts learners.
    Mentor,
    /// A member.
    Member,
}

impl Role {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Curator => "curator",
            Role::Mentor => "mentor",
            Role::Member => "member",
        }
    }

    /// The role in words, as pages show it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Curator => "Curator",
            Role::Mentor => "Mentor",
            Role::Member => "Member",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "curator" => Some(Role::Curator),
            "mentor" => Some(Role::Mentor),
            "member" => Some(Role::Member),
            _ => None,
        }
    }

    /// Whether this role is community staff (owner or curator).
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Owner | Role::Curator)
    }
}

/// Who may see a community exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Anyone, signed in or not.
    Public,
    /// Signed-in members of the instance.
    Listed,
    /// Only its members and people holding an invitation link.
    Unlisted,
}

impl Visibility {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Listed => "listed",
            Visibility::Unlisted => "unlisted",
        }
    }

    /// Parses a stored name; `None` for a value no version wrote.
    pub fn parse(s: &str) -> Option<Visibility> {
        [Visibility::Public, Visibility::Listed, Visibility::Unlisted]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// How people join.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Admission {
    /// Anyone who may see it joins at once.
    Open,
    /// People apply; curators decide.
    Application,
    /// Only with an invitation.
    Invitation,
}

impl Admission {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Admission::Open => "open",
            Admission::Application => "application",
            Admission::Invitation => "invitation",
        }
    }

    /// Parses a stored name; `None` for a value no version wrote.
    pub fn parse(s: &str) -> Option<Admission> {
        [
            Admission::Open,
            Admission::Application,
            Admission::Invitation,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// Who is acting, as far as one community is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Not signed in.
    Visitor,
    /// Signed in, not a member.
    Outsider,
    /// A member with a role.
    Member(Role),
}

/// Everything one can do in or to a community.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the community's page and directory of members.
    ViewMembers,
    /// Join at once (open admission).
    Join,
    /// Submit an application.
    Apply,
    /// Stop being a member; the last owner must name another owner first.
    Leave,
    /// Change name, description, admission, visibility, cap.
    EditSettings,
    /// Review, approve, decline or waitlist applications.
    ReviewApplications,
    /// Create invitation links.
    Invite,
    /// Give or take the curator, mentor or member role.
    ManageRoles,
    /// Make someone an owner, or take it away.
    ManageOwners,
    /// Remove a member (with a reason).
    RemoveMember,
    /// Start a discussion thread or reply.
    Post,
    /// Pin, lock or hide posts; see hidden posts' traces.
    Moderate,
    /// Report a post.
    Report,
    /// Create or edit events.
    ManageEvents,
    /// RSVP to events.
    Rsvp,
    /// Offer mentoring in skills.
    OfferMentoring,
    /// Ask for mentoring.
    RequestMentoring,
    /// Accept a mentoring request (as mentor or curator).
    AcceptMentoring,
    /// Add, edit or remove learning resources.
    ManageResources,
    /// Mark a learning resource completed.
    CompleteResource,
    /// Put members forward for a client's job, with a note.
    Shortlist,
    /// See the community's share of the work done through it, pay it out, and set the part
    /// its members share out.
    ManageMoney,
    /// List perks for members, or take them off the list.
    ManagePerks,
    /// See the credentials issued about the community (memberships, mentoring) and revoke them.
    RevokeCredentials,
    /// Record an assessment of a member's skill, which backs a skill credential.
    AssessSkills,
    /// See the community's skills gaps and liquidity as a whole.
    SeeInsights,
}

impl Action {
    /// Every action, for tests that walk the whole matrix.
    pub const ALL: [Action; 26] = [
        Action::ViewMembers,
        Action::Join,
        Action::Apply,
        Action::Leave,
        Action::EditSettings,
        Action::ReviewApplications,
        Action::Invite,
        Action::ManageRoles,
        Action::ManageOwners,
        Action::RemoveMember,
        Action::Post,
        Action::Moderate,
        Action::Report,
        Action::ManageEvents,
        Action::Rsvp,
        Action::OfferMentoring,
        Action::RequestMentoring,
        Action::AcceptMentoring,
        Action::ManageResources,
        Action::CompleteResource,
        Action::Shortlist,
        Action::ManageMoney,
        Action::ManagePerks,
        Action::RevokeCredentials,
        Action::AssessSkills,
        Action::SeeInsights,
    ];
}

/// Whether `who` may know that a community with `visibility` exists: anyone a public one,
/// signed-in people a listed one, only members an unlisted one (invitation links aside, which
/// the invitation use cases check themselves).
pub fn visible_to(visibility: Visibility, who: Standing) -> bool {
    match (visibility, who) {
        (Visibility::Public, _) => true,
        (Visibility::Listed, Standing::Visitor) => false,
        (Visibility::Listed, _) => true,
        (Visibility::Unlisted, s) => matches!(s, Standing::Member(_)),
    }
}

/// Whether `who` may do `action` in a community admitting people by `admission`.
pub fn permits(who: Standing, admission: Admission, action: Action) -> bool {
    use Action::*;
    match who {
        Standing::Visitor => false,
        Standing::Outsider => match action {
            Join => admission == Admission::Open,
            Apply => admission == Admission::Application,
            _ => false,
        },
        Standing::Member(role) => match action {
            Join | Apply => false,
            ViewMembers | Leave | Post | Report | Rsvp | RequestMentoring | CompleteResource => {
                true
            }
            OfferMentoring | AcceptMentoring => {
                matches!(role, Role::Owner | Role::Curator | Role::Mentor)
            }
            EditSettings | ManageOwners | ManageMoney => role == Role::Owner,
            ReviewApplications | Invite | ManageRoles | RemoveMember | Moderate | ManageEvents
            | ManageResources | Shortlist | ManagePerks | RevokeCredentials | AssessSkills
            | SeeInsights => role.is_staff(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlisted_communities_are_known_to_members_only() {
        let member = Standing::Member(Role::Member);
        assert!(visible_to(Visibility::Public, Standing::Visitor));
        assert!(!visible_to(Visibility::Listed, Standing::Visitor));
        assert!(visible_to(Visibility::Listed, Standing::Outsider));
        assert!(!visible_to(Visibility::Unlisted, Standing::Outsider));
        assert!(visible_to(Visibility::Unlisted, member));
        for v in [Visibility::Public, Visibility::Listed, Visibility::Unlisted] {
            assert_eq!(Visibility::parse(v.as_str()), Some(v));
        }
        for a in [
            Admission::Open,
            Admission::Application,
            Admission::Invitation,
        ] {
            assert_eq!(Admission::parse(a.as_str()), Some(a));
        }
        assert_eq!(Visibility::parse("secret"), None);
        assert_eq!(Admission::parse("lottery"), None);
    }

    #[test]
    fn the_matrix_has_the_expected_shape() {
        let roles = [Role::Owner, Role::Curator, Role::Mentor, Role::Member];
        for admission in [
            Admission::Open,
            Admission::Application,
            Admission::Invitation,
        ] {
            for action in Action::ALL {
                assert!(
                    !permits(Standing::Visitor, admission, action),
                    "visitors do nothing: {action:?}"
                );
                // Power only grows towards owner.
                for pair in roles.windows(2) {
                    if permits(Standing::Member(pair[1]), admission, action) {
                        assert!(
                            permits(Standing::Member(pair[0]), admission, action),
                            "{:?} may {action:?} but {:?} may not",
                            pair[1],
                            pair[0]
                        );
                    }
                }
            }
        }
        assert!(permits(Standing::Outsider, Admission::Open, Action::Join));
        assert!(!permits(
            Standing::Outsider,
            Admission::Application,
            Action::Join
        ));
        assert!(!permits(
            Standing::Outsider,
            Admission::Invitation,
            Action::Apply
        ));
        assert!(!permits(
            Standing::Member(Role::Curator),
            Admission::Open,
            Action::ManageOwners
        ));
        assert!(permits(
            Standing::Member(Role::Mentor),
            Admission::Open,
            Action::AcceptMentoring
        ));
        assert!(!permits(
            Standing::Member(Role::Member),
            Admission::Open,
            Action::Moderate
        ));
    }
}

/// Where a mentorship stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MentorshipStatus {
    /// Asked by the learner, waiting for the mentor (or a curator).
    Requested,
    /// Under way: sessions can be recorded.
    Active,
    /// Turned down.
    Declined,
    /// Over.
    Ended,
}

named_values!(MentorshipStatus {
    Requested => "requested",
    Active => "active",
    Declined => "declined",
    Ended => "ended",
});

/// Whether a member goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RsvpStatus {
    /// Has a place.
    Going,
    /// Waiting for a place.
    Waitlisted,
}

named_values!(RsvpStatus {
    Going => "going",
    Waitlisted => "waitlisted",
});

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Waiting for a curator.
    Pending,
    /// Held for later (the community is full or not yet needing these skills).
    Waitlisted,
    /// Admitted.
    Approved,
    /// Declined, with a reason.
    Declined,
    /// The applicant took it back.
    Withdrawn,
}

named_values!(ApplicationStatus {
    Pending => "pending",
    Waitlisted => "waitlisted",
    Approved => "approved",
    Declined => "declined",
    Withdrawn => "withdrawn",
});

/// How a pair works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Format)]
pub enum MentoringFormat {
    /// Regular sessions.
    Sessions,
    /// The learner works alongside the mentor on real work.
    RealWork,
}

named_values!(MentoringFormat {
    Sessions => "sessions",
    RealWork => "real_work",
});
