//! A community's discussions on its pages: starting a thread, reading one, replying.

use super::*;

#[derive(Template)]
#[template(path = "community_thread.html")]
struct ThreadPage {
    layout: Layout,
    c: Community,
    t: Thread,
    /// Whether the caller may pin, lock and hide posts.
    moderate: bool,
    errors: Errors,
    /// A refused reply, as typed.
    typed_reply: String,
}

impl ThreadPage {
    /// Whether the signed-in member wrote `author`'s post (they are not offered to report it).
    fn own(&self, author: &str) -> bool {
        self.layout.handle.as_deref() == Some(author)
    }
}

/// Starts a thread.
pub async fn start_thread(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let (account, s) = (caller.account.clone(), slug.clone());
    let input = ThreadInput {
        title: form.get("title"),
        body: form.get("body"),
    };
    let result = state
        .run(move |app| app.communities().start_thread(&account, &s, input))
        .await;
    match result {
        Ok(post) => Ok(Redirect::to(&format!("/c/{slug}/t/{}", post.id)).into_response()),
        Err(e) => refused(&state, &caller, &csrf, slug, e, ("thread", form)).await,
    }
}

pub(crate) async fn thread_page(
    state: &AppState,
    caller: Option<&Caller>,
    csrf: &CsrfToken,
    (slug, id): (String, String),
    notice: Option<&str>,
    errors: Errors,
    typed_reply: String,
) -> PageResult {
    let who = caller.map(|c| c.account.clone());
    let (c, t) = state
        .run(move |app| {
            let c = app.communities().community(&slug, who.as_ref())?;
            let t = app.communities().thread(who.as_ref(), &slug, &id)?;
            Ok((c, t))
        })
        .await?;
    let layout = Layout::new(t.thread.title.clone(), caller, csrf).with_notice(notice);
    Ok(html(
        errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &ThreadPage {
            layout,
            moderate: c.may(Action::Moderate),
            c,
            t,
            errors,
            typed_reply,
        },
    ))
}

/// A thread with its replies.
pub async fn thread(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let caller = caller.map(|PageCaller(c)| c);
    let notice = q.get("done").map(String::as_str);
    let at = (slug(&raw)?, page_id(&id)?);
    thread_page(
        &state,
        caller.as_ref(),
        &csrf,
        at,
        notice,
        Errors::default(),
        String::new(),
    )
    .await
}

/// Replies to a thread.
pub async fn reply(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let (account, s, t) = (caller.account.clone(), slug.clone(), id.clone());
    let body = form.get("body");
    match state
        .run(move |app| app.communities().reply(&account, &s, &t, &body))
        .await
    {
        Ok(post) => Ok(Redirect::to(&format!("/c/{slug}/t/{id}#p-{}", post.id)).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let typed = form.get("body");
            thread_page(
                &state,
                Some(&caller),
                &csrf,
                (slug, id),
                None,
                errors,
                typed,
            )
            .await
        }
    }
}
