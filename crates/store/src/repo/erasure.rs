//! Erasing an account, row by row, in the caller's transaction.
//!
//! The account's row stays under a placeholder handle, because contracts, ledger postings and
//! evidence entries go on naming it by id; what made it a person goes. Three kinds of rows:
//! - **the member's own** (sign-in, profile, network, settings, calendars, searches): deleted;
//! - **what they wrote in shared places** (posts, messages, notes to others): blanked, so a
//!   thread or a conversation keeps its shape;
//! - **shared work and money** (contracts, milestones, deliveries, postings, reviews' scores):
//!   kept, as the other party's record, with the member's free text taken out.

use crate::schema::{
    api_tokens, availability_feeds, calendars, community_applications, community_invitations,
    community_members, community_posts, connections, contract_files, conversation_members,
    credentials, digest_settings, email_verifications, endorsements, event_rsvps, exports, jobs,
    member_blocks, member_settings, mentoring_offers, mentoring_sessions, mentorships,
    message_files, message_reports, messages, notification_preferences, notifications,
    operator_actions, password_resets, payout_methods, payouts, pending_sign_ins, persona_items,
    personas, post_mentions, post_reports, profile_items, proposals, recovery_codes, referrals,
    reset_requests, reviews, saved_searches, search_docs, second_factors, sessions,
    shortlist_entries, sign_in_failures, skill_suggestions, suspensions, tasks, trusted_devices,
    user_emails, users,
};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::job::{JobStatus, ProposalStatus};

/// What names the member, read before it goes.
#[derive(Clone, Debug)]
pub struct Identity {
    /// The account.
    pub id: UserId,
    /// Its handle, lower-case.
    pub handle: String,
    /// Every address it had, as entered.
    pub emails: Vec<String>,
}

/// The member's handle and every address they had.
pub fn identity(conn: &mut DbConnection, id: UserId) -> Result<Option<Identity>, StoreError> {
    let Some((handle, email)) = users::table
        .find(id.to_string())
        .select((users::handle, users::email))
        .first::<(String, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let mut emails: Vec<String> = super::emails::of_user(conn, id)?
        .into_iter()
        .map(|row| row.email)
        .collect();
    if !emails.contains(&email) {
        emails.push(email);
    }
    Ok(Some(Identity { id, handle, emails }))
}

/// What only `who` holds in the file store, found before their rows go.
#[derive(Clone, Debug, Default)]
pub struct LeftBehind {
    /// Their exports' archive keys.
    pub exports: Vec<String>,
    /// The SHA-256 of what they attached to messages that nothing else stored (files are
    /// kept by content, so two uploads of the same bytes share one).
    pub attachments: Vec<String>,
}

/// What only `who` holds in the file store.
pub fn left_behind(conn: &mut DbConnection, who: UserId) -> Result<LeftBehind, StoreError> {
    let id = who.to_string();
    let exports = exports::table
        .filter(exports::user_id.eq(&id))
        .filter(exports::file_key.is_not_null())
        .select(exports::file_key.assume_not_null())
        .load(conn)?;
    let theirs: Vec<String> = message_files::table
        .filter(message_files::uploaded_by.eq(&id))
        .select(message_files::sha256)
        .distinct()
        .load(conn)?;
    let mut attachments = Vec::new();
    for sha in theirs {
        let others: i64 = message_files::table
            .filter(message_files::sha256.eq(&sha))
            .filter(message_files::uploaded_by.ne(&id))
            .count()
            .get_result(conn)?;
        let in_contracts: i64 = contract_files::table
            .filter(contract_files::sha256.eq(&sha))
            .count()
            .get_result(conn)?;
        if others + in_contracts == 0 {
            attachments.push(sha);
        }
    }
    Ok(LeftBehind {
        exports,
        attachments,
    })
}

/// Erases everything personal about `who`, leaving the account row under `placeholder` (a
/// handle no one can sign up with) with no address and a password nothing matches.
pub fn erase(
    conn: &mut DbConnection,
    who: &Identity,
    placeholder: &str,
    now: Millis,
) -> Result<(), StoreError> {
    let id = who.id.to_string();
    sign_in(conn, who, &id)?;
    profile(conn, &id)?;
    network(conn, &id)?;
    written(conn, &id, now)?;
    work(conn, &id)?;
    audit_log(conn, &who.handle, placeholder)?;
    search_index(conn)?;
    queued_work(conn, who, &id)?;
    diesel::update(users::table.find(&id))
        .set((
            users::handle.eq(placeholder),
            users::email.eq(""),
            // Unique like an address, but never one: it has no `@`.
            users::email_key.eq(format!("erased:{id}")),
            users::password_hash.eq(""),
            users::email_verified_at.eq(None::<Millis>),
            users::updated_at.eq(now),
            users::erased_at.eq(Some(now)),
            users::is_operator.eq(false),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sessions, tokens, addresses, second factor, resets and throttling records.
fn sign_in(conn: &mut DbConnection, who: &Identity, id: &str) -> Result<(), StoreError> {
    let keys: Vec<String> = who
        .emails
        .iter()
        .map(|e| e.to_lowercase())
        .chain([who.handle.to_lowercase()])
        .collect();
    diesel::delete(sessions::table.filter(sessions::user_id.eq(id))).execute(conn)?;
    diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(id))).execute(conn)?;
    diesel::delete(trusted_devices::table.filter(trusted_devices::user_id.eq(id))).execute(conn)?;
    diesel::delete(password_resets::table.filter(password_resets::user_id.eq(id))).execute(conn)?;
    diesel::delete(email_verifications::table.filter(email_verifications::user_id.eq(id)))
        .execute(conn)?;
    diesel::delete(pending_sign_ins::table.filter(pending_sign_ins::user_id.eq(id)))
        .execute(conn)?;
    diesel::delete(second_factors::table.filter(second_factors::user_id.eq(id))).execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(id))).execute(conn)?;
    diesel::delete(user_emails::table.filter(user_emails::user_id.eq(id))).execute(conn)?;
    diesel::delete(reset_requests::table.filter(reset_requests::email_key.eq_any(&keys)))
        .execute(conn)?;
    diesel::delete(sign_in_failures::table.filter(sign_in_failures::account_key.eq_any(&keys)))
        .execute(conn)?;
    diesel::delete(suspensions::table.filter(suspensions::user_id.eq(id))).execute(conn)?;
    Ok(())
}

/// Profile items, personas, settings, calendars, saved searches, exports and notifications.
fn profile(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    let items = profile_items::table
        .filter(profile_items::owner_id.eq(id))
        .select(profile_items::id);
    diesel::delete(endorsements::table.filter(endorsements::item_id.eq_any(items)))
        .execute(conn)?;
    let mine = personas::table
        .filter(personas::owner_id.eq(id))
        .select(personas::id);
    diesel::delete(persona_items::table.filter(persona_items::persona_id.eq_any(mine)))
        .execute(conn)?;
    diesel::update(community_members::table.filter(community_members::user_id.eq(id)))
        .set(community_members::persona_id.eq(None::<String>))
        .execute(conn)?;
    diesel::update(community_applications::table.filter(community_applications::user_id.eq(id)))
        .set((
            community_applications::persona_id.eq(None::<String>),
            community_applications::answers.eq("[]"),
        ))
        .execute(conn)?;
    diesel::delete(personas::table.filter(personas::owner_id.eq(id))).execute(conn)?;
    diesel::update(skill_suggestions::table.filter(skill_suggestions::member_id.eq(id)))
        .set(skill_suggestions::item_id.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(search_docs::table.filter(search_docs::owner_id.eq(id))).execute(conn)?;
    diesel::delete(profile_items::table.filter(profile_items::owner_id.eq(id))).execute(conn)?;
    diesel::delete(member_settings::table.filter(member_settings::user_id.eq(id))).execute(conn)?;
    diesel::delete(notifications::table.filter(notifications::user_id.eq(id))).execute(conn)?;
    diesel::delete(
        notification_preferences::table.filter(notification_preferences::user_id.eq(id)),
    )
    .execute(conn)?;
    diesel::delete(digest_settings::table.filter(digest_settings::user_id.eq(id))).execute(conn)?;
    diesel::delete(calendars::table.filter(calendars::user_id.eq(id))).execute(conn)?;
    diesel::delete(availability_feeds::table.filter(availability_feeds::user_id.eq(id)))
        .execute(conn)?;
    diesel::delete(saved_searches::table.filter(saved_searches::user_id.eq(id))).execute(conn)?;
    diesel::delete(exports::table.filter(exports::user_id.eq(id))).execute(conn)?;
    Ok(())
}

/// Connections, blocks, memberships of conversations and communities, suggestions and
/// shortlists about the member.
fn network(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::delete(
        connections::table.filter(
            connections::requester_id
                .eq(id)
                .or(connections::addressee_id.eq(id)),
        ),
    )
    .execute(conn)?;
    diesel::delete(
        member_blocks::table.filter(
            member_blocks::blocker_id
                .eq(id)
                .or(member_blocks::blocked_id.eq(id)),
        ),
    )
    .execute(conn)?;
    diesel::delete(conversation_members::table.filter(conversation_members::user_id.eq(id)))
        .execute(conn)?;
    diesel::delete(community_members::table.filter(community_members::user_id.eq(id)))
        .execute(conn)?;
    diesel::delete(event_rsvps::table.filter(event_rsvps::user_id.eq(id))).execute(conn)?;
    diesel::delete(post_mentions::table.filter(post_mentions::user_id.eq(id))).execute(conn)?;
    diesel::delete(skill_suggestions::table.filter(skill_suggestions::member_id.eq(id)))
        .execute(conn)?;
    diesel::delete(shortlist_entries::table.filter(shortlist_entries::member_id.eq(id)))
        .execute(conn)?;
    diesel::update(mentoring_offers::table.filter(mentoring_offers::mentor_id.eq(id)))
        .set((
            mentoring_offers::note.eq(""),
            mentoring_offers::active.eq(false),
        ))
        .execute(conn)?;
    Ok(())
}

/// What the member wrote where others read it: blanked, so threads keep their shape.
fn written(conn: &mut DbConnection, id: &str, now: Millis) -> Result<(), StoreError> {
    diesel::update(
        community_posts::table
            .filter(community_posts::author_id.eq(id))
            .filter(community_posts::title.ne("")),
    )
    .set(community_posts::title.eq("Removed by its author"))
    .execute(conn)?;
    diesel::update(community_posts::table.filter(community_posts::author_id.eq(id)))
        .set((
            community_posts::body.eq(""),
            community_posts::body_html.eq(""),
        ))
        .execute(conn)?;
    diesel::update(messages::table.filter(messages::author_id.eq(id)))
        .set((
            messages::body.eq(""),
            messages::body_html.eq(""),
            messages::deleted_at.eq(Some(now)),
        ))
        .execute(conn)?;
    diesel::delete(message_files::table.filter(message_files::uploaded_by.eq(id))).execute(conn)?;
    diesel::update(post_reports::table.filter(post_reports::reporter_id.eq(id)))
        .set(post_reports::reason.eq(""))
        .execute(conn)?;
    diesel::update(message_reports::table.filter(message_reports::reporter_id.eq(id)))
        .set(message_reports::reason.eq(""))
        .execute(conn)?;
    diesel::update(skill_suggestions::table.filter(skill_suggestions::suggester_id.eq(id)))
        .set(skill_suggestions::note.eq(""))
        .execute(conn)?;
    diesel::update(endorsements::table.filter(endorsements::endorser_id.eq(id)))
        .set(endorsements::note.eq(""))
        .execute(conn)?;
    diesel::update(community_invitations::table.filter(community_invitations::created_by.eq(id)))
        .set(community_invitations::note.eq(""))
        .execute(conn)?;
    diesel::update(shortlist_entries::table.filter(shortlist_entries::curator_id.eq(id)))
        .set(shortlist_entries::note.eq(""))
        .execute(conn)?;
    diesel::update(mentorships::table.filter(mentorships::learner_id.eq(id)))
        .set(mentorships::goal.eq(""))
        .execute(conn)?;
    diesel::update(mentoring_sessions::table.filter(mentoring_sessions::recorded_by.eq(id)))
        .set(mentoring_sessions::notes.eq(""))
        .execute(conn)?;
    Ok(())
}

/// Jobs, proposals, referrals, reviews, payout details and credentials: the shared records
/// stay, without the member's own words or bank details.
fn work(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::update(
        jobs::table
            .filter(jobs::client_id.eq(id))
            .filter(jobs::status.eq_any([JobStatus::Draft.as_str(), JobStatus::Open.as_str()])),
    )
    .set(jobs::status.eq(JobStatus::Closed.as_str()))
    .execute(conn)?;
    diesel::update(jobs::table.filter(jobs::client_id.eq(id)))
        .set((jobs::organisation.eq(""), jobs::description.eq("")))
        .execute(conn)?;
    diesel::update(
        proposals::table.filter(proposals::member_id.eq(id)).filter(
            proposals::status.eq_any(
                [
                    ProposalStatus::Invited,
                    ProposalStatus::Submitted,
                    ProposalStatus::Shortlisted,
                ]
                .map(ProposalStatus::as_str),
            ),
        ),
    )
    .set(proposals::status.eq(ProposalStatus::Withdrawn.as_str()))
    .execute(conn)?;
    diesel::update(proposals::table.filter(proposals::member_id.eq(id)))
        .set((proposals::note.eq(""), proposals::availability.eq("")))
        .execute(conn)?;
    diesel::update(referrals::table.filter(referrals::referrer_id.eq(id)))
        .set(referrals::note.eq(""))
        .execute(conn)?;
    diesel::update(reviews::table.filter(reviews::author_id.eq(id)))
        .set(reviews::body.eq(""))
        .execute(conn)?;
    diesel::delete(payout_methods::table.filter(payout_methods::user_id.eq(id))).execute(conn)?;
    diesel::update(payouts::table.filter(payouts::payee.eq(id)))
        .set((
            payouts::method_label.eq("erased"),
            payouts::method_details.eq(""),
        ))
        .execute(conn)?;
    // The signed documents name the member; their status bits stay, so a copy the member
    // kept still verifies, and a revocation still shows.
    diesel::update(credentials::table.filter(credentials::holder_id.eq(id)))
        .set((
            credentials::document.eq(r#"{"erased":true}"#),
            credentials::share_token.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// The operators' audit log names accounts by handle, alone or as `@handle` in a sentence
/// ("€900.00 to @ada"): it keeps the entries, under the placeholder.
fn audit_log(conn: &mut DbConnection, handle: &str, placeholder: &str) -> Result<(), StoreError> {
    diesel::update(operator_actions::table.filter(operator_actions::subject.eq(handle)))
        .set(operator_actions::subject.eq(placeholder))
        .execute(conn)?;
    diesel::update(operator_actions::table.filter(operator_actions::actor.eq(handle)))
        .set(operator_actions::actor.eq(placeholder))
        .execute(conn)?;
    let mention = format!("@{handle}");
    let pattern = super::jobs::containing(&mention);
    let rows: Vec<(String, String, String)> = operator_actions::table
        .filter(
            operator_actions::subject
                .like(&pattern)
                .escape('\\')
                .or(operator_actions::reason.like(&pattern).escape('\\')),
        )
        .select((
            operator_actions::id,
            operator_actions::subject,
            operator_actions::reason,
        ))
        .load(conn)?;
    let instead = format!("@{placeholder}");
    for (id, subject, reason) in rows {
        diesel::update(operator_actions::table.find(id))
            .set((
                operator_actions::subject.eq(subject.replace(&mention, &instead)),
                operator_actions::reason.eq(reason.replace(&mention, &instead)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// SQLite's full-text index keeps a deleted profile's words in its segments until they are
/// merged: merge them now, so the member's words leave the file too. (PostgreSQL indexes the
/// rows themselves.)
fn search_index(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Sqlite(_) = conn {
        diesel::sql_query("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            .execute(conn)?;
    }
    Ok(())
}

/// Background work for the member (mail to their addresses, their exports): it has nothing
/// left to do.
fn queued_work(conn: &mut DbConnection, who: &Identity, id: &str) -> Result<(), StoreError> {
    for needle in who.emails.iter().map(String::as_str).chain([id]) {
        let pattern = super::jobs::containing(needle);
        diesel::delete(tasks::table.filter(tasks::payload.like(pattern).escape('\\')))
            .execute(conn)?;
    }
    Ok(())
}
