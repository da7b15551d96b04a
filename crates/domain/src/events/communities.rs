//! Communities: membership and admission, discussions, gatherings, learning and mentoring.

use super::layout::layout;
use serde::{Deserialize, Serialize};

/// `community.created`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityCreated {
    /// Its creator, its first owner.
    pub creator: String,
    /// The community.
    pub community: String,
    /// Its address name.
    pub slug: String,
}
layout!(CommunityCreated {
    actor: creator,
    subjects: [community],
    data: [slug]
});

/// `community.updated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityUpdated {
    /// Who changed its settings.
    pub by: String,
    /// The community.
    pub community: String,
}
layout!(CommunityUpdated {
    actor: by,
    subjects: [community],
    data: []
});

/// `community.vetted` and `community.unvetted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityVetted {
    /// The operator.
    pub operator: String,
    /// The community.
    pub community: String,
}
layout!(CommunityVetted {
    actor: operator,
    subjects: [community],
    data: []
});

/// `community.joined`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Joined {
    /// The new member.
    pub member: String,
    /// The community.
    pub community: String,
    /// The invitation used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<String>,
    /// `open` or `invitation`; absent in the oldest entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}
layout!(Joined {
    actor: member,
    subjects: [community, invitation],
    data: [via]
});

/// `community.left`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Left {
    /// The member who left.
    pub member: String,
    /// The community.
    pub community: String,
}
layout!(Left {
    actor: member,
    subjects: [community],
    data: []
});

/// `community.role_changed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChanged {
    /// Who changed it.
    pub by: String,
    /// The community.
    pub community: String,
    /// Whose role.
    pub member: String,
    /// The role before.
    pub from: String,
    /// The role now.
    pub to: String,
}
layout!(RoleChanged {
    actor: by,
    subjects: [community, member],
    data: [from, to]
});

/// `community.member_removed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberRemoved {
    /// The curator or owner who removed them.
    pub by: String,
    /// The community.
    pub community: String,
    /// The member removed.
    pub member: String,
    /// Why, as given.
    pub reason: String,
}
layout!(MemberRemoved {
    actor: by,
    subjects: [community, member],
    data: [reason]
});

/// `community.persona_chosen`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaChosen {
    /// The member.
    pub member: String,
    /// The community.
    pub community: String,
    /// The persona it now sees; `null` for the whole profile.
    pub persona_id: Option<String>,
}
layout!(PersonaChosen {
    actor: member,
    subjects: [community],
    data: [persona_id]
});

/// `community.applied` and `community.application_withdrawn`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applied {
    /// The applicant.
    pub applicant: String,
    /// The community.
    pub community: String,
    /// The application.
    pub application: String,
}
layout!(Applied {
    actor: applicant,
    subjects: [community, application],
    data: []
});

/// `community.application_approved`, `…_declined` and `…_waitlisted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationDecided {
    /// The curator.
    pub curator: String,
    /// The community.
    pub community: String,
    /// The applicant.
    pub applicant: String,
    /// The application.
    pub application: String,
    /// The reason given to the applicant (empty when none).
    pub reason: String,
}
layout!(ApplicationDecided {
    actor: curator,
    subjects: [community, applicant, application],
    data: [reason],
});

/// `community.invitation_created`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationCreated {
    /// The curator.
    pub curator: String,
    /// The community.
    pub community: String,
    /// The invitation.
    pub invitation: String,
    /// How many may join with it.
    pub max_uses: i32,
    /// When it stops working (ms).
    pub expires_at: i64,
}
layout!(InvitationCreated {
    actor: curator,
    subjects: [community, invitation],
    data: [max_uses, expires_at],
});

/// `community.invitation_revoked`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationRevoked {
    /// The curator.
    pub curator: String,
    /// The community.
    pub community: String,
    /// The invitation.
    pub invitation: String,
}
layout!(InvitationRevoked {
    actor: curator,
    subjects: [community, invitation],
    data: []
});

/// `community.thread_started`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreadStarted {
    /// The author.
    pub author: String,
    /// The community.
    pub community: String,
    /// The thread (its first post).
    pub thread: String,
    /// Ids of the members it mentions.
    pub mentions: Vec<String>,
}
layout!(ThreadStarted {
    actor: author,
    subjects: [community, thread],
    data: [mentions]
});

/// `community.replied`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replied {
    /// The author.
    pub author: String,
    /// The community.
    pub community: String,
    /// The thread.
    pub thread: String,
    /// The reply.
    pub post: String,
    /// Ids of the members it mentions.
    pub mentions: Vec<String>,
}
layout!(Replied {
    actor: author,
    subjects: [community, thread, post],
    data: [mentions]
});

/// `community.post_moderated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostModerated {
    /// The curator.
    pub curator: String,
    /// The community.
    pub community: String,
    /// The post.
    pub post: String,
    /// Its author.
    pub author: String,
    /// What was done: `hide`, `restore`, `lock` or `unlock`.
    pub action: String,
    /// Why.
    pub reason: String,
}
layout!(PostModerated {
    actor: curator,
    subjects: [community, post, author],
    data: [action, reason],
});

/// `community.post_reported`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostReported {
    /// Who reported it.
    pub reporter: String,
    /// The community.
    pub community: String,
    /// The post.
    pub post: String,
}
layout!(PostReported {
    actor: reporter,
    subjects: [community, post],
    data: []
});

/// `community.event_created`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatheringCreated {
    /// Who scheduled it.
    pub organiser: String,
    /// The community.
    pub community: String,
    /// The gathering.
    pub gathering: String,
    /// When it starts (ms).
    pub starts_at: i64,
}
layout!(GatheringCreated {
    actor: organiser,
    subjects: [community, gathering],
    data: [starts_at],
});

/// `community.event_updated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatheringUpdated {
    /// Who changed it.
    pub organiser: String,
    /// The community.
    pub community: String,
    /// The gathering.
    pub gathering: String,
    /// Whether it is now cancelled.
    pub cancelled: bool,
}
layout!(GatheringUpdated {
    actor: organiser,
    subjects: [community, gathering],
    data: [cancelled],
});

/// `community.rsvp`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rsvp {
    /// The member.
    pub member: String,
    /// The community.
    pub community: String,
    /// The gathering.
    pub gathering: String,
    /// `going`, or `waitlisted` when it was full.
    pub status: String,
}
layout!(Rsvp {
    actor: member,
    subjects: [community, gathering],
    data: [status]
});

/// `community.rsvp_promoted` and `community.rsvp_cancelled`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RsvpChanged {
    /// The member whose answer changed.
    pub member: String,
    /// The community.
    pub community: String,
    /// The gathering.
    pub gathering: String,
}
layout!(RsvpChanged {
    actor: member,
    subjects: [community, gathering],
    data: []
});

/// `community.resource_added`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceAdded {
    /// Who added it.
    pub by: String,
    /// The community.
    pub community: String,
    /// The resource.
    pub resource: String,
    /// The skills it teaches.
    pub skills: Vec<String>,
}
layout!(ResourceAdded {
    actor: by,
    subjects: [community, resource],
    data: [skills]
});

/// `community.resource_removed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceRemoved {
    /// Who removed it.
    pub by: String,
    /// The community.
    pub community: String,
    /// The resource.
    pub resource: String,
}
layout!(ResourceRemoved {
    actor: by,
    subjects: [community, resource],
    data: []
});

/// `community.resource_completed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceCompleted {
    /// The learner.
    pub member: String,
    /// The community.
    pub community: String,
    /// The resource.
    pub resource: String,
    /// When they finished it (YYYY-MM-DD).
    pub completed_on: String,
    /// The skills it teaches.
    pub skills: Vec<String>,
}
layout!(ResourceCompleted {
    actor: member,
    subjects: [community, resource],
    data: [completed_on, skills],
});

/// `community.mentoring_offered`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentoringOffered {
    /// The mentor.
    pub mentor: String,
    /// The community.
    pub community: String,
    /// The offer.
    pub offer: String,
    /// The skills offered.
    pub skills: Vec<String>,
    /// Whether the mentor offers to guide real work.
    pub on_real_work: bool,
}
layout!(MentoringOffered {
    actor: mentor,
    subjects: [community, offer],
    data: [skills, on_real_work],
});

/// `community.mentoring_withdrawn`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentoringWithdrawn {
    /// The mentor.
    pub mentor: String,
    /// The community.
    pub community: String,
    /// The offer.
    pub offer: String,
}
layout!(MentoringWithdrawn {
    actor: mentor,
    subjects: [community, offer],
    data: []
});

/// `community.mentoring_requested`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentoringRequested {
    /// The learner.
    pub learner: String,
    /// The community.
    pub community: String,
    /// The mentorship asked for.
    pub mentorship: String,
    /// The mentor asked.
    pub mentor: String,
    /// How they would meet.
    pub format: String,
}
layout!(MentoringRequested {
    actor: learner,
    subjects: [community, mentorship, mentor],
    data: [format],
});

/// `community.mentoring_accepted` and `community.mentoring_declined`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentoringAnswered {
    /// Who answered (the mentor).
    pub by: String,
    /// The community.
    pub community: String,
    /// The mentorship.
    pub mentorship: String,
    /// The mentor.
    pub mentor: String,
    /// The learner.
    pub learner: String,
    /// How they would meet.
    pub format: String,
}
layout!(MentoringAnswered {
    actor: by,
    subjects: [community, mentorship, mentor, learner],
    data: [format],
});

/// `community.mentoring_session_recorded`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecorded {
    /// The partner who recorded it.
    pub by: String,
    /// The community.
    pub community: String,
    /// The mentorship.
    pub mentorship: String,
    /// The session.
    pub session: String,
    /// When it took place (YYYY-MM-DD).
    pub held_on: String,
}
layout!(SessionRecorded {
    actor: by,
    subjects: [community, mentorship, session],
    data: [held_on],
});

/// `community.mentoring_session`: a session both partners confirmed, evidence of who taught
/// whom. Sessions logged before confirmation was required lack `recorded_by` and
/// `confirmed_by`, and vouch for nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentoringSession {
    /// The partner who confirmed it (or, in older entries, logged it).
    pub by: String,
    /// The community.
    pub community: String,
    /// The mentorship.
    pub mentorship: String,
    /// The mentor.
    pub mentor: String,
    /// The learner.
    pub learner: String,
    /// When it took place (YYYY-MM-DD).
    pub held_on: String,
    /// How long, in minutes.
    pub minutes: i32,
    /// The skills it was about.
    pub skills: Vec<String>,
    /// How they met.
    pub format: String,
    /// The partner who recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
    /// The partner who confirmed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
}
layout!(MentoringSession {
    actor: by,
    subjects: [community, mentorship, mentor, learner],
    data: [
        mentor,
        learner,
        held_on,
        minutes,
        skills,
        format,
        recorded_by,
        confirmed_by
    ],
    parties: [by, mentor, learner],
});

/// `community.revenue_share_set`: an owner set the part of the community's share its members
/// share out, and how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueShareSet {
    /// The owner.
    pub by: String,
    /// The community.
    pub community: String,
    /// The members' part of the community's share, in basis points (0 turns it off).
    pub share_bps: u32,
    /// Days in a period.
    pub period_days: u32,
}
layout!(RevenueShareSet {
    actor: by,
    subjects: [community],
    data: [share_bps, period_days]
});

/// `community.perk_added`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerkAdded {
    /// The curator.
    pub by: String,
    /// The community.
    pub community: String,
    /// The perk.
    pub perk: String,
}
layout!(PerkAdded {
    actor: by,
    subjects: [community, perk],
    data: []
});

/// `community.perk_removed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerkRemoved {
    /// The curator.
    pub by: String,
    /// The community.
    pub community: String,
    /// The perk.
    pub perk: String,
}
layout!(PerkRemoved {
    actor: by,
    subjects: [community, perk],
    data: []
});
