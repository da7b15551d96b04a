//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document built from the handlers.

pub mod accounts;
pub mod addresses;
pub mod admission;
pub mod availability;
pub mod communities;
pub mod connections;
pub mod constraints;
pub mod contracts;
pub mod conversations;
pub mod credentials;
pub mod deliveries;
pub mod discussions;
pub mod document;
pub mod evidence;
pub mod exports;
pub mod extract;
pub mod gatherings;
pub mod hourly;
pub mod insights;
pub mod jobs;
pub mod matching;
pub mod members;
pub mod mentoring;
pub mod money;
pub mod notifications;
pub mod operators;
pub mod ownership;
pub mod payouts;
pub mod personas;
pub mod profiles;
pub mod resume;
pub mod sessions;
pub mod shortlists;
pub mod skills;
pub mod suggestions;
pub mod tokens;
pub mod verification;

use crate::AppState;
use axum::Router;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Guildhall API",
        description = "Accounts, audience-scoped profiles, personas, connections, communities and paid work. Errors are RFC 9457 problem documents; lists use cursor pagination.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(crate::error::Problem)),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Sign-up, API sign-in, password"),
        (name = "tokens", description = "API tokens"),
        (name = "profiles", description = "Profile items and what each viewer sees"),
        (name = "personas", description = "Named selections of items shared by link"),
        (name = "connections", description = "Mutual connections between members"),
        (name = "skills", description = "The skill taxonomy"),
        (name = "communities", description = "Curated communities: membership and roles"),
        (name = "admission", description = "Applications to curated communities, invitations and their vetting"),
        (name = "discussions", description = "Community threads, replies, mentions, moderation and reports"),
        (name = "events", description = "Community gatherings, answers to them and their calendar feeds"),
        (name = "learning", description = "Learning resources a community shares, and who completed them"),
        (name = "mentoring", description = "Mentoring offers, requests and the sessions both partners confirm"),
        (name = "jobs", description = "Jobs to be done, proposals, invitations and referrals"),
        (name = "contracts", description = "Contracts, milestones through escrow, reviews, balances and statements"),
        (name = "money", description = "Deposits through the payment provider, and disputes"),
        (name = "ownership", description = "Member ownership: a community's revenue share, members' points and statements, and perks"),
        (name = "payouts", description = "Balances with the movements behind them, payout methods, payouts and the operators' queue"),
        (name = "credentials", description = "Open Badges the instance issues from its records and evidence: requesting, sharing, revoking, status lists and verification"),
        (name = "evidence", description = "The evidence log: signed checkpoints, entries and Merkle proofs"),
        (name = "conversations", description = "Messages between members: conversations, read marks, muting, blocks, who may write to whom, and reports"),
        (name = "notifications", description = "What members are told, their unread count, and how each wants to hear of each topic"),
        (name = "matching", description = "The members who fit a job, ranked and explained"),
        (name = "insights", description = "Skills gaps with the ways across them, for a member and for a community"),
        (name = "availability", description = "Working hours, imported calendars, the free/busy feed and free hours per week"),
        (name = "operators", description = "The operators' tools: vetted communities, who may join, rate limits"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The API routes with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::sign_up))
        .routes(routes!(accounts::issue_token))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::erasure_check, accounts::erase_account))
        .routes(routes!(accounts::my_events))
        .routes(routes!(addresses::list, addresses::add))
        .routes(routes!(addresses::make_primary))
        .routes(routes!(addresses::remove))
        .routes(routes!(sessions::list))
        .routes(routes!(sessions::end))
        .routes(routes!(sessions::everywhere))
        .routes(routes!(
            sessions::second_factor,
            sessions::start_second_factor
        ))
        .routes(routes!(sessions::confirm_second_factor))
        .routes(routes!(sessions::disable_second_factor))
        .routes(routes!(verification::request_reset))
        .routes(routes!(verification::verify))
        .routes(routes!(verification::resend))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(profiles::view))
        .routes(routes!(profiles::list_items, profiles::add_item))
        .routes(routes!(profiles::update_item, profiles::delete_item))
        .routes(routes!(profiles::preview))
        .routes(routes!(personas::list, personas::create))
        .routes(routes!(personas::get, personas::update, personas::delete))
        .routes(routes!(personas::view_link))
        .routes(routes!(connections::list, connections::request))
        .routes(routes!(connections::accept))
        .routes(routes!(connections::decline))
        .routes(routes!(connections::remove))
        .routes(routes!(communities::list, communities::create))
        .routes(routes!(communities::get, communities::edit))
        .routes(routes!(communities::choose_persona))
        .routes(routes!(communities::members))
        .routes(routes!(admission::apply, admission::queue))
        .routes(routes!(admission::mine, admission::withdraw))
        .routes(routes!(admission::decide))
        .routes(routes!(admission::invite, admission::invitations))
        .routes(routes!(admission::revoke))
        .routes(routes!(admission::preview))
        .routes(routes!(admission::accept))
        .routes(routes!(discussions::threads, discussions::start))
        .routes(routes!(discussions::thread))
        .routes(routes!(discussions::reply))
        .routes(routes!(discussions::moderate))
        .routes(routes!(discussions::report))
        .routes(routes!(discussions::reports))
        .routes(routes!(discussions::mentions))
        .routes(routes!(gatherings::list, gatherings::create))
        .routes(routes!(gatherings::update))
        .routes(routes!(gatherings::rsvp))
        .routes(routes!(gatherings::event_ics))
        .routes(routes!(gatherings::public_feed))
        .routes(routes!(gatherings::private_feed))
        .routes(routes!(availability::mine, availability::set))
        .routes(routes!(availability::rotate_feed))
        .routes(routes!(availability::remove))
        .routes(routes!(availability::feed))
        .routes(routes!(availability::free_time))
        .merge(
            // A calendar file may be larger than any other body.
            OpenApiRouter::new()
                .routes(routes!(availability::import))
                .layer(axum::extract::DefaultBodyLimit::max(
                    availability::CALENDAR_BODY_LIMIT,
                )),
        )
        .routes(routes!(mentoring::offers, mentoring::offer))
        .routes(routes!(mentoring::withdraw_offer))
        .routes(routes!(mentoring::pairs, mentoring::request))
        .routes(routes!(mentoring::decide))
        .routes(routes!(mentoring::record_session))
        .routes(routes!(mentoring::confirm_session))
        .routes(routes!(mentoring::resources, mentoring::add_resource))
        .routes(routes!(mentoring::remove_resource))
        .routes(routes!(mentoring::complete))
        .routes(routes!(ownership::ownership))
        .routes(routes!(ownership::set_revenue_share))
        .routes(routes!(ownership::perks, ownership::add_perk))
        .routes(routes!(ownership::remove_perk))
        .routes(routes!(resume::export, resume::import))
        .routes(routes!(exports::list, exports::request))
        .routes(routes!(exports::one))
        .routes(routes!(exports::archive))
        .routes(routes!(credentials::mine, credentials::request))
        .routes(routes!(credentials::requestable))
        .routes(routes!(credentials::naming, credentials::set_naming))
        .routes(routes!(credentials::verify))
        .routes(routes!(credentials::shared))
        .routes(routes!(credentials::one))
        .routes(routes!(credentials::share, credentials::unshare))
        .routes(routes!(credentials::revoke))
        .routes(routes!(credentials::of_community))
        .routes(routes!(credentials::assess))
        .routes(routes!(communities::join))
        .routes(routes!(communities::leave))
        .routes(routes!(communities::set_role))
        .routes(routes!(communities::remove))
        .routes(routes!(jobs::list, jobs::post))
        .routes(routes!(jobs::mine))
        .routes(routes!(jobs::get))
        .routes(routes!(matching::talent))
        .routes(routes!(matching::pairs))
        .routes(routes!(matching::for_you))
        .routes(routes!(insights::occupations))
        .routes(routes!(insights::job_gap))
        .routes(routes!(insights::search_gap))
        .routes(routes!(insights::occupation_gap))
        .routes(routes!(insights::community_gaps))
        .routes(routes!(insights::community_liquidity))
        .routes(routes!(insights::my_liquidity))
        .routes(routes!(insights::rates))
        .routes(routes!(insights::paths))
        .routes(routes!(shortlists::list, shortlists::add))
        .routes(routes!(shortlists::remove))
        .routes(routes!(shortlists::candidates))
        .routes(routes!(shortlists::searches, shortlists::save))
        .routes(routes!(shortlists::delete))
        .routes(routes!(shortlists::run))
        .routes(routes!(jobs::set_status))
        .routes(routes!(jobs::propose))
        .routes(routes!(jobs::invite))
        .routes(routes!(jobs::refer))
        .routes(routes!(jobs::review))
        .routes(routes!(jobs::offer))
        .routes(routes!(contracts::list, contracts::offer))
        .routes(routes!(contracts::get))
        .routes(routes!(contracts::answer))
        .routes(routes!(contracts::cancel))
        .routes(routes!(contracts::milestone))
        .routes(routes!(hourly::fund_week))
        .routes(routes!(hourly::log_time))
        .routes(routes!(hourly::remove_time))
        .routes(routes!(hourly::end))
        .merge(
            // A delivered file may be larger than any other body.
            OpenApiRouter::new()
                .routes(routes!(deliveries::upload))
                .routes(routes!(deliveries::upload_to_conversation))
                .layer(axum::extract::DefaultBodyLimit::max(
                    deliveries::UPLOAD_BODY_LIMIT,
                )),
        )
        .routes(routes!(deliveries::download))
        .routes(routes!(deliveries::download_from_conversation))
        .routes(routes!(contracts::reviews, contracts::review))
        .routes(routes!(contracts::about))
        .routes(routes!(contracts::balances))
        .routes(routes!(contracts::statement))
        .routes(routes!(contracts::receipt))
        .routes(routes!(contracts::transfer))
        .routes(routes!(money::request, money::mine))
        .routes(routes!(money::cancel))
        .routes(routes!(money::pending))
        .routes(routes!(money::confirm))
        .routes(routes!(money::dispute))
        .routes(routes!(money::disputes))
        .routes(routes!(money::resolve))
        .routes(routes!(payouts::money))
        .routes(routes!(payouts::community))
        .routes(routes!(payouts::methods, payouts::add_method))
        .routes(routes!(payouts::remove_method))
        .routes(routes!(payouts::request, payouts::mine))
        .routes(routes!(payouts::queue))
        .routes(routes!(payouts::paid))
        .routes(routes!(payouts::failed))
        .routes(routes!(evidence::checkpoint, evidence::sign))
        .routes(routes!(evidence::key))
        .routes(routes!(evidence::entries))
        .routes(routes!(evidence::inclusion))
        .routes(routes!(evidence::consistency))
        .routes(routes!(evidence::mine, evidence::erase))
        .routes(routes!(evidence::bundle))
        .routes(routes!(evidence::reputation))
        .routes(routes!(evidence::entry_bundle))
        .routes(routes!(evidence::shown_reputation))
        .routes(routes!(skills::autocomplete))
        .routes(routes!(skills::details))
        .routes(routes!(members::search))
        .routes(routes!(skills::merge))
        .routes(routes!(skills::undo_merge))
        .routes(routes!(suggestions::suggest))
        .routes(routes!(suggestions::list))
        .routes(routes!(suggestions::accept))
        .routes(routes!(suggestions::decline))
        .routes(routes!(suggestions::set_setting))
        .routes(routes!(suggestions::endorse))
        .routes(routes!(conversations::list))
        .routes(routes!(conversations::unread))
        .routes(routes!(conversations::start))
        .routes(routes!(conversations::open))
        .routes(routes!(conversations::show))
        .routes(routes!(conversations::send))
        .routes(routes!(conversations::edit, conversations::delete))
        .routes(routes!(conversations::read))
        .routes(routes!(conversations::mute))
        .routes(routes!(conversations::report))
        .routes(routes!(conversations::reports))
        .routes(routes!(conversations::settle))
        .routes(routes!(conversations::blocks))
        .routes(routes!(conversations::block, conversations::unblock))
        .routes(routes!(
            conversations::settings,
            conversations::set_settings
        ))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::digest))
        .routes(routes!(
            notifications::digest_settings,
            notifications::set_digest_settings
        ))
        .routes(routes!(notifications::unread))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(
            notifications::preferences,
            notifications::set_preferences
        ))
        .routes(routes!(operators::communities))
        .routes(routes!(operators::set_vetted))
        .routes(routes!(operators::policy, operators::set_policy))
}

/// The OpenAPI document.
pub fn openapi() -> serde_json::Value {
    let mut doc = router().split_for_parts().1;
    // After the routes are in: the shared answers are added to every operation.
    document::SharedAnswers.modify(&mut doc);
    let mut doc = serde_json::to_value(doc).expect("the API document serialises");
    constraints::constrain(&mut doc);
    doc
}

/// Swagger UI at `/api/docs` (vendored assets), the document at `/api/v1/openapi.json`, and a
/// problem document for any other path under `/api/`, so API clients never get an HTML page.
pub fn docs_router() -> Router<AppState> {
    let docs: Router<AppState> = SwaggerUi::new("/api/docs")
        .external_url_unchecked("/api/v1/openapi.json", openapi())
        .into();
    docs.route("/api/{*rest}", axum::routing::any(unknown_path))
}

async fn unknown_path() -> crate::error::ApiError {
    crate::error::ApiError::not_found()
}
