//! Notifications by email: what a queued mail task says when it is sent, read then rather than
//! when it was queued, so a mail never tells what its reader may no longer see or no longer
//! wants by email.

use super::text;
use crate::AppError;
use crate::accounts::Account;
use crate::mail::Mail;
use guildhall_domain::notify::{Delivery, Topic};
use guildhall_store::DbConnection;
use guildhall_store::repo::notifications as repo;
use guildhall_store::repo::{events, users};
use serde_json::json;

/// The payload of a mail task telling of notification `id`.
pub(crate) fn payload(id: &str) -> serde_json::Value {
    json!({ "notification": id })
}

/// The mail a task asks for; `None` when it is no longer wanted: the notification is gone,
/// or its reader no longer hears of its topic by email.
pub(crate) fn compose(
    c: &mut DbConnection,
    app: &crate::App,
    id: &str,
) -> Result<Option<Mail>, AppError> {
    let Some(row) = repo::by_id(c, id)? else {
        return Ok(None);
    };
    let delivery =
        repo::preference(c, row.user_id, row.topic)?.unwrap_or(row.topic.default_delivery());
    if delivery != Delivery::Email {
        return Ok(None);
    }
    let (Some(user), Some(event)) = (
        users::by_id(c, row.user_id)?,
        events::by_id(c, &row.event_id)?,
    ) else {
        return Ok(None);
    };
    // An address not yet verified receives only the mail that verifies it.
    if user.email_verified_at.is_none() {
        return Ok(None);
    }
    let reader = Account::from(user);
    let view = text::view(c, &mut text::Names::default(), &reader, &row, &event)?;
    let base = crate::mail::link_base(app);
    let open = format!("{base}/notifications/{}", view.id);
    let settings = format!("{base}/settings/notifications");
    let unsubscribe = format!("{base}/unsubscribe/{}", view.id);
    let why = format!(
        "You get this email because you chose to hear of “{}” by email.",
        row.topic.label().to_lowercase()
    );
    Ok(Some(Mail {
        to: reader.email,
        subject: subject(&view.text),
        text: format!(
            "{}\n\nSee it on Guildhall: {open}\n\n--\n{why}\nChoose how you hear of things: {settings}\nStop these emails: {unsubscribe}\n",
            view.text
        ),
        html: format!(
            "<p>{}</p>\n<p><a href=\"{open}\">See it on Guildhall</a></p>\n<hr>\n<p style=\"color:#555;font-size:90%\">{} <a href=\"{settings}\">Choose how you hear of things</a> or <a href=\"{unsubscribe}\">stop these emails</a>.</p>\n",
            crate::mail::escape_html(&view.text),
            crate::mail::escape_html(&why)
        ),
        unsubscribe: Some(unsubscribe),
    }))
}

/// A subject line from the notification's sentence: at most 120 characters.
fn subject(text: &str) -> String {
    if text.chars().count() <= 120 {
        return text.to_string();
    }
    let cut: String = text.chars().take(119).collect();
    format!("{cut}…")
}

/// The topic a notification's unsubscribe link stops emails of, and whether it still sends
/// them.
pub(crate) fn unsubscribe_topic(
    c: &mut DbConnection,
    id: &str,
) -> Result<Option<(guildhall_domain::UserId, Topic, bool)>, AppError> {
    let Some(row) = repo::by_id(c, id)? else {
        return Ok(None);
    };
    let delivery =
        repo::preference(c, row.user_id, row.topic)?.unwrap_or(row.topic.default_delivery());
    Ok(Some((row.user_id, row.topic, delivery == Delivery::Email)))
}
