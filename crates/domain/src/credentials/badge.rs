//! Open Badges 3.0 credentials (`OpenBadgeCredential`, a W3C Verifiable Credential 2.0) as
//! the instance issues them: the instance is the issuer, the member the `AchievementSubject`,
//! and what they achieved an `Achievement` with the criteria it stands for. Unsigned here;
//! `proof::sign` secures them.

use serde_json::{Value, json};

/// The VC 2.0 base context.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// What kind of achievement a credential states.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[schema(as = CredentialKind)]
pub enum Kind {
    /// A contract completed and paid.
    Contract,
    /// Admission to a curated community.
    Membership,
    /// Mentoring given, in sessions both sides confirmed.
    Mentoring,
    /// A skill backed by paid work or a curator's assessment.
    Skill,
}

impl Kind {
    /// The Open Badges `achievementType` that fits.
    pub fn achievement_type(self) -> &'static str {
        match self {
            Kind::Contract => "Achievement",
            Kind::Membership => "Membership",
            Kind::Mentoring => "Award",
            Kind::Skill => "Competency",
        }
    }

    /// The word people read.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Contract => "Completed contract",
            Kind::Membership => "Community membership",
            Kind::Mentoring => "Mentoring given",
            Kind::Skill => "Skill",
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contract => "contract",
            Kind::Membership => "membership",
            Kind::Mentoring => "mentoring",
            Kind::Skill => "skill",
        }
    }

    /// The kind a stored name names.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Kind::Contract,
            Kind::Membership,
            Kind::Mentoring,
            Kind::Skill,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The issuing instance.
#[derive(Clone, Debug)]
pub struct Issuer {
    /// Its `did:web`.
    pub did: String,
    /// Its name, as members know it.
    pub name: String,
    /// Its public address, without a trailing slash.
    pub url: String,
}

/// What one credential states.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The credential's own id (`urn:uuid:…`).
    pub id: String,
    /// The kind of achievement.
    pub kind: Kind,
    /// The member's profile address: the subject's id.
    pub subject: String,
    /// The member's display name.
    pub subject_name: String,
    /// A stable address for the achievement (the same for every member who earns it).
    pub achievement_id: String,
    /// The achievement's name, such as "Delivered: Data pipeline".
    pub name: String,
    /// What it is.
    pub description: String,
    /// What earning it took.
    pub criteria: String,
    /// Skills it speaks for, by name.
    pub skills: Vec<String>,
    /// Skills of a published framework it aligns with: (name, address), such as an ESCO skill.
    pub alignment: Vec<(String, String)>,
    /// Open Badges `Evidence` objects.
    pub evidence: Vec<Value>,
    /// When it became valid (RFC 3339).
    pub valid_from: String,
    /// Its entry in the status list.
    pub status: StatusEntry,
}

/// Where a credential's revocation bit lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusEntry {
    /// The status list credential's address.
    pub list: String,
    /// The bit's index in it.
    pub index: u64,
}

impl StatusEntry {
    /// The `credentialStatus` object.
    pub fn to_json(&self) -> Value {
        json!({
            "id": format!("{}#{}", self.list, self.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": self.index.to_string(),
            "statusListCredential": self.list,
        })
    }
}

/// The issuer object every credential carries.
fn issuer_profile(issuer: &Issuer) -> Value {
    json!({"id": issuer.did, "type": ["Profile"], "name": issuer.name, "url": issuer.url})
}

/// The unsigned `OpenBadgeCredential` for `claim`.
pub fn credential(issuer: &Issuer, claim: &Claim) -> Value {
    let mut achievement = json!({
        "id": claim.achievement_id,
        "type": ["Achievement"],
        "achievementType": claim.kind.achievement_type(),
        "name": claim.name,
        "description": claim.description,
        "criteria": {"narrative": claim.criteria},
    });
    if !claim.skills.is_empty() {
        achievement["tag"] = json!(claim.skills);
    }
    if !claim.alignment.is_empty() {
        achievement["alignment"] = claim
            .alignment
            .iter()
            .map(|(name, url)| {
                json!({"type": ["Alignment"], "targetName": name, "targetUrl": url,
                       "targetType": "ceasn:Competency"})
            })
            .collect();
    }
    let mut vc = json!({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": claim.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(issuer),
        "validFrom": claim.valid_from,
        "name": claim.name,
        "description": claim.description,
        "credentialSubject": {
            "id": claim.subject,
            "type": ["AchievementSubject"],
            "name": claim.subject_name,
            "achievement": achievement,
        },
        "credentialStatus": claim.status.to_json(),
    });
    if !claim.evidence.is_empty() {
        vc["evidence"] = json!(claim.evidence);
    }
    vc
}

/// The unsigned `BitstringStatusListCredential` at `list` holding `encoded_list`.
pub fn status_list_credential(
    issuer: &Issuer,
    list: &str,
    encoded_list: &str,
    valid_from: &str,
) -> Value {
    json!({
        "@context": [VC_CONTEXT],
        "id": list,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{list}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    })
}
