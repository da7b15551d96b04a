//! The daily digest by email: at the hour and in the time zone each member chose (07:00 UTC
//! until they choose), once a local day, only to a verified address and only when there is
//! something to say. Notifications a member chose to hear of "in the daily digest" come in it
//! as news. A look every minute queues the digests that are due; the queue composes each when
//! it is sent, from what is true then.

use super::digest::{DigestLine, build};
use super::text;
use crate::AppError;
use crate::accounts::Account;
use crate::mail::{Mail, escape_html, link_base};
use crate::secrets::link_token;
use guildhall_domain::UserId;
use guildhall_domain::calendar::{is_time_zone, local_input, time_zone_names};
use guildhall_domain::notify::{Delivery, Topic};
use guildhall_store::DbConnection;
use guildhall_store::repo::digest::{self as repo, DigestSettingsRow};
use guildhall_store::repo::notifications as notes;
use guildhall_store::repo::users;
use serde::{Deserialize, Serialize};
use serde_json::json;

const DEFAULT_HOUR: i32 = 7;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// When a member's digest is mailed.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DigestSettings {
    /// Whether it is mailed at all (the page is there either way).
    pub enabled: bool,
    /// The local hour it is mailed at, 0 to 23.
    pub hour: i32,
    /// The time zone of that hour, an IANA name such as `Europe/Lisbon`, or `UTC`.
    pub time_zone: String,
}

fn defaults(user: UserId) -> DigestSettingsRow {
    DigestSettingsRow {
        user_id: user,
        enabled: true,
        hour: DEFAULT_HOUR,
        time_zone: "UTC".into(),
        last_sent_on: None,
        unsubscribe_key: link_token(),
    }
}

/// A member's row, made with the defaults the first time it is needed.
fn row_of(c: &mut DbConnection, user: UserId) -> Result<DigestSettingsRow, AppError> {
    if let Some(row) = repo::settings(c, user)? {
        return Ok(row);
    }
    let row = defaults(user);
    repo::add_settings(c, &row)?;
    Ok(row)
}

/// Whether the digest of `row` is due at `now`: its hour has come in its zone, and this local
/// day's was not queued yet. Answers that day.
fn due_day(row: &DigestSettingsRow, now: i64) -> Option<String> {
    let local = local_input(now, &row.time_zone);
    let (day, hour) = (&local[..10], local[11..13].parse::<i32>().ok()?);
    (row.enabled && hour >= row.hour && row.last_sent_on.as_deref() != Some(day))
        .then(|| day.to_string())
}

/// The mail of a digest task; `None` when nothing is to be said, the digest was turned off,
/// or the address is not verified.
pub(crate) fn compose(
    c: &mut DbConnection,
    app: &crate::App,
    user: &str,
) -> Result<Option<Mail>, AppError> {
    let Some(row) = user
        .parse::<UserId>()
        .ok()
        .map(|id| users::by_id(c, id))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    let settings = row_of(c, row.id)?;
    if row.email_verified_at.is_none() || !settings.enabled {
        return Ok(None);
    }
    let now = app.now();
    let digest = build(c, row.id, now)?;
    let reader = Account::from(row);
    let news = news(c, &reader, now)?;
    if digest.is_empty() && news.is_empty() {
        return Ok(None);
    }
    let base = link_base(app);
    let unsubscribe = format!("{base}/unsubscribe/digest/{}", settings.unsubscribe_key);
    let mut sections: Vec<(&str, Vec<DigestLine>)> = vec![
        ("Deadlines", digest.deadlines),
        ("Waiting for your answer", digest.waiting),
        ("This week in your communities", digest.events),
        ("New work that fits you", digest.work),
        ("News", news),
    ];
    sections.retain(|(_, lines)| !lines.is_empty());
    let count: usize = sections.iter().map(|(_, l)| l.len()).sum();
    let mut text = String::new();
    let mut html = String::new();
    for (title, lines) in &sections {
        text.push_str(&format!("{title}\n"));
        html.push_str(&format!("<h2>{}</h2>\n<ul>\n", escape_html(title)));
        for l in lines {
            text.push_str(&format!("- {}\n  {base}{}\n", l.text, l.link));
            html.push_str(&format!(
                "<li><a href=\"{base}{}\">{}</a></li>\n",
                escape_html(&l.link),
                escape_html(&l.text)
            ));
        }
        text.push('\n');
        html.push_str("</ul>\n");
    }
    let settings_link = format!("{base}/settings/notifications");
    text.push_str(&format!(
        "--\nThe whole day: {base}/digest\nChoose when this comes: {settings_link}\nStop these emails: {unsubscribe}\n"
    ));
    html.push_str(&format!(
        "<hr>\n<p style=\"color:#555;font-size:90%\"><a href=\"{base}/digest\">Your day on Guildhall</a> · <a href=\"{settings_link}\">Choose when this comes</a> · <a href=\"{unsubscribe}\">Stop these emails</a></p>\n"
    ));
    Ok(Some(Mail {
        to: reader.email,
        subject: format!(
            "Your day on Guildhall: {count} thing{}",
            if count == 1 { "" } else { "s" }
        ),
        text,
        html,
        unsubscribe: Some(unsubscribe),
    }))
}

/// What the member chose to hear of in the digest, unread, from the last day; not what the
/// digest lists anyway as waiting for an answer.
fn news(c: &mut DbConnection, reader: &Account, now: i64) -> Result<Vec<DigestLine>, AppError> {
    const LISTED: &[Topic] = &[
        Topic::ConnectionRequests,
        Topic::SkillSuggestions,
        Topic::Offers,
        Topic::Invitations,
        Topic::Applications,
        Topic::Deliveries,
        Topic::WorkThatFits,
    ];
    let mut topics = Vec::new();
    for topic in Topic::ALL.iter().filter(|t| !LISTED.contains(t)) {
        let delivery = notes::preference(c, reader.id, *topic)?.unwrap_or(topic.default_delivery());
        if delivery == Delivery::Digest {
            topics.push(*topic);
        }
    }
    let mut names = text::Names::default();
    let mut out = Vec::new();
    for (row, event) in notes::unread_of_topics(c, reader.id, &topics)? {
        if row.created_at < now - DAY_MS {
            continue;
        }
        let view = text::view(c, &mut names, reader, &row, &event)?;
        out.push(DigestLine {
            text: view.text,
            link: format!("/notifications/{}", view.id),
            at: Some(view.created_at),
        });
    }
    Ok(out)
}

impl crate::facades::Notifications<'_> {
    /// Queues the digests that are due now, each member's once a local day; returns how
    /// many. Any node may run it: claiming the day is one conditional update.
    pub fn queue_due_digests(&self) -> Result<usize, AppError> {
        let now = self.now();
        let (verified, rows) =
            self.read(|c| Ok((repo::verified_users(c)?, repo::all_settings(c)?)))?;
        let mut queued = 0;
        for user in verified {
            let row = rows
                .iter()
                .find(|r| r.user_id == user)
                .cloned()
                .unwrap_or_else(|| defaults(user));
            let Some(day) = due_day(&row, now) else {
                continue;
            };
            let claimed = self.write(|c| {
                row_of(c, user)?;
                if !repo::claim_day(c, user, &day)? {
                    return Ok(false);
                }
                let payload = json!({ "digest": user.to_string(), "on": day });
                crate::queue::enqueue(c, now, crate::queue::MAIL, &payload)?;
                Ok(true)
            })?;
            queued += usize::from(claimed);
        }
        Ok(queued)
    }

    /// When the caller's digest is mailed.
    pub fn digest_settings(&self, who: &Account) -> Result<DigestSettings, AppError> {
        self.read(|c| {
            let row = repo::settings(c, who.id)?.unwrap_or_else(|| defaults(who.id));
            Ok(DigestSettings {
                enabled: row.enabled,
                hour: row.hour,
                time_zone: row.time_zone,
            })
        })
    }

    /// Changes when the caller's digest is mailed.
    pub fn set_digest_settings(
        &self,
        who: &Account,
        input: &DigestSettings,
    ) -> Result<DigestSettings, AppError> {
        let mut e = guildhall_domain::FieldErrors::new();
        if !(0..=23).contains(&input.hour) {
            e.add("/hour", "must be an hour from 0 to 23");
        }
        if !is_time_zone(&input.time_zone) {
            e.add("/time_zone", "is not a known time zone");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        self.write(|c| {
            row_of(c, who.id)?;
            repo::set_schedule(c, who.id, input.enabled, input.hour, &input.time_zone)?;
            Ok(input.clone())
        })
    }

    /// Turns the digest mail off through its one-click link; false when the link is unknown.
    pub fn unsubscribe_digest(&self, key: &str) -> Result<bool, AppError> {
        self.write(|c| {
            let Some(row) = repo::by_unsubscribe_key(c, key)? else {
                return Ok(false);
            };
            repo::set_schedule(c, row.user_id, false, row.hour, &row.time_zone)?;
            Ok(true)
        })
    }

    /// Whether an unsubscribe link is known, for the page that asks before it acts.
    pub fn digest_link_known(&self, key: &str) -> Result<bool, AppError> {
        self.read(|c| Ok(repo::by_unsubscribe_key(c, key)?.is_some()))
    }
}

/// The time zones a member may choose, for a form.
pub fn time_zones() -> &'static [String] {
    time_zone_names()
}
