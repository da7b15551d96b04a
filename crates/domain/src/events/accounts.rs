//! Accounts, sessions, tokens, profiles, personas and connections.

use super::layout::layout;
use serde::{Deserialize, Serialize};

/// `account.created`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountCreated {
    /// The new account, which is also the actor.
    pub account: String,
    /// Its handle.
    pub handle: String,
    /// Whether it was created as an operator.
    pub operator: bool,
}
layout!(AccountCreated {
    actor: account,
    subjects: [account],
    data: [handle, operator]
});

/// `account.erased`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountErased {
    /// The account, which is also the actor.
    pub account: String,
    /// The communities whose ownership passed to someone else as it went.
    pub communities_passed: u64,
    /// Whether the member asked for every credential they held to be revoked.
    pub credentials_revoked: bool,
}
layout!(AccountErased {
    actor: account,
    subjects: [account],
    data: [communities_passed, credentials_revoked]
});

/// `account.password_changed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChanged {
    /// Whose password.
    pub account: String,
    /// Set when the change came through an operator's reset link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_reset_link: Option<bool>,
}
layout!(PasswordChanged {
    actor: account,
    subjects: [account],
    data: [by_reset_link]
});

/// `account.signed_in`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedIn {
    /// Who signed in.
    pub account: String,
}
layout!(SignedIn {
    actor: account,
    subjects: [account],
    data: []
});

/// `account.signed_out`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedOut {
    /// Whose session ended, when the session was still known.
    pub account: Option<String>,
}
layout!(SignedOut {
    actor: account,
    subjects: [],
    data: []
});

/// `token.created`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenCreated {
    /// The token's owner.
    pub owner: String,
    /// The token.
    pub token: String,
    /// The name its owner gave it.
    pub name: String,
}
layout!(TokenCreated {
    actor: owner,
    subjects: [token],
    data: [name]
});

/// `token.revoked`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRevoked {
    /// The token's owner.
    pub owner: String,
    /// The token.
    pub token: String,
}
layout!(TokenRevoked {
    actor: owner,
    subjects: [token],
    data: []
});

/// `profile.item_added` and `profile.item_updated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemChanged {
    /// The profile's owner.
    pub owner: String,
    /// The item.
    pub item: String,
    /// The item's kind, such as `skill`.
    pub kind: String,
    /// Who may see it, as the profile stores it (a JSON list in a string).
    pub audiences: String,
}
layout!(ItemChanged {
    actor: owner,
    subjects: [item],
    data: [kind, audiences]
});

/// `profile.item_removed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRemoved {
    /// The profile's owner.
    pub owner: String,
    /// The item.
    pub item: String,
}
layout!(ItemRemoved {
    actor: owner,
    subjects: [item],
    data: []
});

/// `persona.created`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaCreated {
    /// The persona's owner.
    pub owner: String,
    /// The persona.
    pub persona: String,
    /// Its name.
    pub name: String,
    /// Who its link shows it to.
    pub link_audience: String,
}
layout!(PersonaCreated {
    actor: owner,
    subjects: [persona],
    data: [name, link_audience]
});

/// `persona.updated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaUpdated {
    /// The persona's owner.
    pub owner: String,
    /// The persona.
    pub persona: String,
    /// Who its link shows it to now.
    pub link_audience: String,
    /// Whether the old link stopped working and a new one was made.
    pub new_link: bool,
}
layout!(PersonaUpdated {
    actor: owner,
    subjects: [persona],
    data: [link_audience, new_link]
});

/// `persona.removed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaRemoved {
    /// The persona's owner.
    pub owner: String,
    /// The persona.
    pub persona: String,
}
layout!(PersonaRemoved {
    actor: owner,
    subjects: [persona],
    data: []
});

/// `connection.requested`, `connection.accepted` and `connection.declined`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionAnswered {
    /// Who asked or answered.
    pub by: String,
    /// The connection.
    pub connection: String,
    /// The other member.
    pub other: String,
}
layout!(ConnectionAnswered {
    actor: by,
    subjects: [connection, other],
    data: []
});

/// `connection.removed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionRemoved {
    /// Who removed it.
    pub by: String,
    /// The connection.
    pub connection: String,
    /// The other member.
    pub other: String,
    /// Its status before: `pending` or `accepted`.
    pub was: String,
}
layout!(ConnectionRemoved {
    actor: by,
    subjects: [connection, other],
    data: [was]
});

/// `settings.suggestions_changed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestionsSettingChanged {
    /// The member.
    pub account: String,
    /// From whom they now take suggestions.
    pub from: String,
}
layout!(SuggestionsSettingChanged {
    actor: account,
    subjects: [account],
    data: [from]
});

/// `settings.credential_naming_changed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialNamingChanged {
    /// The member.
    pub account: String,
    /// Whether the people they worked with may now name them in credentials.
    pub allowed: bool,
}
layout!(CredentialNamingChanged {
    actor: account,
    subjects: [account],
    data: [allowed]
});
