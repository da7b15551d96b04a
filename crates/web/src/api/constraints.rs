//! The validation rules of the use cases, written into the API document as schema constraints so
//! a client (or a fuzzer) knows before sending what will be refused. Free text follows
//! `validation::text`: whitespace around it is trimmed, then its length is counted in characters
//! and control characters are refused (multi-line text allows newlines and tabs). That is
//! expressed as a pattern, because `minLength` and `maxLength` would count the trimmed
//! whitespace. Rules that depend on other fields or on stored data (an end after a start, a
//! known currency, a free handle) cannot be schema constraints; `docs/api.md` lists them.

use serde_json::{Value, json};

/// A rule for one field.
#[derive(Clone, Copy, Debug)]
pub enum Rule {
    /// Trimmed text of `min..=max` characters; `multiline` allows newlines and tabs.
    Text(usize, usize, bool),
    /// A list of one-line texts (skills in words): `min..=max` of `0..=100` characters.
    Words(usize, usize),
    /// A handle: 3 to 30 of a-z, 0-9, `_`, `-`, starting with a letter (any case).
    Handle,
    /// A three-letter ISO 4217 code.
    Currency,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM` or `YYYY-MM-DD`.
    PartialDate,
    /// An integer from `min` to `max`.
    Range(i64, i64),
    /// A UUID.
    Id,
    /// An absolute http or https address.
    WebUrl,
    /// A list of `min..=max` entries.
    Count(usize, usize),
    /// A string of `min..=max` characters, taken as typed (passwords).
    Length(usize, usize),
    /// A fixed pattern.
    Pattern(&'static str),
    /// One of the reputation figures a profile item may show.
    Figure,
    /// A list of audiences.
    Audiences,
    /// A list of at most `max` absolute http or https addresses.
    WebUrls(usize),
    /// A list of at most `max` UUIDs.
    Ids(usize),
}

/// A community's slug: 3 to 40 of a-z, 0-9 and `-`, not starting or ending with `-`.
/// Empty means "keep it" when editing; creating needs one (declared in `schemathesis.toml`).
const SLUG: &str = "^(|[A-Za-z0-9][A-Za-z0-9-]{1,38}[A-Za-z0-9])$";
/// A handle, with or without the `@` a mention writes before it.
const HANDLE_OR_MENTION: &str = "^@?[A-Za-z][A-Za-z0-9_-]{2,29}$";
/// An audience, as `Audience::from_str` reads it.
const AUDIENCE: &str = "^(public|members|connections|clients|private|community:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$";
/// The largest amount of money in minor units (`ledger::MAX_AMOUNT`).
const MAX_AMOUNT: i64 = guildhall_domain::ledger::MAX_AMOUNT;
/// The most skills a job names (`job::check`).
const MOST_JOB_SKILLS: usize = guildhall_domain::job::MOST_JOB_SKILLS;

/// An email address as `Email::parse` takes it: something, an `@`, a domain with a dot.
const EMAIL: &str = "^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$";

/// A notification topic's name (`guildhall_domain::notify::Topic`; a test checks they agree).
pub const TOPIC: &str = "^(connection_requests|connections_accepted|skill_suggestions|endorsements|applications|application_decisions|messages|mentions|replies|event_changes|mentoring|proposals|invitations|offers|milestones_funded|deliveries|acceptances|payments|reviews|disputes|deposits|payouts|work_that_fits)$";

/// Every constrained field: schema name (`Schema.variant` for one kind of a `oneOf`), property.
pub const FIELDS: &[(&str, &str, Rule)] = &[
    ("SignUpBody", "handle", Rule::Handle),
    ("SignUpBody", "display_name", Rule::Text(1, 80, false)),
    ("SignUpBody", "password", Rule::Length(12, 256)),
    ("PasswordBody", "new_password", Rule::Length(12, 256)),
    ("TokenRequest", "name", Rule::Text(1, 80, false)),
    ("NewToken", "name", Rule::Text(1, 80, false)),
    ("ConnectBody", "handle", Rule::Handle),
    ("ResetRequest", "email", Rule::Pattern(EMAIL)),
    ("AddressBody", "email", Rule::Pattern(EMAIL)),
    ("VerifyBody", "token", Rule::Length(1, 100)),
    ("MemberBody", "handle", Rule::Handle),
    ("MemberBody", "note", Rule::Text(0, 1000, true)),
    ("TransferBody", "handle", Rule::Handle),
    ("TransferBody", "currency", Rule::Currency),
    ("TransferBody", "amount", Rule::Range(1, MAX_AMOUNT)),
    ("DepositBody", "currency", Rule::Currency),
    ("DepositBody", "amount", Rule::Range(1, MAX_AMOUNT)),
    ("MilestoneBody", "message", Rule::Text(0, 4000, true)),
    ("MilestoneBody", "links", Rule::WebUrls(10)),
    ("MilestoneBody", "files", Rule::Ids(5)),
    ("PayoutMethodInput", "label", Rule::Text(1, 60, false)),
    ("PayoutMethodInput", "details", Rule::Text(1, 500, true)),
    (
        "PayoutInput",
        "from",
        Rule::Pattern("^(wallet|referral_rewards|community_share)$"),
    ),
    ("PayoutInput", "community", Rule::Pattern(SLUG)),
    ("PayoutInput", "amount", Rule::Range(1, MAX_AMOUNT)),
    ("PayoutInput", "currency", Rule::Currency),
    ("PayoutInput", "method", Rule::Id),
    ("PaidBody", "reference", Rule::Text(0, 100, false)),
    ("FailedBody", "reason", Rule::Text(1, 500, true)),
    ("EndorseBody", "note", Rule::Text(0, 280, false)),
    ("SuggestBody", "note", Rule::Text(1, 280, false)),
    ("SuggestBody", "label", Rule::Text(1, 100, false)),
    ("AcceptBody", "level", Rule::Range(1, 5)),
    ("PersonaBody", "name", Rule::Text(1, 60, false)),
    ("PersonaBody", "headline", Rule::Text(0, 140, false)),
    ("PersonaBody", "summary", Rule::Text(0, 4000, true)),
    ("ThreadInput", "title", Rule::Text(3, 200, false)),
    ("ThreadInput", "body", Rule::Text(1, 20_000, true)),
    ("ReplyBody", "body", Rule::Text(1, 20_000, true)),
    ("ModerationBody", "reason", Rule::Text(0, 500, true)),
    ("ReportBody", "reason", Rule::Text(3, 1000, true)),
    ("NewConversation", "to", Rule::Count(1, 20)),
    ("NewConversation", "title", Rule::Text(0, 100, false)),
    ("NewConversation", "body", Rule::Text(1, 20_000, true)),
    ("AttachBody", "id", Rule::Id),
    ("MessageBody", "body", Rule::Text(1, 20_000, true)),
    ("SendBody", "body", Rule::Text(1, 20_000, true)),
    ("SendBody", "files", Rule::Ids(5)),
    ("MessageReportBody", "reason", Rule::Text(3, 1000, true)),
    ("SessionInput", "notes", Rule::Text(0, 4000, true)),
    ("SessionInput", "held_on", Rule::Date),
    ("SessionInput", "skills", Rule::Words(0, 20)),
    ("EventInput", "title", Rule::Text(3, 200, false)),
    ("EventInput", "description", Rule::Text(0, 8000, true)),
    ("EventInput", "place", Rule::Text(2, 300, false)),
    ("ResourceInput", "title", Rule::Text(3, 200, false)),
    ("ResourceInput", "provider", Rule::Text(0, 120, false)),
    ("ResourceInput", "url", Rule::WebUrl),
    ("CommunityBody", "name", Rule::Text(2, 80, false)),
    ("CommunityBody", "description", Rule::Text(0, 4000, true)),
    ("CommunityBody", "questions", Rule::Count(0, 20)),
    (
        "PreferencesBody",
        "preferences",
        Rule::Count(0, guildhall_domain::notify::Topic::ALL.len()),
    ),
    ("PreferenceInput", "topic", Rule::Pattern(TOPIC)),
    ("DigestSettings", "hour", Rule::Range(0, 23)),
    (
        "PreferenceInput",
        "delivery",
        Rule::Pattern("^(in_app|email|digest|off)$"),
    ),
    ("MarkRead", "ids", Rule::Count(0, 100)),
    ("CommunityBody", "slug", Rule::Pattern(SLUG)),
    ("CommunityBody", "member_cap", Rule::Range(1, 1_000_000)),
    ("CommunityBody", "focus_skills", Rule::Words(0, 20)),
    ("InvitationInput", "days_valid", Rule::Range(1, 90)),
    ("InvitationInput", "max_uses", Rule::Range(1, 1000)),
    ("SessionInput", "minutes", Rule::Range(5, 600)),
    ("EventInput", "capacity", Rule::Range(1, 100_000)),
    ("ResourceInput", "cost_minor", Rule::Range(0, 100_000_000)),
    ("ResourceInput", "duration_minutes", Rule::Range(1, 100_000)),
    ("ResourceInput", "skills", Rule::Words(0, 20)),
    ("ResourceInput", "credit", Rule::Pattern(HANDLE_OR_MENTION)),
    ("EventInput", "credit", Rule::Pattern(HANDLE_OR_MENTION)),
    ("HourlyInput", "rate", Rule::Range(60, MAX_AMOUNT / 80)),
    ("HourlyInput", "weekly_cap_hours", Rule::Range(1, 80)),
    ("WeekBody", "week_of", Rule::Date),
    ("TimeEntryInput", "worked_on", Rule::Date),
    ("TimeEntryInput", "minutes", Rule::Range(1, 1440)),
    ("TimeEntryInput", "note", Rule::Text(0, 500, true)),
    ("RevenueShareInput", "share_bps", Rule::Range(0, 10_000)),
    ("RevenueShareInput", "period_days", Rule::Range(1, 366)),
    ("PerkInput", "title", Rule::Text(3, 120, false)),
    ("CredentialRequest", "about", Rule::Text(1, 200, false)),
    ("RevokeInput", "reason", Rule::Text(3, 500, false)),
    ("AssessmentInput", "member", Rule::Handle),
    ("AssessmentInput", "skill", Rule::Text(1, 100, false)),
    ("AssessmentInput", "note", Rule::Text(10, 1000, true)),
    ("PerkInput", "description", Rule::Text(0, 2000, true)),
    ("PerkInput", "min_points", Rule::Range(1, 1_000_000)),
    ("MentoringOfferInput", "skills", Rule::Words(1, 20)),
    ("RequestInput", "skills", Rule::Words(0, 20)),
    ("JobInput", "skills", Rule::Count(1, MOST_JOB_SKILLS)),
    ("JobInput", "budget_min", Rule::Range(1, MAX_AMOUNT)),
    ("JobInput", "budget_max", Rule::Range(1, MAX_AMOUNT)),
    ("JobInput", "hours_per_week", Rule::Range(1, 80)),
    ("JobInput", "tz_min_offset", Rule::Range(-720, 840)),
    ("JobInput", "tz_max_offset", Rule::Range(-720, 840)),
    ("JobSkill", "weight", Rule::Range(1, 5)),
    ("JobSkill", "min_level", Rule::Range(1, 5)),
    ("ProposalInput", "rate", Rule::Range(1, MAX_AMOUNT)),
    ("ItemData.rate", "min_minor", Rule::Range(0, 100_000_000)),
    ("ItemData.rate", "max_minor", Rule::Range(0, 100_000_000)),
    ("ItemData.reputation", "figure", Rule::Figure),
    ("PersonaBody", "link_audience", Rule::Pattern(AUDIENCE)),
    ("ItemBody", "audiences", Rule::Audiences),
    ("AcceptBody", "audiences", Rule::Audiences),
    ("Question", "prompt", Rule::Text(3, 500, false)),
    ("RemoveBody", "reason", Rule::Text(1, 500, true)),
    ("MentoringOfferInput", "note", Rule::Text(0, 2000, true)),
    ("RequestInput", "goal", Rule::Text(5, 2000, true)),
    ("RequestInput", "work", Rule::Text(0, 2000, true)),
    ("RequestInput", "offer_id", Rule::Id),
    ("Decision.decline", "reason", Rule::Text(1, 1000, true)),
    ("InvitationInput", "note", Rule::Text(0, 200, false)),
    ("JobInput", "title", Rule::Text(5, 200, false)),
    ("JobInput", "description", Rule::Text(0, 8000, true)),
    ("JobInput", "organisation", Rule::Text(0, 120, false)),
    ("JobInput", "place", Rule::Text(0, 200, false)),
    ("JobInput", "currency", Rule::Currency),
    ("JobInput", "starts_on", Rule::Date),
    ("JobInput", "ends_on", Rule::Date),
    ("JobSkill", "label", Rule::Text(1, 100, false)),
    ("ProposalInput", "note", Rule::Text(10, 4000, true)),
    ("ProposalInput", "availability", Rule::Text(0, 200, false)),
    ("MilestoneBody", "note", Rule::Text(0, 4000, true)),
    ("CancelBody", "reason", Rule::Text(1, 1000, true)),
    ("DisputeInput", "reason", Rule::Text(10, 2000, true)),
    ("DisputeInput", "milestone", Rule::Id),
    ("Resolution", "note", Rule::Text(1, 2000, true)),
    ("OfferInput", "title", Rule::Text(3, 200, false)),
    ("OfferInput", "member", Rule::Handle),
    ("OfferInput", "referrer", Rule::Handle),
    ("OfferInput", "learner", Rule::Handle),
    ("OfferBody", "learner", Rule::Handle),
    ("OfferInput", "currency", Rule::Currency),
    ("OfferInput", "milestones", Rule::Count(0, 20)),
    ("OfferBody", "milestones", Rule::Count(1, 20)),
    ("MilestoneInput", "title", Rule::Text(2, 200, false)),
    ("MilestoneInput", "due_on", Rule::Date),
    ("MilestoneInput", "amount", Rule::Range(1, MAX_AMOUNT)),
    ("ReviewInput", "text", Rule::Text(0, 4000, true)),
    ("ReviewInput", "overall", Rule::Range(1, 5)),
    ("CompletionBody", "completed_on", Rule::Date),
    ("MergeBody", "skill_id", Rule::Id),
    ("MergeBody", "tag_id", Rule::Id),
    ("ItemData.display_name", "name", Rule::Text(1, 80, false)),
    ("ItemData.headline", "text", Rule::Text(1, 140, false)),
    ("ItemData.summary", "text", Rule::Text(1, 4000, true)),
    ("ItemData.location", "place", Rule::Text(1, 120, false)),
    ("ItemData.rate", "currency", Rule::Currency),
    ("ItemData.link", "label", Rule::Text(1, 80, false)),
    ("ItemData.link", "url", Rule::WebUrl),
    ("ItemData.email", "label", Rule::Text(1, 40, false)),
    ("ItemData.work", "title", Rule::Text(1, 120, false)),
    ("ItemData.work", "organisation", Rule::Text(1, 120, false)),
    ("ItemData.work", "description", Rule::Text(0, 4000, true)),
    ("ItemData.work", "start", Rule::PartialDate),
    ("ItemData.skill", "label", Rule::Text(1, 100, false)),
    ("ItemData.skill", "note", Rule::Text(0, 280, false)),
    ("ItemData.skill", "level", Rule::Range(1, 5)),
    ("ItemData.skill", "years", Rule::Range(0, 70)),
    ("ItemData.portfolio", "title", Rule::Text(1, 160, false)),
    ("ItemData.portfolio", "url", Rule::WebUrl),
    ("ItemData.portfolio", "date", Rule::PartialDate),
    ("ItemData.availability", "weekly", Rule::Count(0, 28)),
    ("ItemData.availability", "days_off", Rule::Count(0, 100)),
    (
        "ItemData.availability",
        "hours_per_week",
        Rule::Range(0, 168),
    ),
    ("AvailabilityBody", "weekly", Rule::Count(0, 28)),
    ("AvailabilityBody", "days_off", Rule::Count(0, 100)),
    ("AvailabilityBody", "hours_per_week", Rule::Range(0, 168)),
    ("AvailabilityBody", "audiences", Rule::Audiences),
    ("WorkingHours", "start", Rule::Pattern(START_TIME)),
    ("WorkingHours", "end", Rule::Pattern(END_TIME)),
    ("DaysOff", "from", Rule::Date),
    ("DaysOff", "to", Rule::Date),
    ("DaysOff", "note", Rule::Text(0, 80, false)),
    ("ShortlistInput", "community", Rule::Pattern(SLUG)),
    ("ShortlistInput", "handle", Rule::Pattern(HANDLE_OR_MENTION)),
    ("ShortlistInput", "note", Rule::Text(0, 1000, true)),
    ("SearchInput", "name", Rule::Text(1, 80, false)),
    ("SearchInput", "skills", Rule::Count(1, 10)),
    ("SearchInput", "hourly_budget", Rule::Range(1, MAX_AMOUNT)),
    ("SearchInput", "currency", Rule::Currency),
    ("SearchInput", "starts_on", Rule::Date),
    ("SearchInput", "ends_on", Rule::Date),
    ("SearchInput", "hours_per_week", Rule::Range(1, 80)),
    ("SearchInput", "tz_min_offset", Rule::Range(-720, 840)),
    ("SearchInput", "tz_max_offset", Rule::Range(-720, 840)),
    ("SearchInput", "community", Rule::Pattern(SLUG)),
    ("CalendarBody", "name", Rule::Text(1, 80, false)),
    (
        "CalendarBody",
        "ics",
        Rule::Length(1, guildhall_app::availability::MAX_ICS_BYTES),
    ),
    ("CalendarBody", "url", Rule::WebUrl),
];

/// A time of day, `HH:MM`, as the start of working hours.
const START_TIME: &str = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$";
/// A time of day as the end of working hours: `24:00` is midnight at the end of the day.
const END_TIME: &str = "^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";

/// Query parameters: operation id, parameter, rule.
pub const PARAMETERS: &[(&str, &str, Rule)] = &[
    ("search", "limit", Rule::Range(1, 100)),
    ("search", "q", Rule::Text(0, 100, true)),
    ("search", "skill", Rule::Text(0, 100, true)),
    ("search", "location", Rule::Text(0, 100, true)),
    ("search", "timezone", Rule::Text(0, 100, true)),
    ("autocomplete", "q", Rule::Text(0, 100, true)),
    ("upload_delivery_file", "name", Rule::Text(1, 200, false)),
    ("upload_message_file", "name", Rule::Text(1, 200, false)),
    ("statement", "from", Rule::Date),
    ("statement", "to", Rule::Date),
    ("list_jobs", "q", Rule::Text(0, 200, true)),
    ("list_jobs", "skill", Rule::Text(0, 100, true)),
    ("list_jobs", "pays_at_least", Rule::Text(0, 20, true)),
    ("list_jobs", "currency", Rule::Currency),
    ("list_jobs", "starts_from", Rule::Date),
    ("list_jobs", "ends_by", Rule::Date),
    ("list_jobs", "community", Rule::Text(0, 64, true)),
    ("find_talent", "limit", Rule::Range(1, 50)),
    ("find_pairs", "limit", Rule::Range(1, 50)),
    ("work_for_you", "limit", Rule::Range(1, 50)),
    ("rate_map", "days", Rule::Range(1, 3650)),
    ("rate_map", "currency", Rule::Currency),
    ("rate_map", "occupation", Rule::Id),
    ("shortlist_candidates", "community", Rule::Pattern(SLUG)),
    ("shortlist_candidates", "limit", Rule::Range(1, 50)),
    ("run_search", "limit", Rule::Range(1, 50)),
    ("free_time", "from", Rule::Date),
    ("free_time", "to", Rule::Date),
];

/// Characters `str::trim` removes (Unicode `White_Space`).
const BLANK: &str = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// The same without control characters, which no query string may hold (`control_chars`).
const QUERY_BLANK: &str = r"[ \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// A character that is neither blank nor a control character.
const SOLID: &str = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// Any character allowed inside one-line text: no control characters.
const ONE_LINE: &str = r"[^\x00-\x1f\x7f-\x9f]";
/// Any character allowed inside multi-line text: newlines and tabs too.
const MULTI_LINE: &str = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]";

/// Where a value travels: a JSON body, or a query string, which holds no control characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Body,
    Query,
}

/// The pattern of trimmed text of `min..=max` characters.
pub fn text_pattern(min: usize, max: usize, multiline: bool) -> String {
    text_pattern_in(min, max, multiline, Place::Body)
}

fn text_pattern_in(min: usize, max: usize, multiline: bool, place: Place) -> String {
    let (blank, inner) = match place {
        Place::Query => (QUERY_BLANK, ONE_LINE),
        Place::Body if multiline => (BLANK, MULTI_LINE),
        Place::Body => (BLANK, ONE_LINE),
    };
    // The trimmed text starts and ends with a solid character, with `inner` ones between.
    let middle = |lo: usize| format!("{inner}{{{lo},{}}}", max.saturating_sub(2));
    let core = match (min, max) {
        (_, 0) => String::new(),
        (0, 1) => format!("{SOLID}?"),
        (1, 1) => SOLID.to_string(),
        (0, _) => format!("(?:{SOLID}(?:{}{SOLID})?)?", middle(0)),
        (1, _) => format!("{SOLID}(?:{}{SOLID})?", middle(0)),
        (_, _) => format!("{SOLID}{}{SOLID}", middle(min - 2)),
    };
    format!("^{blank}*{core}{blank}*$")
}

fn apply(schema: &mut Value, rule: Rule, place: Place) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let blank = match place {
        Place::Body => format!("{BLANK}*"),
        Place::Query => format!("{QUERY_BLANK}*"),
    };
    let constraints = match rule {
        Rule::Text(min, max, multiline) => {
            json!({ "pattern": text_pattern_in(min, max, multiline, place) })
        }
        Rule::Words(min, max) => json!({
            "minItems": min,
            "maxItems": max,
            "items": { "type": "string", "pattern": text_pattern(0, 100, false) }
        }),
        Rule::Handle => {
            json!({ "pattern": format!("^{blank}[A-Za-z][A-Za-z0-9_-]{{2,29}}{blank}$") })
        }
        Rule::Currency => {
            // Read after trimming and in any case, so `eur` is EUR.
            let any_case = |code: &str| -> String {
                code.chars()
                    .map(|c| format!("[{c}{}]", c.to_ascii_lowercase()))
                    .collect()
            };
            let codes: Vec<String> = guildhall_domain::money::currency_codes()
                .map(any_case)
                .collect();
            json!({ "pattern": format!("^{blank}(?:{}){blank}$", codes.join("|")) })
        }
        Rule::Pattern(pattern) => json!({ "pattern": pattern }),
        Rule::Audiences => json!({ "items": { "type": "string", "pattern": AUDIENCE } }),
        Rule::Figure => {
            json!({ "enum": guildhall_domain::profile::shown_figures().collect::<Vec<_>>() })
        }
        Rule::Date => json!({
            "pattern": format!("^{blank}[0-9]{{4}}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]){blank}$")
        }),
        Rule::PartialDate => json!({
            "pattern": format!("^{blank}[0-9]{{4}}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?{blank}$")
        }),
        Rule::Range(min, max) => json!({ "minimum": min, "maximum": max }),
        Rule::Id => json!({ "format": "uuid" }),
        Rule::WebUrl => {
            json!({ "pattern": format!("^{blank}[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+\\S*{blank}$"), "maxLength": 2048 })
        }
        Rule::WebUrls(max) => json!({
            "maxItems": max,
            "items": {
                "type": "string",
                "pattern": format!("^{blank}[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+\\S*{blank}$"),
                "maxLength": 2048
            }
        }),
        Rule::Ids(max) => {
            json!({ "maxItems": max, "items": { "type": "string", "format": "uuid" } })
        }
        Rule::Count(min, max) => json!({ "minItems": min, "maxItems": max }),
        Rule::Length(min, max) => json!({ "minLength": min, "maxLength": max }),
    };
    if let Value::Object(c) = constraints {
        object.extend(c);
    }
}

/// The schema of `name` (or of one variant, `Schema.variant`) in `components/schemas`.
fn schema_mut<'a>(schemas: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    let (name, variant) = match name.split_once('.') {
        Some((n, v)) => (n, Some(v)),
        None => (name, None),
    };
    let schema = schemas.get_mut(name)?;
    let Some(variant) = variant else {
        return Some(schema);
    };
    schema
        .get_mut("oneOf")?
        .as_array_mut()?
        .iter_mut()
        .find(|v| {
            v["properties"]
                .as_object()
                .is_some_and(|p| p.values().any(|t| t["enum"] == json!([variant])))
        })
}

/// Tagged enums whose variants refuse unknown fields (`deny_unknown_fields`), which utoipa does
/// not carry to the variants' schemas.
const CLOSED_VARIANTS: [&str; 2] = ["Decision", "ItemData"];

/// Schemas of answers that quote what the caller sent, so may hold anything it held.
const ECHOES_INPUT: [&str; 2] = ["Problem", "FieldError"];

/// Gives every free text string under `schema` the pattern that refuses NUL.
fn forbid_nul(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let text = object.get("type").is_some_and(|t| {
        t == "string" || t.as_array().is_some_and(|a| a.contains(&json!("string")))
    });
    let free = ["pattern", "enum", "format", "const"]
        .iter()
        .all(|k| !object.contains_key(*k));
    if text && free {
        object.insert("pattern".into(), json!(r"^[^\x00]*$"));
    }
    for (key, value) in object.iter_mut() {
        match key.as_str() {
            "properties" => value
                .as_object_mut()
                .into_iter()
                .flat_map(|p| p.values_mut())
                .for_each(forbid_nul),
            "oneOf" | "anyOf" | "allOf" => value
                .as_array_mut()
                .into_iter()
                .flatten()
                .for_each(forbid_nul),
            "items" | "additionalProperties" => forbid_nul(value),
            _ => {}
        }
    }
}

/// Writes every rule of [`FIELDS`] and [`PARAMETERS`] into `doc`; panics on a rule naming a
/// field that does not exist, so a renamed field cannot silently lose its constraint.
pub fn constrain(doc: &mut Value) {
    let schemas = &mut doc["components"]["schemas"];
    for name in CLOSED_VARIANTS {
        for variant in schemas[name]["oneOf"].as_array_mut().into_iter().flatten() {
            variant["additionalProperties"] = json!(false);
        }
    }
    for (schema, field, rule) in FIELDS {
        let property = schema_mut(schemas, schema)
            .and_then(|s| s.get_mut("properties"))
            .and_then(|p| p.get_mut(*field))
            .unwrap_or_else(|| panic!("constraint on unknown field {schema}.{field}"));
        apply(property, *rule, Place::Body);
    }
    // Any other text in a body: no NUL, which PostgreSQL cannot store (`first_nul` refuses it).
    // A problem report is the exception: it points at the refused input, NUL and all.
    for (name, schema) in schemas.as_object_mut().into_iter().flatten() {
        if !ECHOES_INPUT.contains(&name.as_str()) {
            forbid_nul(schema);
        }
    }
    for (operation, name, rule) in PARAMETERS {
        let parameter = doc["paths"]
            .as_object_mut()
            .into_iter()
            .flat_map(|paths| paths.values_mut())
            .filter_map(|item| item.as_object_mut())
            .flat_map(|item| item.values_mut())
            .filter(|op| op["operationId"] == *operation)
            .filter_map(|op| op.get_mut("parameters")?.as_array_mut())
            .flatten()
            .find(|p| p["name"] == *name)
            .unwrap_or_else(|| panic!("constraint on unknown parameter {operation}.{name}"));
        apply(&mut parameter["schema"], *rule, Place::Query);
    }
    // Any other text in a query string: no control characters.
    let no_controls = format!("^{ONE_LINE}*$");
    for parameter in doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(|item| item.as_object_mut())
        .flat_map(|item| item.values_mut())
        .filter_map(|op| op.get_mut("parameters")?.as_array_mut())
        .flatten()
        .filter(|p| p["in"] == "query")
    {
        let schema = &mut parameter["schema"];
        let text = schema["type"] == "string" || schema["type"] == json!(["string", "null"]);
        if text && schema.get("pattern").is_none() {
            schema["pattern"] = json!(no_controls);
        }
    }
}
