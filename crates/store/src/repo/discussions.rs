//! Discussion threads, replies, mentions and reports.

use crate::schema::{community_posts as posts, post_mentions, post_reports};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// A post row: a thread when `thread_id` is none, else a reply.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = posts)]
pub struct PostRow {
    /// UUIDv7.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// The thread a reply belongs to.
    pub thread_id: Option<String>,
    /// Author.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub author_id: UserId,
    /// Title (threads only).
    pub title: String,
    /// Markdown.
    pub body: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// Pinned to the top (threads).
    pub pinned: bool,
    /// No more replies (threads).
    pub locked: bool,
    /// When a curator hid it.
    pub hidden_at: Option<Millis>,
    /// Who hid it.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub hidden_by: Option<UserId>,
    /// Why.
    pub hidden_reason: String,
    /// Creation time.
    pub created_at: Millis,
    /// Newest reply time (threads).
    pub last_activity_at: Millis,
}

/// Adds a post.
pub fn insert(conn: &mut DbConnection, row: &PostRow) -> Result<(), StoreError> {
    diesel::insert_into(posts::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One post.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<PostRow>, StoreError> {
    Ok(posts::table
        .find(id)
        .select(PostRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A community's threads: pinned first, then by latest activity.
pub fn threads(
    conn: &mut DbConnection,
    community_id: &str,
    limit: i64,
) -> Result<Vec<PostRow>, StoreError> {
    Ok(posts::table
        .filter(posts::community_id.eq(community_id))
        .filter(posts::thread_id.is_null())
        .order((
            posts::pinned.desc(),
            posts::last_activity_at.desc(),
            posts::id.desc(),
        ))
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)?)
}

/// A thread's replies, oldest first.
pub fn replies(conn: &mut DbConnection, thread_id: &str) -> Result<Vec<PostRow>, StoreError> {
    Ok(posts::table
        .filter(posts::thread_id.eq(thread_id))
        .order((posts::created_at, posts::id))
        .select(PostRow::as_select())
        .load(conn)?)
}

/// Everyone who wrote in a thread: its author and the authors of its replies, each once.
pub fn participants(conn: &mut DbConnection, thread_id: &str) -> Result<Vec<UserId>, StoreError> {
    let ids: Vec<String> = posts::table
        .filter(posts::id.eq(thread_id).or(posts::thread_id.eq(thread_id)))
        .select(posts::author_id)
        .distinct()
        .load(conn)?;
    Ok(ids
        .into_iter()
        .map(UserId::try_from)
        .collect::<Result<_, _>>()?)
}

/// How many replies each of these threads has: (thread id, count).
pub fn reply_counts(
    conn: &mut DbConnection,
    thread_ids: &[String],
) -> Result<Vec<(Option<String>, i64)>, StoreError> {
    Ok(posts::table
        .filter(posts::thread_id.eq_any(thread_ids))
        .group_by(posts::thread_id)
        .select((posts::thread_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Moves a thread's activity time forward.
pub fn touch(conn: &mut DbConnection, thread_id: &str, now: Millis) -> Result<(), StoreError> {
    diesel::update(posts::table.find(thread_id))
        .set(posts::last_activity_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Sets a thread's pinned and locked flags.
pub fn set_flags(
    conn: &mut DbConnection,
    id: &str,
    pinned: bool,
    locked: bool,
) -> Result<(), StoreError> {
    diesel::update(posts::table.find(id))
        .set((posts::pinned.eq(pinned), posts::locked.eq(locked)))
        .execute(conn)?;
    Ok(())
}

/// Hides a post (or shows it again when `hidden` is none).
pub fn set_hidden(
    conn: &mut DbConnection,
    id: &str,
    hidden: Option<(Millis, UserId, &str)>,
) -> Result<(), StoreError> {
    let (at, by, reason) = match hidden {
        Some((at, by, reason)) => (Some(at), Some(by.to_string()), reason),
        None => (None, None, ""),
    };
    diesel::update(posts::table.find(id))
        .set((
            posts::hidden_at.eq(at),
            posts::hidden_by.eq(by),
            posts::hidden_reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records who a post mentions.
pub fn add_mentions(
    conn: &mut DbConnection,
    post_id: &str,
    user_ids: &[UserId],
) -> Result<(), StoreError> {
    for user_id in user_ids {
        diesel::insert_into(post_mentions::table)
            .values((
                post_mentions::post_id.eq(post_id),
                post_mentions::user_id.eq(user_id.to_string()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Posts that mention a member, newest first.
pub fn mentioning(
    conn: &mut DbConnection,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(post_mentions::table
        .filter(post_mentions::user_id.eq(user_id.to_string()))
        .order(post_mentions::post_id.desc())
        .limit(limit)
        .select(post_mentions::post_id)
        .load(conn)?)
}

/// A report row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = post_reports)]
pub struct ReportRow {
    /// UUIDv7.
    pub id: String,
    /// Reported post.
    pub post_id: String,
    /// Reporter.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub reporter_id: UserId,
    /// Why.
    pub reason: String,
    /// Time.
    pub created_at: Millis,
    /// When a curator dealt with it.
    pub resolved_at: Option<Millis>,
}

/// Adds a report; false if this member already reported this post.
pub fn report(conn: &mut DbConnection, row: &ReportRow) -> Result<bool, StoreError> {
    let exists = post_reports::table
        .filter(post_reports::post_id.eq(&row.post_id))
        .filter(post_reports::reporter_id.eq(row.reporter_id.to_string()))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(post_reports::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(true)
}

/// Open reports on a community's posts, oldest first.
pub fn open_reports(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<ReportRow>, StoreError> {
    Ok(post_reports::table
        .inner_join(posts::table.on(posts::id.eq(post_reports::post_id)))
        .filter(posts::community_id.eq(community_id))
        .filter(post_reports::resolved_at.is_null())
        .order(post_reports::created_at)
        .select(ReportRow::as_select())
        .load(conn)?)
}

/// Closes every open report on a post.
pub fn resolve_reports(
    conn: &mut DbConnection,
    post_id: &str,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(
        post_reports::table
            .filter(post_reports::post_id.eq(post_id))
            .filter(post_reports::resolved_at.is_null()),
    )
    .set(post_reports::resolved_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Every thread and reply `author` wrote, oldest first.
pub fn by_author(conn: &mut DbConnection, author: UserId) -> Result<Vec<PostRow>, StoreError> {
    Ok(posts::table
        .filter(posts::author_id.eq(author.to_string()))
        .order((posts::created_at, posts::id))
        .select(PostRow::as_select())
        .load(conn)?)
}
