//! Server-rendered pages. Reading works without JavaScript; htmx makes item edits inline.

pub mod account;
pub mod availability;
pub mod communities;
pub mod community_tools;
pub mod connections;
pub mod credentials;
pub mod directory;
pub mod erasure;
pub mod exports;
pub mod insights;
pub mod item_form;
pub mod job_search;
pub mod jobs;
pub mod messages;
pub mod money;
pub mod notifications;
pub mod operators;
pub mod oversight;
pub mod payouts;
pub mod personas;
pub mod profile;
pub mod render;
pub mod reputation;
pub mod resume;
pub mod saved_searches;
pub mod second_factor;
pub mod shortlist;
pub mod site;
pub mod skills;
pub mod suggestions;
pub mod talent;
pub mod verification;
pub mod view_model;
pub mod work;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Every page route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(account::home))
        .route("/signup", get(account::signup_page).post(account::signup))
        .route("/signin", get(account::signin_page).post(account::signin))
        .route("/signout", post(account::signout))
        .route("/settings", get(account::settings))
        .route("/settings/verify-email", post(verification::resend))
        .route(
            "/forgot-password",
            get(verification::forgot_page).post(verification::forgot),
        )
        .route("/verify-email/{token}", get(verification::verify))
        .route(
            "/settings/notifications",
            get(notifications::settings).post(notifications::save_settings),
        )
        .route("/messages", get(messages::list).post(messages::start))
        .route("/messages/open", post(messages::open))
        .route("/messages/reports", get(messages::reports))
        .route("/messages/reports/{id}", post(messages::settle))
        .route(
            "/messages/{id}",
            // A message's files come with the form.
            get(messages::show)
                .post(messages::send)
                .layer(axum::extract::DefaultBodyLimit::max(
                    guildhall_app::conversations::files::MAX_FILES
                        * guildhall_app::files::MAX_FILE_BYTES
                        + crate::BODY_LIMIT,
                )),
        )
        .route("/messages/{id}/files/{file}", get(messages::file))
        .route("/messages/{id}/messages", get(messages::fragment))
        .route("/messages/{id}/mute", post(messages::mute))
        .route("/messages/{id}/m/{message}", post(messages::act))
        .route(
            "/messages/{id}/m/{message}/edit",
            get(messages::edit_page).post(messages::edit),
        )
        .route(
            "/settings/messages",
            get(messages::settings).post(messages::save_settings),
        )
        .route("/settings/messages/blocks", post(messages::block))
        .route(
            "/availability",
            get(availability::show).post(availability::save),
        )
        .route(
            "/availability/calendars",
            post(availability::import).layer(axum::extract::DefaultBodyLimit::max(
                4 * guildhall_app::availability::MAX_ICS_BYTES,
            )),
        )
        .route(
            "/availability/calendars/{id}/remove",
            post(availability::remove),
        )
        .route("/availability/feed", post(availability::rotate_feed))
        .route("/availability/subscribe", post(availability::subscribe))
        .route("/nav/counts", get(messages::nav_counts))
        .route("/notifications", get(notifications::inbox))
        .route("/digest", get(notifications::digest))
        .route("/settings/digest", post(notifications::save_digest))
        .route(
            "/unsubscribe/digest/{key}",
            get(notifications::digest_unsubscribe_page).post(notifications::digest_unsubscribe),
        )
        .route("/notifications/read", post(notifications::mark_all_read))
        .route("/notifications/{id}", get(notifications::open))
        .route(
            "/unsubscribe/{id}",
            get(notifications::unsubscribe_page).post(notifications::unsubscribe),
        )
        .route("/settings/password", post(account::change_password))
        .route("/settings/sessions/{id}/end", post(account::end_session))
        .route("/settings/sessions/end", post(account::sign_out_everywhere))
        .route("/settings/emails", post(account::address))
        .route("/signin/code", post(second_factor::signin_code))
        .route("/settings/2fa/start", post(second_factor::start))
        .route("/settings/2fa/confirm", post(second_factor::confirm))
        .route("/settings/2fa", get(second_factor::off_page))
        .route("/settings/2fa/off", post(second_factor::disable))
        .route("/settings/tokens", post(account::create_token))
        .route("/settings/tokens/{id}/revoke", post(account::revoke_token))
        .route("/me/profile", get(profile::editor))
        .route("/me/items", post(profile::add_item))
        .route("/me/items/{id}", post(profile::update_item))
        .route("/me/items/{id}/delete", post(profile::delete_item))
        .route("/u/{handle}", get(profile::public_profile))
        .route("/me/personas", get(personas::list).post(personas::create))
        .route("/me/personas/{id}", post(personas::update))
        .route("/me/personas/{id}/delete", post(personas::delete))
        .route("/p/{token}", get(personas::view_link))
        .route(
            "/me/connections",
            get(connections::list).post(connections::request),
        )
        .route("/me/connections/{id}/{action}", post(connections::answer))
        .route("/skills/suggest", get(skills::suggest))
        .route("/jobs", get(job_search::list).post(jobs::post))
        .route("/jobs/new", get(jobs::new_job))
        .route("/jobs/for-you", get(talent::for_you))
        .route("/jobs/{id}", get(jobs::show).post(jobs::act))
        .route("/jobs/{id}/gap", get(insights::job_gap))
        .route("/jobs/{id}/talent", get(talent::show))
        .route(
            "/talent",
            get(saved_searches::list).post(saved_searches::save),
        )
        .route("/talent/{id}", get(saved_searches::show))
        .route("/talent/{id}/gap", get(insights::search_gap))
        .route("/talent/{id}/delete", post(saved_searches::delete))
        .route(
            "/jobs/{id}/shortlist",
            get(shortlist::show).post(shortlist::act),
        )
        .route(
            "/jobs/{id}/proposals/{proposal}",
            post(jobs::answer_proposal),
        )
        .route("/me/evidence", get(reputation::mine))
        .route("/me/growth", get(insights::growth))
        .route("/insights/rates", get(insights::rates))
        .route("/me/resume", get(resume::show).post(resume::import))
        .route("/me/erase", get(erasure::show).post(erasure::erase))
        .route("/me/export", get(exports::show).post(exports::request))
        .route("/me/export/list", get(exports::list_part))
        .route("/me/export/{id}/download", get(exports::download))
        .route("/me/resume/export", get(resume::export))
        .route(
            "/me/credentials",
            get(credentials::wallet).post(credentials::act),
        )
        .route("/me/credentials/{id}/download", get(credentials::download))
        .route("/credentials/shared/{token}", get(credentials::shared))
        .route(
            "/credentials/shared/{token}/json",
            get(credentials::shared_download),
        )
        .route("/evidence", get(reputation::checkpoint))
        .route("/work", get(work::overview))
        .route("/work/deposits", post(money::deposit))
        .route("/work/statement", get(money::statement))
        .route("/work/receipts/{id}", get(money::receipt))
        .route(
            "/work/money",
            get(payouts::money).post(payouts::money_action),
        )
        .route("/admin", get(operators::desk))
        .route("/admin/policy", post(operators::set_policy))
        .route("/admin/communities/{slug}", post(operators::vet))
        .route(
            "/admin/accounts",
            get(oversight::accounts).post(oversight::act_on_account),
        )
        .route("/admin/audit", get(oversight::audit_log))
        .route(
            "/admin/texts",
            get(oversight::texts).post(oversight::publish_texts),
        )
        .route("/privacy", get(site::privacy))
        .route("/terms", get(site::terms))
        .route("/source", get(site::source))
        .route(
            "/reset-password/{token}",
            get(site::reset_page).post(site::reset),
        )
        .route("/admin/money", get(money::admin))
        .route("/admin/deposits/{id}", post(money::admin_deposit))
        .route("/admin/disputes/{id}", post(money::admin_dispute))
        .route("/admin/payouts", get(payouts::admin))
        .route("/admin/payouts/{id}", post(payouts::admin_decide))
        .route(
            "/work/contracts/{id}",
            // A delivery's files come with the form.
            get(work::contract)
                .post(work::act)
                .layer(axum::extract::DefaultBodyLimit::max(
                    guildhall_app::work::deliveries::MAX_FILES
                        * guildhall_app::files::MAX_FILE_BYTES
                        + crate::BODY_LIMIT,
                )),
        )
        .route("/work/contracts/{id}/files/{file}", get(work::file))
        .route("/directory", get(directory::directory))
        .route(
            "/communities",
            get(communities::list).post(communities::create),
        )
        .route("/c/{slug}", get(communities::show))
        .route("/c/{slug}/membership", post(communities::membership))
        .route("/c/{slug}/threads", post(communities::start_thread))
        .route("/c/{slug}/t/{id}", get(communities::thread))
        .route("/c/{slug}/t/{id}/reply", post(communities::reply))
        .route("/c/{slug}/events", post(communities::create_event))
        .route("/c/{slug}/events/{id}/rsvp", post(communities::rsvp))
        .route("/c/{slug}/events/{id}", post(communities::update_event))
        .route(
            "/c/{slug}/ownership",
            get(communities::ownership).post(communities::ownership_action),
        )
        .route("/c/{slug}/invitations", post(communities::invite))
        .route("/c/{slug}/applications", get(communities::applications))
        .route("/c/{slug}/insights", get(insights::community))
        .route("/c/{slug}/applications/{id}", post(communities::decide))
        .route("/c/{slug}/settings", post(community_tools::settings))
        .route("/c/{slug}/members/{handle}", post(community_tools::member))
        .route("/c/{slug}/posts/{id}", post(community_tools::post_action))
        .route("/c/{slug}/mentoring/offers", post(community_tools::offer))
        .route(
            "/c/{slug}/mentoring/requests",
            post(community_tools::request),
        )
        .route("/c/{slug}/mentoring/{id}", post(community_tools::pair))
        .route("/c/{slug}/resources", post(community_tools::add_resource))
        .route("/c/{slug}/resources/{id}", post(community_tools::resource))
        .route(
            "/join/{token}",
            get(communities::invitation).post(communities::accept_invitation),
        )
        .route("/skills/{id}", get(directory::skill))
        .route("/me/suggestions", get(suggestions::inbox))
        .route("/me/suggestions/setting", post(suggestions::setting))
        .route("/me/suggestions/{id}/{action}", post(suggestions::answer))
        .route("/u/{handle}/suggest", post(suggestions::suggest))
        .route("/u/{handle}/endorse/{id}", post(suggestions::endorse))
        .fallback(|| async { render::PageError::not_found() })
}

/// A path parameter that must be an id; anything else is simply not found.
pub fn page_id(raw: &str) -> Result<String, render::PageError> {
    crate::paths::id(raw).ok_or_else(render::PageError::not_found)
}

/// Where to go after signing in: only paths on this site.
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
    {
        next.to_string()
    } else {
        "/".into()
    }
}
