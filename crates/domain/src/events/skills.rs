//! Skills: members' own tags, suggestions, endorsements and merges.

use super::layout::{absent_or_null, layout};
use serde::{Deserialize, Serialize};

/// `skill.tag_created`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagCreated {
    /// The member whose claim created it.
    pub by: String,
    /// The tag's skill id.
    pub tag: String,
    /// Its label.
    pub label: String,
}
layout!(TagCreated {
    actor: by,
    subjects: [tag],
    data: [label]
});

/// `skill.suggested`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillSuggested {
    /// Who suggested it.
    pub suggester: String,
    /// The suggestion.
    pub suggestion: String,
    /// To whom.
    pub member: String,
    /// The skill.
    pub skill: String,
}
layout!(SkillSuggested {
    actor: suggester,
    subjects: [suggestion, member, skill],
    data: []
});

/// `skill.suggestion_accepted`: the suggester vouched for the member's skill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestionAccepted {
    /// The member who accepted.
    pub member: String,
    /// The suggestion.
    pub suggestion: String,
    /// The profile item it became.
    pub item: String,
    /// Who suggested it.
    pub suggester: String,
    /// The skill.
    pub skill: String,
    /// The suggester's handle, if their account still existed.
    pub suggested_by: Option<String>,
}
layout!(SuggestionAccepted {
    actor: member,
    subjects: [suggestion, item, suggester, skill],
    data: [suggested_by],
    parties: [member, suggester],
});

/// `skill.suggestion_declined`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestionDeclined {
    /// The member who declined.
    pub member: String,
    /// The suggestion.
    pub suggestion: String,
}
layout!(SuggestionDeclined {
    actor: member,
    subjects: [suggestion],
    data: []
});

/// `skill.endorsed`. Endorsements written before they had to rest on shared work carry a
/// `relation` instead of a `basis`, and the oldest no skill; they vouch for nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillEndorsed {
    /// Who endorsed.
    pub endorser: String,
    /// The endorsed skill claim (a profile item).
    pub item: String,
    /// The claim's owner.
    pub owner: String,
    /// The shared work it rests on: `contract`, `mentoring` or `community`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// The claimed skill's id; `null` for a claim without one, absent in the oldest entries.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "absent_or_null"
    )]
    pub skill: Option<Option<String>>,
    /// The endorser's own trust in the skill when they endorsed it, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorser_trust: Option<f64>,
    /// The older entries' qualifying relation (`connection`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
}
layout!(SkillEndorsed {
    actor: endorser,
    subjects: [item, owner],
    data: [basis, skill, endorser_trust, relation],
    parties: [endorser, owner],
});

/// `skill.merged`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillMerged {
    /// The operator.
    pub operator: String,
    /// The merge.
    pub merge: String,
    /// The tag's id.
    pub tag_id: String,
    /// The skill's id.
    pub skill_id: String,
    /// The members whose claims moved (their cached profiles change).
    pub owners: Vec<String>,
    /// The tag's label.
    pub tag: String,
    /// The skill's preferred label.
    pub into: String,
    /// How many claims moved.
    pub claims: u64,
}
layout!(SkillMerged {
    actor: operator,
    subjects: [merge, tag_id, skill_id],
    more: owners,
    data: [tag, into, claims],
});

/// `skill.unmerged`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillUnmerged {
    /// The operator.
    pub operator: String,
    /// The merge undone.
    pub merge: String,
    /// The tag's id.
    pub tag_id: String,
    /// The skill's id.
    pub skill_id: String,
    /// The members whose claims moved back.
    pub owners: Vec<String>,
    /// How many claims moved back.
    pub claims: u64,
}
layout!(SkillUnmerged {
    actor: operator,
    subjects: [merge, tag_id, skill_id],
    more: owners,
    data: [claims],
});

/// `skill.assessed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillAssessed {
    /// The curator who vouches for it.
    pub curator: String,
    /// The member assessed.
    pub member: String,
    /// The community the curator speaks for.
    pub community: String,
    /// The skill.
    pub skill: String,
    /// What the curator saw, in their words.
    pub note: String,
}
layout!(SkillAssessed {
    actor: curator,
    subjects: [member, community, skill],
    data: [note],
    parties: [curator, member],
});
