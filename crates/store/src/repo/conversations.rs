//! Conversations, their members and messages, blocks between members, reports of messages,
//! and who may start a conversation with a member.

use crate::schema::{
    contracts, conversation_members as cm, conversations, jobs, member_blocks, member_settings,
    message_reports, messages, proposals,
};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// A conversation.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = conversations)]
pub struct ConversationRow {
    /// UUIDv7.
    pub id: String,
    /// `direct`, `group`, `job`, `proposal`, `contract` or `community`.
    pub subject_kind: String,
    /// The job, proposal, contract or community it is attached to.
    pub subject_id: Option<String>,
    /// One conversation per pair, asker, proposal, contract or community; none for groups.
    pub unique_key: Option<String>,
    /// A group's title; empty for the others, which are named after what they are about.
    pub title: String,
    /// Who started it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub created_by: UserId,
    /// When.
    pub created_at: Millis,
    /// Its newest message's time (its creation time before any).
    pub last_message_at: Millis,
}

/// A member's place in a conversation.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = cm)]
pub struct MemberRow {
    /// The conversation.
    pub conversation_id: String,
    /// The member.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// When they joined.
    pub joined_at: Millis,
    /// The newest message they have read; empty when none.
    pub last_read_id: String,
    /// Whether they hear of new messages.
    pub muted: bool,
}

/// A message.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = messages)]
pub struct MessageRow {
    /// UUIDv7: messages sort by it.
    pub id: String,
    /// The conversation.
    pub conversation_id: String,
    /// The author.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub author_id: UserId,
    /// Markdown as written; empty once deleted.
    pub body: String,
    /// Sanitised HTML; empty once deleted.
    pub body_html: String,
    /// When sent.
    pub created_at: Millis,
    /// When last edited.
    pub edited_at: Option<Millis>,
    /// When deleted or removed.
    pub deleted_at: Option<Millis>,
    /// The curator or operator who removed it after a report.
    pub removed_by: Option<String>,
}

/// A report of a message.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = message_reports)]
pub struct ReportRow {
    /// UUIDv7.
    pub id: String,
    /// The message.
    pub message_id: String,
    /// Who reported it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub reporter_id: UserId,
    /// Whose curators handle it; none: the operators.
    pub community_id: Option<String>,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: Millis,
    /// When it was settled.
    pub resolved_at: Option<Millis>,
}

/// Adds a conversation.
pub fn insert(conn: &mut DbConnection, row: &ConversationRow) -> Result<(), StoreError> {
    diesel::insert_into(conversations::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One conversation.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<ConversationRow>, StoreError> {
    Ok(conversations::table
        .find(id)
        .select(ConversationRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The conversation kept once per `key` (a pair, a contract, …).
pub fn by_key(conn: &mut DbConnection, key: &str) -> Result<Option<ConversationRow>, StoreError> {
    Ok(conversations::table
        .filter(conversations::unique_key.eq(key))
        .select(ConversationRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Moves a conversation's activity time forward.
pub fn touch(conn: &mut DbConnection, id: &str, now: Millis) -> Result<(), StoreError> {
    diesel::update(conversations::table.find(id))
        .set(conversations::last_message_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Adds a member to a conversation, unless they are in it.
pub fn add_member(conn: &mut DbConnection, row: &MemberRow) -> Result<(), StoreError> {
    if member(conn, &row.conversation_id, row.user_id)?.is_none() {
        diesel::insert_into(cm::table)
            .values(row.clone())
            .execute(conn)?;
    }
    Ok(())
}

/// A member's place in a conversation.
pub fn member(
    conn: &mut DbConnection,
    conversation_id: &str,
    user_id: UserId,
) -> Result<Option<MemberRow>, StoreError> {
    Ok(cm::table
        .find((conversation_id, user_id.to_string()))
        .select(MemberRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A conversation's members, in the order they joined.
pub fn members(
    conn: &mut DbConnection,
    conversation_id: &str,
) -> Result<Vec<MemberRow>, StoreError> {
    Ok(cm::table
        .filter(cm::conversation_id.eq(conversation_id))
        .order((cm::joined_at, cm::user_id))
        .select(MemberRow::as_select())
        .load(conn)?)
}

/// Marks a member's messages read up to `message_id`; never moves the mark back.
pub fn mark_read(
    conn: &mut DbConnection,
    conversation_id: &str,
    user_id: UserId,
    message_id: &str,
) -> Result<(), StoreError> {
    diesel::update(cm::table.find((conversation_id, user_id.to_string())))
        .filter(cm::last_read_id.lt(message_id))
        .set(cm::last_read_id.eq(message_id))
        .execute(conn)?;
    Ok(())
}

/// Mutes or unmutes a conversation for a member.
pub fn set_muted(
    conn: &mut DbConnection,
    conversation_id: &str,
    user_id: UserId,
    muted: bool,
) -> Result<(), StoreError> {
    diesel::update(cm::table.find((conversation_id, user_id.to_string())))
        .set(cm::muted.eq(muted))
        .execute(conn)?;
    Ok(())
}

/// A member's conversations, the most recently active first.
pub fn of_user(
    conn: &mut DbConnection,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<(ConversationRow, MemberRow)>, StoreError> {
    Ok(conversations::table
        .inner_join(cm::table.on(cm::conversation_id.eq(conversations::id)))
        .filter(cm::user_id.eq(user_id.to_string()))
        .order((
            conversations::last_message_at.desc(),
            conversations::id.desc(),
        ))
        .limit(limit)
        .select((ConversationRow::as_select(), MemberRow::as_select()))
        .load(conn)?)
}

/// Adds a message.
pub fn insert_message(conn: &mut DbConnection, row: &MessageRow) -> Result<(), StoreError> {
    diesel::insert_into(messages::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One message.
pub fn message(conn: &mut DbConnection, id: &str) -> Result<Option<MessageRow>, StoreError> {
    Ok(messages::table
        .find(id)
        .select(MessageRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Writes a message's body, edit time and deletion back.
pub fn update_message(conn: &mut DbConnection, row: &MessageRow) -> Result<(), StoreError> {
    diesel::update(messages::table.find(&row.id))
        .set((
            messages::body.eq(&row.body),
            messages::body_html.eq(&row.body_html),
            messages::edited_at.eq(row.edited_at),
            messages::deleted_at.eq(row.deleted_at),
            messages::removed_by.eq(&row.removed_by),
        ))
        .execute(conn)?;
    Ok(())
}

/// The newest `limit` messages of a conversation after `after` (a message id), oldest first,
/// leaving out those of `hidden` authors.
pub fn messages(
    conn: &mut DbConnection,
    conversation_id: &str,
    after: &str,
    hidden: &[UserId],
    limit: i64,
) -> Result<Vec<MessageRow>, StoreError> {
    let hidden: Vec<String> = hidden.iter().map(UserId::to_string).collect();
    let mut rows: Vec<MessageRow> = messages::table
        .filter(messages::conversation_id.eq(conversation_id))
        .filter(messages::id.gt(after))
        .filter(messages::author_id.ne_all(hidden))
        .order(messages::id.desc())
        .limit(limit)
        .select(MessageRow::as_select())
        .load(conn)?;
    rows.reverse();
    Ok(rows)
}

/// The newest message of a conversation (any author, deleted or not).
pub fn newest(
    conn: &mut DbConnection,
    conversation_id: &str,
) -> Result<Option<MessageRow>, StoreError> {
    Ok(messages::table
        .filter(messages::conversation_id.eq(conversation_id))
        .order(messages::id.desc())
        .select(MessageRow::as_select())
        .first(conn)
        .optional()?)
}

/// For each of a member's conversations with unread messages, whether the member muted it
/// and how many: messages of others after the member's read mark, not deleted, not by
/// someone the member blocked.
pub fn unread_counts(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<(String, bool, i64)>, StoreError> {
    let me = user_id.to_string();
    let blocked = member_blocks::table
        .filter(member_blocks::blocker_id.eq(me.clone()))
        .select(member_blocks::blocked_id);
    Ok(messages::table
        .inner_join(
            cm::table.on(cm::conversation_id
                .eq(messages::conversation_id)
                .and(cm::user_id.eq(me.clone()))),
        )
        .filter(messages::id.gt(cm::last_read_id))
        .filter(messages::author_id.ne(me.clone()))
        .filter(messages::deleted_at.is_null())
        .filter(diesel::dsl::not(messages::author_id.eq_any(blocked)))
        .group_by((cm::conversation_id, cm::muted))
        .select((cm::conversation_id, cm::muted, diesel::dsl::count_star()))
        .load(conn)?)
}

/// The members of a conversation who hear of its message `message_id` by `author`: not the
/// author, not those who muted it or blocked the author, and not those with an earlier
/// message of someone else still unread (they were told of that one and have not looked).
pub fn to_tell(
    conn: &mut DbConnection,
    conversation_id: &str,
    message_id: &str,
    author: UserId,
) -> Result<Vec<UserId>, StoreError> {
    let waiting: Vec<String> = messages::table
        .inner_join(
            cm::table.on(cm::conversation_id
                .eq(messages::conversation_id)
                .and(messages::id.gt(cm::last_read_id))
                .and(messages::author_id.ne(cm::user_id))),
        )
        .filter(messages::conversation_id.eq(conversation_id))
        .filter(messages::id.lt(message_id))
        .filter(messages::deleted_at.is_null())
        .select(cm::user_id)
        .distinct()
        .load(conn)?;
    let blocking: Vec<String> = member_blocks::table
        .filter(member_blocks::blocked_id.eq(author.to_string()))
        .select(member_blocks::blocker_id)
        .load(conn)?;
    Ok(members(conn, conversation_id)?
        .into_iter()
        .filter(|m| !m.muted && m.user_id != author)
        .map(|m| m.user_id)
        .filter(|id| {
            let id = id.to_string();
            !waiting.contains(&id) && !blocking.contains(&id)
        })
        .collect())
}

/// Blocks `blocked` for `blocker`; false when it was blocked already.
pub fn block(
    conn: &mut DbConnection,
    blocker: UserId,
    blocked: UserId,
    now: Millis,
) -> Result<bool, StoreError> {
    let key = (blocker.to_string(), blocked.to_string());
    let exists: i64 = member_blocks::table
        .find(key.clone())
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(member_blocks::table)
        .values((
            member_blocks::blocker_id.eq(key.0),
            member_blocks::blocked_id.eq(key.1),
            member_blocks::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Lifts a block; false when there was none.
pub fn unblock(
    conn: &mut DbConnection,
    blocker: UserId,
    blocked: UserId,
) -> Result<bool, StoreError> {
    let n = diesel::delete(member_blocks::table.find((blocker.to_string(), blocked.to_string())))
        .execute(conn)?;
    Ok(n > 0)
}

/// Whether either of `a` and `b` blocked the other.
pub fn blocked_between(conn: &mut DbConnection, a: UserId, b: UserId) -> Result<bool, StoreError> {
    let (a, b) = (a.to_string(), b.to_string());
    let n: i64 = member_blocks::table
        .filter(
            (member_blocks::blocker_id
                .eq(&a)
                .and(member_blocks::blocked_id.eq(&b)))
            .or(member_blocks::blocker_id
                .eq(&b)
                .and(member_blocks::blocked_id.eq(&a))),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whom a member blocked, with when, the most recent first.
pub fn blocked_by(
    conn: &mut DbConnection,
    blocker: UserId,
) -> Result<Vec<(UserId, Millis)>, StoreError> {
    let rows: Vec<(String, Millis)> = member_blocks::table
        .filter(member_blocks::blocker_id.eq(blocker.to_string()))
        .order(member_blocks::created_at.desc())
        .select((member_blocks::blocked_id, member_blocks::created_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, at)| Ok((UserId::try_from(id)?, at)))
        .collect()
}

/// Everyone hidden from a member: those they blocked and those who blocked them.
pub fn hidden_from(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<UserId>, StoreError> {
    let me = user_id.to_string();
    let mut ids: Vec<String> = member_blocks::table
        .filter(member_blocks::blocker_id.eq(&me))
        .select(member_blocks::blocked_id)
        .load(conn)?;
    ids.extend(
        member_blocks::table
            .filter(member_blocks::blocked_id.eq(&me))
            .select(member_blocks::blocker_id)
            .load::<String>(conn)?,
    );
    Ok(ids
        .into_iter()
        .map(UserId::try_from)
        .collect::<Result<_, _>>()?)
}

/// Files a report; false when this member reported this message already.
pub fn report(conn: &mut DbConnection, row: &ReportRow) -> Result<bool, StoreError> {
    let exists: i64 = message_reports::table
        .filter(message_reports::message_id.eq(&row.message_id))
        .filter(message_reports::reporter_id.eq(row.reporter_id.to_string()))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(message_reports::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(true)
}

/// Open reports for a community's curators, or for the operators (`None`), oldest first.
pub fn open_reports(
    conn: &mut DbConnection,
    community_id: Option<&str>,
) -> Result<Vec<ReportRow>, StoreError> {
    let query = message_reports::table
        .filter(message_reports::resolved_at.is_null())
        .order(message_reports::id)
        .select(ReportRow::as_select())
        .limit(500);
    Ok(match community_id {
        Some(id) => query
            .filter(message_reports::community_id.eq(id))
            .load(conn)?,
        None => query
            .filter(message_reports::community_id.is_null())
            .load(conn)?,
    })
}

/// One report.
pub fn report_by_id(conn: &mut DbConnection, id: &str) -> Result<Option<ReportRow>, StoreError> {
    Ok(message_reports::table
        .find(id)
        .select(ReportRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Settles a message's open reports.
pub fn resolve_reports(
    conn: &mut DbConnection,
    message_id: &str,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(
        message_reports::table
            .filter(message_reports::message_id.eq(message_id))
            .filter(message_reports::resolved_at.is_null()),
    )
    .set(message_reports::resolved_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Who may start a conversation with a member, as stored; none when never set.
pub fn messages_from(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Option<String>, StoreError> {
    Ok(member_settings::table
        .find(user_id.to_string())
        .select(member_settings::messages_from)
        .get_result(conn)
        .optional()?)
}

/// Sets who may start a conversation with a member.
pub fn set_messages_from(
    conn: &mut DbConnection,
    user_id: UserId,
    value: &str,
) -> Result<(), StoreError> {
    let updated = diesel::update(member_settings::table.find(user_id.to_string()))
        .set(member_settings::messages_from.eq(value))
        .execute(conn)?;
    if updated == 0 {
        // A member without settings takes suggestions from members, the default.
        diesel::insert_into(member_settings::table)
            .values((
                member_settings::user_id.eq(user_id.to_string()),
                member_settings::suggestions_from.eq("members"),
                member_settings::messages_from.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether `a` and `b` have work between them: a contract (offered, running or ended, as its
/// client, member or learner) or a proposal of one for the other's job.
pub fn have_work(conn: &mut DbConnection, a: UserId, b: UserId) -> Result<bool, StoreError> {
    let (a, b) = (a.to_string(), b.to_string());
    let party = |x: &String| {
        contracts::client_id
            .eq(x.clone())
            .or(contracts::member_id.eq(x.clone()))
            .or(contracts::learner_id.eq(x.clone()))
    };
    let contracts: i64 = contracts::table
        .filter(party(&a))
        .filter(party(&b))
        .count()
        .get_result(conn)?;
    if contracts > 0 {
        return Ok(true);
    }
    let proposals: i64 = proposals::table
        .inner_join(jobs::table.on(jobs::id.eq(proposals::job_id)))
        .filter(
            (proposals::member_id.eq(&a).and(jobs::client_id.eq(&b)))
                .or(proposals::member_id.eq(&b).and(jobs::client_id.eq(&a))),
        )
        .count()
        .get_result(conn)?;
    Ok(proposals > 0)
}
