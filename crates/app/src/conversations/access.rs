//! Who takes part in a conversation, who may write in it, and who may start one with whom.

use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::UserId;
use guildhall_store::DbConnection;
use guildhall_store::repo::conversations::{self as repo, ConversationRow, MemberRow};
use guildhall_store::repo::{communities, connections, contracts, jobs, users};
use serde::{Deserialize, Serialize};

/// What a conversation is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A question about a job, between its client and the member who asks.
    Job,
    /// A proposal, between its author and the job's client.
    Proposal,
    /// A contract, between its client and its member (and its learner, in a pair).
    Contract,
    /// A community: every member may read and write.
    Community,
}

impl Subject {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Job => "job",
            Subject::Proposal => "proposal",
            Subject::Contract => "contract",
            Subject::Community => "community",
        }
    }
}

/// Who may start a conversation with a member. Each level takes in the ones before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessagesFrom {
    /// People with a contract or a proposal between us.
    Work,
    /// Those, and my connections.
    Connections,
    /// Those, and the members of the communities I belong to.
    #[default]
    Communities,
}

impl MessagesFrom {
    /// Every choice, as a form offers them.
    pub const ALL: &'static [MessagesFrom] = &[
        MessagesFrom::Communities,
        MessagesFrom::Connections,
        MessagesFrom::Work,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessagesFrom::Work => "work",
            MessagesFrom::Connections => "connections",
            MessagesFrom::Communities => "communities",
        }
    }

    /// The choice in a member's words.
    pub fn label(self) -> &'static str {
        match self {
            MessagesFrom::Work => "Only people I have a contract or a proposal with",
            MessagesFrom::Connections => "My connections, and people I work with",
            MessagesFrom::Communities => {
                "Members of my communities, my connections, and people I work with"
            }
        }
    }

    pub(super) fn parse(s: &str) -> MessagesFrom {
        match s {
            "work" => MessagesFrom::Work,
            "connections" => MessagesFrom::Connections,
            _ => MessagesFrom::Communities,
        }
    }

    /// Who `@handle` takes new conversations from, in words, to say why one was refused.
    fn refusal(self, handle: &str) -> String {
        let from = match self {
            MessagesFrom::Work => "people they have a contract or a proposal with",
            MessagesFrom::Connections => "their connections and people they work with",
            MessagesFrom::Communities => "members of their communities and their connections",
        };
        format!("@{handle} takes new conversations only from {from}")
    }
}

/// A member's setting.
pub(super) fn messages_from(c: &mut DbConnection, id: UserId) -> Result<MessagesFrom, AppError> {
    Ok(repo::messages_from(c, id)?.map_or(MessagesFrom::default(), |s| MessagesFrom::parse(&s)))
}

/// Refuses, on the field `/to`, a conversation `from` may not start with `to` (`handle`):
/// a block either way, or `to`'s setting.
pub(super) fn may_start(
    c: &mut DbConnection,
    from: UserId,
    to: UserId,
    handle: &str,
) -> Result<(), AppError> {
    if repo::blocked_between(c, from, to)? {
        return Err(AppError::field(
            "/to",
            format!("you cannot send messages to @{handle}"),
        ));
    }
    let setting = messages_from(c, to)?;
    let allowed = repo::have_work(c, from, to)?
        || (setting != MessagesFrom::Work
            && connections::between(c, from, to)?.is_some_and(|row| {
                row.status == guildhall_domain::connection::ConnectionStatus::Accepted
            }))
        || (setting == MessagesFrom::Communities && !communities::shared(c, from, to)?.is_empty());
    if allowed {
        Ok(())
    } else {
        Err(AppError::field("/to", setting.refusal(handle)))
    }
}

/// A conversation as one reader stands in it.
pub(super) struct Place {
    /// The conversation.
    pub conversation: ConversationRow,
    /// The reader's membership; none for a community member who has not taken part yet.
    pub member: Option<MemberRow>,
}

/// The conversation `id` if `who` may read it: its members, and for a community's
/// conversation the community's members (who leave it when they leave the community).
pub(super) fn place(c: &mut DbConnection, id: &str, who: &Account) -> Result<Place, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let conversation = repo::by_id(c, id)?.ok_or(AppError::NotFound)?;
    let member = repo::member(c, id, who.id)?;
    let allowed = match (&conversation.subject_kind[..], &conversation.subject_id) {
        ("community", Some(community)) => communities::role_of(c, community, who.id)?.is_some(),
        _ => member.is_some(),
    };
    if !allowed {
        return Err(AppError::NotFound);
    }
    Ok(Place {
        conversation,
        member,
    })
}

/// Whether `who` may write in the conversation: in a conversation of two, not while either
/// blocked the other (in groups and communities a block only hides each from the other).
pub(super) fn may_write(
    c: &mut DbConnection,
    place: &Place,
    who: &Account,
) -> Result<Option<String>, AppError> {
    if matches!(&place.conversation.subject_kind[..], "group" | "community") {
        return Ok(None);
    }
    for m in repo::members(c, &place.conversation.id)? {
        if m.user_id != who.id && repo::blocked_between(c, who.id, m.user_id)? {
            let handle = users::by_id(c, m.user_id)?
                .map(|u| u.handle)
                .unwrap_or_default();
            return Ok(Some(format!(
                "you cannot send messages to @{handle} while one of you blocks the other"
            )));
        }
    }
    Ok(None)
}

/// The members and unique key of the conversation `who` opens about `subject` `id`, after
/// checking `who` is a party to it.
pub(super) fn parties(
    c: &mut DbConnection,
    who: &Account,
    subject: Subject,
    id: &str,
) -> Result<(Vec<UserId>, String), AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    Ok(match subject {
        Subject::Contract => {
            let row = contracts::by_id(c, id.parse().map_err(|_| AppError::NotFound)?)?
                .filter(|r| r.is_party(who.id))
                .ok_or(AppError::NotFound)?;
            let parties = [row.client_id, row.member_id]
                .into_iter()
                .chain(row.learner_id)
                .collect();
            (parties, format!("contract:{id}"))
        }
        Subject::Proposal => {
            let proposal = jobs::proposal(c, id)?.ok_or(AppError::NotFound)?;
            let job = jobs::by_id(c, &proposal.job_id)?.ok_or(AppError::NotFound)?;
            if who.id != proposal.member_id && who.id != job.client_id {
                return Err(AppError::NotFound);
            }
            (
                vec![job.client_id, proposal.member_id],
                format!("proposal:{id}"),
            )
        }
        Subject::Job => {
            let job = jobs::by_id(c, id)?.ok_or(AppError::NotFound)?;
            if !crate::work::jobs::visible(c, &job, who.id)? {
                return Err(AppError::NotFound);
            }
            if job.client_id == who.id {
                return Err(AppError::conflict(
                    None,
                    "members ask you about your job; answer them in their conversations",
                ));
            }
            (vec![job.client_id, who.id], format!("job:{id}:{}", who.id))
        }
        Subject::Community => {
            if communities::role_of(c, id, who.id)?.is_none() {
                return Err(AppError::NotFound);
            }
            (vec![who.id], format!("community:{id}"))
        }
    })
}
