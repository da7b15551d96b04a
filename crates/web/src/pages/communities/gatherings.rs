//! A community's events on its pages: planning, changing or cancelling one, and RSVPs.

use super::*;

/// An event as its form describes it.
fn event_input(form: &Form) -> EventInput {
    EventInput {
        title: form.get("title"),
        description: form.get("description"),
        starts: form.get("starts"),
        ends: form.get("ends"),
        timezone: form.get("timezone"),
        online_url: form.opt("online_url"),
        place: form.opt("place"),
        capacity: form.opt("capacity").and_then(|v| v.trim().parse().ok()),
        credit: form.opt("credit"),
    }
}

/// Creates an event (curators).
pub async fn create_event(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let (account, s) = (caller.account.clone(), slug.clone());
    let input = event_input(&form);
    let result = state
        .run(move |app| {
            app.communities()
                .create_event(&account, &s, input)
                .map(|_| "event-created")
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/c/{slug}?done={done}")).into_response()),
        Err(e) => refused(&state, &caller, &csrf, slug, e, ("event", form)).await,
    }
}

/// Changes or cancels an event (curators).
pub async fn update_event(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let (account, s) = (caller.account.clone(), slug.clone());
    let cancelled = form.get("cancelled") == "yes";
    let input = event_input(&form);
    let result = state
        .run(move |app| {
            app.communities()
                .update_event(&account, &s, &id, input, cancelled)
                .map(|_| {
                    if cancelled {
                        "event-cancelled"
                    } else {
                        "event-saved"
                    }
                })
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Goes to an event, or gives up a place.
pub async fn rsvp(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let (account, s) = (caller.account.clone(), slug.clone());
    let going = form.get("going") == "yes";
    let result = state
        .run(move |app| {
            app.communities()
                .rsvp(&account, &s, &id, going)
                .map(|_| "rsvp-saved")
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}
