//! Discussions: threads and replies in Markdown (stored as written, shown as sanitised HTML),
//! mentions of members, pinned and locked threads, hidden posts and reports.

use super::Scope;
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::community::Action;
use guildhall_domain::events::{Event, PostModerated, PostReported, Replied, ThreadStarted};
use guildhall_domain::{FieldErrors, validation};
use guildhall_domain::{UserId, markdown};
use guildhall_store::DbConnection;
use guildhall_store::repo::discussions::{self as repo, PostRow, ReportRow};
use guildhall_store::repo::{communities, users};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A new thread.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadInput {
    /// What the thread is about, 3 to 200 characters; shown in the thread list.
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// A post as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Post {
    /// The post's id (UUIDv7); a thread's id is also the one in `/threads/{id}`.
    pub id: String,
    /// Author's handle.
    pub author: String,
    /// Title (threads).
    pub title: String,
    /// Sanitised HTML, empty when hidden.
    pub html: String,
    /// The Markdown as written; only for its author, for editing. Empty otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// Creation time (ms).
    pub created_at: i64,
    /// Pinned (threads).
    pub pinned: bool,
    /// Locked (threads).
    pub locked: bool,
    /// Replies (threads, in lists).
    pub replies: i64,
    /// Set when a curator hid it. Members see only that a post was hidden; curators also see
    /// the text, who hid it and why.
    pub hidden: Option<HiddenTrace>,
}

/// What a hidden post leaves behind.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct HiddenTrace {
    /// When.
    pub at: i64,
    /// Curator's handle (curators only).
    pub by: Option<String>,
    /// Why (curators only).
    pub reason: Option<String>,
}

/// A thread with its replies.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Thread {
    /// The opening post.
    pub thread: Post,
    /// Replies, oldest first.
    pub replies: Vec<Post>,
}

/// An open report, for curators.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// The report's id (UUIDv7); hiding the post closes all its open reports.
    pub id: String,
    /// The post reported.
    pub post_id: String,
    /// The thread it is in.
    pub thread_id: String,
    /// Reporter's handle.
    pub reporter: String,
    /// Why.
    pub reason: String,
    /// Time (ms).
    pub created_at: i64,
}

/// A post that mentions the caller.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Mention {
    /// The community's URL name, as in `/communities/{slug}`.
    pub community_slug: String,
    /// The community's display name, as its owners set it.
    pub community_name: String,
    /// The thread.
    pub thread_id: String,
    /// Its title.
    pub thread_title: String,
    /// The post that mentions.
    pub post_id: String,
    /// Who wrote it.
    pub author: String,
}

/// What a curator does to a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    /// Pin a thread to the top.
    Pin,
    /// Let a pinned thread fall back to its place by latest activity.
    Unpin,
    /// Stop replies.
    Lock,
    /// Allow replies again.
    Unlock,
    /// Hide (needs a reason).
    Hide,
    /// Show again.
    Unhide,
}

fn check_body(e: &mut FieldErrors, body: &str) -> String {
    validation::text(e, "/body", body, 1, 20_000, true)
}

struct Names(HashMap<UserId, String>);

impl Names {
    fn handle(&mut self, c: &mut DbConnection, id: UserId) -> Result<String, AppError> {
        if let Some(h) = self.0.get(&id) {
            return Ok(h.clone());
        }
        let h = users::by_id(c, id)?
            .map(|u| u.handle)
            .unwrap_or_else(|| "(gone)".into());
        self.0.insert(id, h.clone());
        Ok(h)
    }
}

fn post_of(
    c: &mut DbConnection,
    names: &mut Names,
    row: PostRow,
    scope: &Scope,
    who: Option<&Account>,
    replies: i64,
) -> Result<Post, AppError> {
    let curator = scope.may(Action::Moderate);
    let hidden = match row.hidden_at {
        Some(at) => Some(HiddenTrace {
            at,
            by: match (&row.hidden_by, curator) {
                (Some(id), true) => Some(names.handle(c, *id)?),
                _ => None,
            },
            reason: curator.then(|| row.hidden_reason.clone()),
        }),
        None => None,
    };
    let own = who.is_some_and(|w| w.id == row.author_id);
    Ok(Post {
        author: names.handle(c, row.author_id)?,
        html: if hidden.is_none() || curator {
            row.body_html
        } else {
            String::new()
        },
        body: if own && hidden.is_none() {
            row.body
        } else {
            String::new()
        },
        hidden,
        id: row.id,
        title: row.title,
        created_at: row.created_at,
        pinned: row.pinned,
        locked: row.locked,
        replies,
    })
}

/// Renders a body and records its mentions of existing members.
fn store_post(c: &mut DbConnection, row: &mut PostRow) -> Result<Vec<UserId>, AppError> {
    let rendered = markdown::render(&row.body);
    row.body_html = rendered.html;
    repo::insert(c, row)?;
    let mut mentioned = Vec::new();
    for handle in rendered.mentions.iter().take(50) {
        if let Some(user) = users::by_handle(c, handle)?
            && user.id != row.author_id
        {
            mentioned.push(user.id);
        }
    }
    repo::add_mentions(c, &row.id, &mentioned)?;
    Ok(mentioned)
}

/// The thread `id` of the scope's community.
fn thread_row(c: &mut DbConnection, scope: &Scope, id: &str) -> Result<PostRow, AppError> {
    repo::by_id(c, id)?
        .filter(|p| p.community_id == scope.id() && p.thread_id.is_none())
        .ok_or(AppError::NotFound)
}

impl crate::facades::Communities<'_> {
    /// Starts a thread.
    pub fn start_thread(
        &self,
        who: &Account,
        slug: &str,
        input: ThreadInput,
    ) -> Result<Post, AppError> {
        let mut e = FieldErrors::new();
        let title = validation::text(&mut e, "/title", &input.title, 3, 200, false);
        let body = check_body(&mut e, &input.body);
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::Post)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            let mut row = PostRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                thread_id: None,
                author_id: who.id,
                title: title.clone(),
                body: body.clone(),
                body_html: String::new(),
                pinned: false,
                locked: false,
                hidden_at: None,
                hidden_by: None,
                hidden_reason: String::new(),
                created_at: now,
                last_activity_at: now,
            };
            let mentioned = store_post(c, &mut row)?;
            record(
                c,
                now,
                Event::ThreadStarted(ThreadStarted {
                    author: who.id.to_string(),
                    community: scope.id().to_string(),
                    thread: row.id.clone(),
                    mentions: mentioned.iter().map(UserId::to_string).collect(),
                }),
            )?;
            post_of(c, &mut Names(HashMap::new()), row, &scope, Some(who), 0)
        })
    }

    /// Replies to a thread that is not locked.
    pub fn reply(
        &self,
        who: &Account,
        slug: &str,
        thread_id: &str,
        body: &str,
    ) -> Result<Post, AppError> {
        let mut e = FieldErrors::new();
        let body = check_body(&mut e, body);
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::Post)?;
            let thread = thread_row(c, &scope, thread_id)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            if thread.locked {
                return Err(AppError::conflict(None, "this thread is locked"));
            }
            if thread.hidden_at.is_some() && !scope.may(Action::Moderate) {
                return Err(AppError::conflict(None, "this thread is hidden"));
            }
            let mut row = PostRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                thread_id: Some(thread.id.clone()),
                author_id: who.id,
                title: String::new(),
                body: body.clone(),
                body_html: String::new(),
                pinned: false,
                locked: false,
                hidden_at: None,
                hidden_by: None,
                hidden_reason: String::new(),
                created_at: now,
                last_activity_at: now,
            };
            let mentioned = store_post(c, &mut row)?;
            repo::touch(c, &thread.id, now)?;
            record(
                c,
                now,
                Event::Replied(Replied {
                    author: who.id.to_string(),
                    community: scope.id().to_string(),
                    thread: thread.id.clone(),
                    post: row.id.clone(),
                    mentions: mentioned.iter().map(UserId::to_string).collect(),
                }),
            )?;
            post_of(c, &mut Names(HashMap::new()), row, &scope, Some(who), 0)
        })
    }

    /// A community's threads, pinned first, for its members.
    pub fn threads(&self, who: Option<&Account>, slug: &str) -> Result<Vec<Post>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            scope.require(Action::ViewMembers)?;
            let rows = repo::threads(c, scope.id(), 200)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let counts: HashMap<String, i64> = repo::reply_counts(c, &ids)?
                .into_iter()
                .filter_map(|(id, n)| id.map(|id| (id, n)))
                .collect();
            let mut names = Names(HashMap::new());
            rows.into_iter()
                .map(|r| {
                    let n = counts.get(&r.id).copied().unwrap_or(0);
                    post_of(c, &mut names, r, &scope, who, n)
                })
                .collect()
        })
    }

    /// A thread with its replies.
    pub fn thread(
        &self,
        who: Option<&Account>,
        slug: &str,
        thread_id: &str,
    ) -> Result<Thread, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            scope.require(Action::ViewMembers)?;
            let row = thread_row(c, &scope, thread_id)?;
            let mut names = Names(HashMap::new());
            let replies = repo::replies(c, &row.id)?;
            let n = replies.len() as i64;
            let replies = replies
                .into_iter()
                .map(|r| post_of(c, &mut names, r, &scope, who, 0))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Thread {
                thread: post_of(c, &mut names, row, &scope, who, n)?,
                replies,
            })
        })
    }

    /// Pins, locks or hides a post (curators). Hiding needs a reason and settles its reports.
    pub fn moderate_post(
        &self,
        curator: &Account,
        slug: &str,
        post_id: &str,
        action: Moderation,
        reason: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let min = usize::from(action == Moderation::Hide);
        let reason = validation::text(&mut e, "/reason", reason, min, 500, true);
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(curator))?;
            scope.require(Action::Moderate)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            let post = repo::by_id(c, post_id)?
                .filter(|p| p.community_id == scope.id())
                .ok_or(AppError::NotFound)?;
            let is_thread = post.thread_id.is_none();
            match action {
                Moderation::Pin | Moderation::Unpin | Moderation::Lock | Moderation::Unlock
                    if !is_thread =>
                {
                    return Err(AppError::conflict(
                        None,
                        "only threads are pinned or locked",
                    ));
                }
                Moderation::Pin => repo::set_flags(c, &post.id, true, post.locked)?,
                Moderation::Unpin => repo::set_flags(c, &post.id, false, post.locked)?,
                Moderation::Lock => repo::set_flags(c, &post.id, post.pinned, true)?,
                Moderation::Unlock => repo::set_flags(c, &post.id, post.pinned, false)?,
                Moderation::Hide => {
                    repo::set_hidden(c, &post.id, Some((now, curator.id, &reason)))?;
                    repo::resolve_reports(c, &post.id, now)?;
                }
                Moderation::Unhide => repo::set_hidden(c, &post.id, None)?,
            }
            record(
                c,
                now,
                Event::PostModerated(PostModerated {
                    curator: curator.id.to_string(),
                    community: scope.id().to_string(),
                    post: post.id.clone(),
                    author: post.author_id.to_string(),
                    action: format!("{action:?}").to_lowercase(),
                    reason: reason.to_string(),
                }),
            )
        })
    }

    /// Reports a post to the curators.
    pub fn report_post(
        &self,
        who: &Account,
        slug: &str,
        post_id: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let reason = validation::text(&mut e, "/reason", reason, 3, 1000, true);
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::Report)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            let post = repo::by_id(c, post_id)?
                .filter(|p| p.community_id == scope.id())
                .ok_or(AppError::NotFound)?;
            let row = ReportRow {
                id: uuid::Uuid::now_v7().to_string(),
                post_id: post.id.clone(),
                reporter_id: who.id,
                reason: reason.clone(),
                created_at: now,
                resolved_at: None,
            };
            if !repo::report(c, &row)? {
                return Err(AppError::conflict(
                    None,
                    "you have already reported this post",
                ));
            }
            record(
                c,
                now,
                Event::PostReported(PostReported {
                    reporter: who.id.to_string(),
                    community: scope.id().to_string(),
                    post: post.id.clone(),
                }),
            )
        })
    }

    /// Open reports, for curators.
    pub fn reports(&self, curator: &Account, slug: &str) -> Result<Vec<Report>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(curator))?;
            scope.require(Action::Moderate)?;
            let mut names = Names(HashMap::new());
            let mut out = Vec::new();
            for r in repo::open_reports(c, scope.id())? {
                let post = repo::by_id(c, &r.post_id)?.ok_or(AppError::NotFound)?;
                out.push(Report {
                    thread_id: post.thread_id.unwrap_or(post.id),
                    reporter: names.handle(c, r.reporter_id)?,
                    id: r.id,
                    post_id: r.post_id,
                    reason: r.reason,
                    created_at: r.created_at,
                });
            }
            Ok(out)
        })
    }

    /// Posts that mention the caller, newest first, in communities the caller still belongs to.
    pub fn my_mentions(&self, who: &Account) -> Result<Vec<Mention>, AppError> {
        self.read(|c| {
            let mut names = Names(HashMap::new());
            let mut out = Vec::new();
            for post_id in repo::mentioning(c, who.id, 50)? {
                let Some(post) = repo::by_id(c, &post_id)? else {
                    continue;
                };
                if post.hidden_at.is_some()
                    || communities::role_of(c, &post.community_id, who.id)?.is_none()
                {
                    continue;
                }
                let thread = match &post.thread_id {
                    Some(id) => repo::by_id(c, id)?,
                    None => Some(post.clone()),
                };
                let (Some(thread), Some(community)) =
                    (thread, communities::by_id(c, &post.community_id)?)
                else {
                    continue;
                };
                out.push(Mention {
                    community_slug: community.slug,
                    community_name: community.name,
                    thread_id: thread.id,
                    thread_title: thread.title,
                    post_id: post.id,
                    author: names.handle(c, post.author_id)?,
                });
            }
            Ok(out)
        })
    }
}
