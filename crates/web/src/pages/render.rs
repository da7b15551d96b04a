//! Rendering pages: the layout every page shares, HTML error pages, and the mapping from use
//! case errors to what a person reads.

use crate::auth::Caller;
use crate::csrf::CsrfToken;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use guildhall_app::AppError;

/// What the shared layout needs.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Page title.
    pub title: String,
    /// The signed-in member's handle.
    pub handle: Option<String>,
    /// The signed-in member is one of the instance's operators.
    pub operator: bool,
    /// How many things wait for the member's answer, shown beside "Home".
    pub waiting: i64,
    /// How many notifications are unread, shown beside "Inbox".
    pub unread: i64,
    /// How many conversations have unread messages, shown beside "Messages".
    pub messages: i64,
    /// CSRF token for forms.
    pub csrf: String,
    /// A one-line notice after an action.
    pub notice: Option<String>,
    /// The notice reports a refusal rather than a success.
    pub notice_is_error: bool,
}

impl Layout {
    /// A layout for `caller`.
    pub fn new(title: impl Into<String>, caller: Option<&Caller>, csrf: &CsrfToken) -> Self {
        Self {
            title: title.into(),
            handle: caller.map(|c| c.account.handle.clone()),
            operator: caller.is_some_and(|c| c.account.is_operator),
            waiting: caller.map_or(0, |c| c.waiting),
            unread: caller.map_or(0, |c| c.unread),
            messages: caller.map_or(0, |c| c.messages),
            csrf: csrf.0.clone(),
            notice: None,
            notice_is_error: false,
        }
    }

    /// Adds the notice named by a `done` code (codes, not text, so nothing is reflected).
    pub fn with_notice(mut self, code: Option<&str>) -> Self {
        self.notice = code.and_then(notice_text).map(str::to_string);
        self.notice_is_error =
            code.is_some_and(|c| c.ends_with("-refused") || c.contains("-needs-"));
        self
    }
}

fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "item-added" => "Item added.",
        "skill-matched" => {
            "Skill added. It matched a skill in the taxonomy, so search and job matching find you by any of its names."
        }
        "skill-tagged" => {
            "Skill added as your own tag: it is not in the skill taxonomy, so only these words find it. An operator may later fold it into a taxonomy skill."
        }
        "item-saved" => "Item saved.",
        "item-removed" => "Item removed.",
        "persona-created" => "Persona created.",
        "persona-saved" => "Persona saved.",
        "persona-removed" => "Persona removed.",
        "requested" => "Connection request sent.",
        "accepted" => "You are now connected.",
        "declined" => "Request declined.",
        "removed" => "Connection removed.",
        "password" => "Password changed. Other sessions were signed out.",
        "token-revoked" => "Token revoked.",
        "welcome" => "Welcome to Guildhall! Start by adding a headline.",
        "suggested" => "Suggestion sent. They decide whether to add it.",
        "suggest-refused" => {
            "That suggestion could not be sent: they may not take suggestions from you, or you already suggested it."
        }
        "suggest-needs-note" => "Say in a few words where you saw the skill.",
        "suggestion-accepted" => "Skill added to your profile.",
        "suggestion-declined" => "Suggestion declined.",
        "setting-saved" => "Saved.",
        "all-read" => "Every notification is marked read.",
        "session-ended" => "That session is signed out.",
        "second-factor-off" => "Two-factor sign-in is off: your password alone signs you in.",
        "address-added" => "A link to verify the address is on its way to it.",
        "address-primary" => "That is your account's address now. The one it replaced was told.",
        "address-removed" => "Address removed.",
        "signed-out-everywhere" => "Every other browser is signed out.",
        "availability-saved" => "Availability saved.",
        "calendar-imported" => {
            "Calendar imported: its busy times now count against your free hours."
        }
        "calendar-removed" => "Calendar removed.",
        "calendar-subscribed" => {
            "Calendar subscribed: its busy times count now, and it is fetched again every three hours."
        }
        "feed-made" => "Your feed has a new address. The old one no longer works.",
        "message-deleted" => "Message deleted.",
        "message-reported" => {
            "Report sent. The people who look after this conversation will read it."
        }
        "muted" => "Muted: new messages here no longer notify you, but mentions of you still do.",
        "unmuted" => "Unmuted: new messages here notify you again.",
        "blocked" => "Blocked. Neither of you can message, find or invite the other now.",
        "unblocked" => "Unblocked.",
        "report-settled" => "Report settled.",
        "verification-sent" => "A new link is on its way to your address.",
        "verification-refused" => {
            "A link was sent less than a minute ago: give it a moment to arrive."
        }
        "verified" => "Your address is verified already.",
        "endorsed" => "Endorsement recorded.",
        "endorse-refused" => {
            "You can endorse each skill once, after working together: a contract between you, a confirmed mentoring session, or a vetted community you both belong to."
        }
        "community-created" => "Community created. You are its owner.",
        "joined" => "Welcome! You are a member now.",
        "applied" => "Application sent. The curators will decide.",
        "withdrawn" => "Application withdrawn.",
        "left" => "You left the community.",
        "event-created" => "Event created.",
        "rsvp-saved" => "RSVP saved.",
        "event-saved" => "Event saved. Calendars that subscribed will update.",
        "event-cancelled" => {
            "Event cancelled. Calendars that subscribed will show it as cancelled."
        }
        "invitation-created" => "Invitation link created. Copy it now: it is shown once.",
        "decided" => "Decision saved.",
        "offer-accepted" => "Contract accepted. The client can now fund the first milestone.",
        "part-accepted" => "Your part is accepted. The member who mentors you starts the contract.",
        "offer-declined" => "Offer declined.",
        "funded" => "Milestone funded: the money is in escrow.",
        "submitted" => "Delivered. The client reviews it.",
        "released" => "Accepted: the escrow is released to the member.",
        "changes-requested" => "Changes requested.",
        "reviewed" => {
            "Review saved. It is shown to the other side when they have written theirs, or after 14 days."
        }
        "dispute-opened" => {
            "Dispute opened. Nothing moves on this contract until an operator resolves it."
        }
        "dispute-resolved" => "Dispute resolved: the escrow was divided as decided.",
        "deposit-requested" => {
            "Deposit requested. Pay as shown below; your wallet grows once it arrives."
        }
        "deposit-cancelled" => "Deposit request cancelled.",
        "revenue-share-saved" => {
            "Revenue share saved. It applies to payments released from now on."
        }
        "credential-issued" => {
            "Credential issued. Download it or share it by link; anyone can check it."
        }
        "credential-shared" => "Shared: anyone with the link sees the credential, checked.",
        "credential-shown" => "Saved. Your profile shows the credential to whom you chose.",
        "credential-unshared" => {
            "The link no longer opens the credential, and your profile no longer shows it."
        }
        "credential-revoked" => "Revoked. Verifiers see it revoked from now on.",
        "naming-saved" => "Saved. It applies to credentials issued from now on.",
        "perk-added" => "Perk listed. Members who qualify see it here.",
        "perk-removed" => "Perk taken off the list.",
        "week-funded" => "Week funded: its cap at the rate is in escrow.",
        "time-logged" => "Time logged.",
        "time-removed" => "Time entry removed.",
        "contract-ended" => "Contract ended.",
        "payout-method-saved" => "Payout method saved.",
        "payout-method-removed" => "Payout method removed. Payouts already sent to it keep a copy.",
        "payout-requested" => {
            "Payout asked for. The amount is held for it until it is sent; you will be told."
        }
        "payout-sent" => "Payout marked as sent. The member is told.",
        "payout-failed" => {
            "Payout marked as not sent. The money is back and the member is told why."
        }
        "session-confirmed" => "Session confirmed: it now counts as evidence of mentoring.",
        "vetted" => "Community vetted: its owners and curators now seed trust.",
        "unvetted" => "Community no longer vetted.",
        "promoted" => "Done: they are an operator now.",
        "demoted" => "Done: they are no longer an operator.",
        "suspended" => {
            "Suspended: signed out everywhere, hidden from search, open offers withdrawn."
        }
        "unsuspended" => "Suspension lifted: they may sign in again.",
        "texts-published" => "Saved. The footer of every page links the published texts.",
        "password-reset" => "Your new password is set. Sign in with it.",
        "policy" => "Saved. Every node follows the new policy within seconds.",
        "deposit-confirmed" => "Deposit confirmed: the member's wallet is credited.",
        "reviews-revealed" => "Review saved. Both reviews are in, so both are shown now.",
        "offer-sent" => "Offer sent. The member accepts or declines it here.",
        "job-posted" => "Job posted. Members it is shown to can propose now.",
        "job-drafted" => "Saved as a draft: only you see it until you publish it.",
        "job-opened" => "Job published.",
        "job-closed" => "Job closed: it takes no more proposals.",
        "proposed" => "Proposal sent. The client compares proposals and answers here.",
        "referred" => "Referral recorded. If they are hired, you are rewarded on each payment.",
        "invited" => "Invitation sent.",
        "put-forward" => {
            "Put forward. The client sees them on the job's shortlist, with your note."
        }
        "taken-off" => "Taken off the shortlist.",
        "search-saved" => {
            "Search saved. Open it again at any time: it ranks members as they are now."
        }
        "search-deleted" => "Search deleted.",
        "shortlisted" => "Shortlisted.",
        "proposal-declined" => "Proposal declined.",
        "skill-assessed" => {
            "Assessment recorded. The member may now ask for a credential of this skill."
        }
        "member-removed" => "Member removed. The reason is kept in the community's record.",
        "role-saved" => "Role changed.",
        "post-updated" => "Done.",
        "offer-saved" => "Your mentoring offer is listed.",
        "mentoring-requested" => "Request sent to the mentor.",
        "mentoring-accepted" => "Mentorship started.",
        "mentoring-declined" => "Request declined.",
        "session-recorded" => {
            "Session recorded. It counts as evidence once your partner confirms it."
        }
        "resource-added" => "Resource added to the catalogue.",
        "resource-removed" => "Resource removed.",
        "resource-completed" => "Marked as completed.",
        "decline-needs-reason" => "Say why you decline: the applicant reads it.",
        "decide-refused" => "That application was already decided, or the community is full.",
        _ => return None,
    })
}

/// Renders a template, or a plain error page if the template fails.
pub fn html<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<h1>Something went wrong</h1>".to_string()),
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

/// An error page.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    heading: &'static str,
    message: String,
}

impl PageError {
    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            heading: "That did not work",
            message: message.into(),
        }
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            heading: "Not allowed",
            message: message.into(),
        }
    }

    /// 404.
    pub fn not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            heading: "Not found",
            message: "There is nothing here, or nothing you may see.".into(),
        }
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        let api = crate::error::ApiError::from(e);
        let status = api.status();
        match status {
            StatusCode::NOT_FOUND => Self::not_found(),
            StatusCode::TOO_MANY_REQUESTS => Self {
                status,
                heading: "Too many attempts",
                message: "Please wait a little and try again.".into(),
            },
            StatusCode::SERVICE_UNAVAILABLE => Self {
                status,
                heading: "Temporarily unavailable",
                message: "The database is not reachable. Try again shortly.".into(),
            },
            s if s.is_client_error() => Self {
                status,
                heading: "That did not work",
                message: "The request could not be completed.".into(),
            },
            _ => Self {
                status,
                heading: "Something went wrong",
                message: "Something went wrong on our side. It has been logged.".into(),
            },
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            layout: Layout {
                title: self.heading.into(),
                ..Layout::default()
            },
            heading: self.heading.into(),
            message: self.message,
        };
        html(self.status, &page)
    }
}

/// A result for page handlers.
pub type PageResult = Result<Response, PageError>;

/// Field errors as a person reads them, keyed by field path.
#[derive(Clone, Debug, Default)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    /// From a use case error: field errors are kept, other errors become one general message.
    pub fn from_app(e: AppError) -> Result<Self, PageError> {
        match e {
            AppError::Validation(fe) => Ok(Self(
                fe.0.into_iter().map(|f| (f.path, f.message)).collect(),
            )),
            AppError::Conflict { field, message } => {
                Ok(Self(vec![(field.unwrap_or_default(), message)]))
            }
            AppError::Forbidden(message) => Ok(Self(vec![(String::new(), message)])),
            AppError::InvalidCredentials => Ok(Self(vec![(
                String::new(),
                "The handle, email or password is not correct.".into(),
            )])),
            AppError::RateLimited { retry_after_secs } => Ok(Self(vec![(
                String::new(),
                format!("Too many attempts. Try again in {retry_after_secs} seconds."),
            )])),
            // True of whatever the form named: a job, a message, a milestone. Forms that name
            // a member by handle say so beside the field (`Errors::member_not_found`).
            AppError::NotFound => Ok(Self(vec![(
                String::new(),
                "That could not be found: it may have been removed, or is not yours to see.".into(),
            )])),
            other => Err(other.into()),
        }
    }

    /// As [`Errors::from_app`], for a form naming a member by handle in `field`: "not
    /// found" means nobody has that handle, said beside it.
    pub fn member_not_found(e: AppError, field: &str) -> Result<Self, PageError> {
        match e {
            AppError::NotFound => Ok(Self(vec![(
                format!("/{field}"),
                "No member has this handle.".into(),
            )])),
            other => Self::from_app(other),
        }
    }

    /// The message for field `path` (matching `/data/url` for `url`), or empty.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .filter(|(p, _)| p.rsplit('/').next() == Some(name) || p == name)
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The message for field `name` as a sentence about the field labelled `label`: "Handle
    /// must be …" when the message says what the value must be, the message alone when it names
    /// its own subject ("this handle is taken"), so no word is doubled.
    pub fn about(&self, name: &str, label: &str) -> String {
        let message = self.get(name);
        if message.is_empty() {
            return message;
        }
        let predicate = [
            "must ", "is ", "are ", "should ", "needs ", "cannot ", "may ",
        ]
        .iter()
        .any(|p| message.starts_with(p));
        if predicate {
            sentence(format!("{label} {message}"))
        } else {
            sentence(message)
        }
    }

    /// Messages not tied to one of `known` fields.
    pub fn general(&self, known: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|(p, _)| !known.iter().any(|k| p.rsplit('/').next() == Some(k)))
            .map(|(p, m)| {
                if p.is_empty() {
                    sentence(m.clone())
                } else {
                    sentence(format!("{} {m}", field_words(p)))
                }
            })
            .collect()
    }

    /// Each message as a sentence: capitalised and ending in a full stop.
    pub fn sentences(self) -> Self {
        Self(
            self.0
                .into_iter()
                .map(|(path, message)| (path, sentence(message)))
                .collect(),
        )
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The page's status: 200 without errors, `refused` with them.
    pub fn status(&self, refused: StatusCode) -> StatusCode {
        if self.is_empty() {
            StatusCode::OK
        } else {
            refused
        }
    }
}

/// A field's path as words: `/milestones/0/amount` is "milestone 1's amount", `/min_minor`
/// "the lowest rate". No page shows a JSON pointer.
pub fn field_words(path: &str) -> String {
    let named = |part: &str| match part {
        "min_minor" => "the lowest rate".to_string(),
        "max_minor" => "the highest rate".to_string(),
        "due_on" => "the due date".to_string(),
        "starts_on" => "the start date".to_string(),
        "ends_on" => "the end date".to_string(),
        "data" => String::new(),
        other => other.replace('_', " "),
    };
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut words: Vec<String> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        match part.parse::<usize>() {
            // An index names one of the list before it: "milestones/0" is "milestone 1".
            Ok(n) if i > 0 => {
                let list = words.pop().unwrap_or_default();
                let one = list.strip_suffix('s').unwrap_or(&list).to_string();
                words.push(format!("{one} {}", n + 1));
            }
            _ => words.push(named(part)),
        }
    }
    words.retain(|w| !w.is_empty());
    match words.split_last() {
        Some((last, owners)) if !owners.is_empty() => {
            let last = last.trim_start_matches("the ");
            format!("{}'s {last}", owners.join(" "))
        }
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// An instant as a date and time in UTC, as pages show when something happened.
pub fn when(ms: &i64) -> String {
    guildhall_domain::calendar::format_local(*ms, "UTC")
}

/// `message` capitalised and ending in a full stop, as a sentence on a page reads.
pub fn sentence(mut message: String) -> String {
    if let Some(first) = message.chars().next() {
        let upper: String = first.to_uppercase().collect();
        message.replace_range(..first.len_utf8(), &upper);
    }
    if !message.ends_with(['.', '!', '?']) {
        message.push('.');
    }
    message
}

/// The `webcal://` address of `path` on the instance at `public_url`: the scheme calendar apps
/// open as a subscription rather than a one-off download.
pub fn webcal(public_url: &str, path: &str) -> String {
    let host = public_url
        .strip_prefix("https://")
        .or_else(|| public_url.strip_prefix("http://"))
        .unwrap_or(public_url);
    format!("webcal://{host}{path}")
}

/// Long text a member wrote, as sanitised HTML: Markdown rendered, bare addresses and
/// `@handles` linked, nothing that could run or restyle the page.
pub fn markdown(source: &str) -> String {
    guildhall_domain::markdown::render(source).html
}

/// The time zones a form offers, as the IANA database spells them.
pub fn time_zone_choices() -> &'static [String] {
    guildhall_domain::calendar::time_zone_names()
}

/// Whether a stored zone is among [`time_zone_choices`] (fixed offsets such as `UTC+05:30`
/// are not, and are offered beside them so an edit keeps them).
pub fn is_listed_time_zone(zone: &str) -> bool {
    guildhall_domain::calendar::is_time_zone(zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_read_as_words() {
        assert_eq!(field_words("/milestones/0/amount"), "milestone 1's amount");
        assert_eq!(field_words("/data/min_minor"), "the lowest rate");
        assert_eq!(field_words("/currency"), "currency");
        let errors = Errors(vec![(
            "/milestones/1/due_on".into(),
            "is not a date".into(),
        )]);
        assert_eq!(
            errors.general(&[]),
            ["Milestone 2's due date is not a date."]
        );
    }

    #[test]
    fn calendar_feeds_are_webcal_links() {
        assert_eq!(
            webcal("https://guild.example.org", "/api/v1/calendars/x"),
            "webcal://guild.example.org/api/v1/calendars/x"
        );
        assert_eq!(
            webcal("http://127.0.0.1:8080", "/c"),
            "webcal://127.0.0.1:8080/c"
        );
    }

    #[test]
    fn field_messages_read_as_sentences_without_doubled_words() {
        let errors = Errors(vec![
            ("/handle".into(), "this handle is taken".into()),
            ("/email".into(), "must contain '@'".into()),
        ]);
        assert_eq!(errors.about("handle", "Handle"), "This handle is taken.");
        assert_eq!(errors.about("email", "Email"), "Email must contain '@'.");
        assert_eq!(errors.about("password", "Password"), "");
        assert_eq!(sentence("done!".into()), "Done!");
    }
}
