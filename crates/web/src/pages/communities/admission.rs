//! Getting into a community through its pages: invitation links, the curators' application
//! queue, and accepting an invitation.

use super::*;

#[derive(Template)]
#[template(path = "community_applications.html")]
struct ApplicationsPage {
    layout: Layout,
    c: Community,
    reviews: Vec<ReviewRow>,
    pending: usize,
}

/// An application on the curators' screen.
struct ReviewRow {
    r: ApplicationReview,
    card: ProfileCard,
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    layout: Layout,
    c: Community,
    token: String,
    signed_in: bool,
}

/// Creates an invitation link and shows it once (curators).
pub async fn invite(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let (account, s) = (caller.account.clone(), slug.clone());
    let input = InvitationInput {
        days_valid: form.get("days_valid").trim().parse().unwrap_or(0),
        max_uses: form.get("max_uses").trim().parse().unwrap_or(0),
        note: form.get("note"),
    };
    match state
        .run(move |app| app.communities().create_invitation(&account, &s, input))
        .await
    {
        Ok(inv) => {
            let link = format!(
                "{}/join/{}",
                state.config.public_url,
                inv.token.unwrap_or_default()
            );
            community_page(
                &state,
                Some(&caller),
                &csrf,
                slug,
                Some("invitation-created"),
                Errors::default(),
                Extra {
                    invitation_link: Some(link),
                    typed: None,
                },
            )
            .await
        }
        Err(e) => after(&state, &caller, &csrf, slug, Err(e)).await,
    }
}

/// The curators' application queue.
pub async fn applications(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let slug = slug(&raw)?;
    let account = caller.account.clone();
    let (c, reviews) = state
        .run(move |app| {
            let c = app.communities().community(&slug, Some(&account))?;
            let reviews = app.communities().review_applications(&account, &slug)?;
            Ok((c, reviews))
        })
        .await?;
    let layout = Layout::new(format!("Applications · {}", c.name), Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    let reviews: Vec<ReviewRow> = reviews
        .into_iter()
        .map(|r| ReviewRow {
            card: ProfileCard::from_view(&r.shown),
            r,
        })
        .collect();
    Ok(html(
        StatusCode::OK,
        &ApplicationsPage {
            layout,
            c,
            pending: reviews
                .iter()
                .filter(|r| r.r.application.status == ApplicationStatus::Pending)
                .count(),
            reviews,
        },
    ))
}

/// Approves, declines or waitlists one application.
pub async fn decide(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let decision = match form.get("decision").as_str() {
        "approve" => Decision::Approve,
        "waitlist" => Decision::Waitlist,
        _ => Decision::Decline {
            reason: form.get("reason"),
        },
    };
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| {
            app.communities()
                .decide_application(&account, &s, &id, decision)
        })
        .await;
    let done = match result {
        Ok(_) => "decided",
        Err(AppError::Validation(_)) => "decline-needs-reason",
        Err(AppError::Conflict { .. }) => "decide-refused",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/c/{slug}/applications?done={done}")).into_response())
}

/// An invitation link's landing page.
pub async fn invitation(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> PageResult {
    let caller = caller.map(|PageCaller(c)| c);
    let t = token.clone();
    let c = state
        .run(move |app| app.communities().invitation_community(&t))
        .await?;
    let layout = Layout::new(format!("Join {}", c.name), caller.as_ref(), &csrf);
    let page = InvitationPage {
        layout,
        c,
        token,
        signed_in: caller.is_some(),
    };
    Ok(html(StatusCode::OK, &page))
}

/// Accepts an invitation.
pub async fn accept_invitation(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(token): Path<String>,
    _form: Form,
) -> PageResult {
    let account = caller.account.clone();
    let c = state
        .run(move |app| app.communities().accept_invitation(&account, &token))
        .await?;
    Ok(Redirect::to(&format!("/c/{}?done=joined", c.slug)).into_response())
}
