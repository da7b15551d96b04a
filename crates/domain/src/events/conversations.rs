//! Conversations: messages between members, blocking, and who may write to whom.

use super::layout::layout;
use serde::{Deserialize, Serialize};

/// `conversation.started`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversationStarted {
    /// Who started it.
    pub starter: String,
    /// The conversation.
    pub conversation: String,
    /// What it is attached to: `direct`, `group`, `job`, `proposal`, `contract` or `community`.
    pub subject: String,
    /// Ids of the members it was started with (none for a community's conversation, which
    /// its members join by taking part).
    pub members: Vec<String>,
}
layout!(ConversationStarted {
    actor: starter,
    subjects: [conversation],
    data: [subject, members]
});

/// `conversation.message_sent`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSent {
    /// The author.
    pub author: String,
    /// The conversation.
    pub conversation: String,
    /// The message.
    pub message: String,
    /// Ids of the members of the conversation it mentions.
    pub mentions: Vec<String>,
}
layout!(MessageSent {
    actor: author,
    subjects: [conversation, message],
    data: [mentions]
});

/// `conversation.message_edited` and `conversation.message_deleted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageChanged {
    /// The author.
    pub author: String,
    /// The conversation.
    pub conversation: String,
    /// The message.
    pub message: String,
}
layout!(MessageChanged {
    actor: author,
    subjects: [conversation, message],
    data: []
});

/// `conversation.message_reported`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageReported {
    /// Who reported it.
    pub reporter: String,
    /// The conversation.
    pub conversation: String,
    /// The message.
    pub message: String,
}
layout!(MessageReported {
    actor: reporter,
    subjects: [conversation, message],
    data: []
});

/// `conversation.message_removed`: a curator or an operator removed a reported message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageRemoved {
    /// The curator or operator.
    pub moderator: String,
    /// The conversation.
    pub conversation: String,
    /// The message.
    pub message: String,
    /// Its author.
    pub author: String,
}
layout!(MessageRemoved {
    actor: moderator,
    subjects: [conversation, message, author],
    data: []
});

/// `account.blocked` and `account.unblocked`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blocked {
    /// Who blocked.
    pub account: String,
    /// Whom.
    pub other: String,
}
layout!(Blocked {
    actor: account,
    subjects: [account, other],
    data: []
});

/// `settings.messages_changed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagesSettingChanged {
    /// The member.
    pub account: String,
    /// From whom they now take new conversations: `work`, `connections` or `communities`.
    pub from: String,
}
layout!(MessagesSettingChanged {
    actor: account,
    subjects: [account],
    data: [from]
});
