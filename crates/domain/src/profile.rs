//! Profile items: the pieces a profile is made of, each with its own audiences.

use crate::audience::AudienceSet;
use crate::availability::{DaysOff, Schedule, WorkingHours};
use crate::ids::{ItemId, UserId};
use crate::validation::{self, FieldErrors};
use serde::{Deserialize, Serialize};

/// One item of a member's profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileItem {
    /// The item's id.
    pub id: ItemId,
    /// Whose profile it belongs to.
    pub owner: UserId,
    /// Order among the owner's items (lower first).
    pub position: i32,
    /// Who may see it.
    pub audiences: AudienceSet,
    /// What it says.
    pub data: ItemData,
}

/// The kinds of work history entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// Independent work for a client.
    Freelance,
    /// A job.
    Employment,
    /// Unpaid work.
    Volunteer,
    /// Work through an agency or vendor.
    Vendor,
}

/// The kinds of portfolio item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PortfolioKind {
    /// A published article.
    Article,
    /// A talk.
    Talk,
    /// A source repository.
    Repository,
    /// A design.
    Design,
    /// Anything else.
    Other,
}

/// Where a skill claim comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimSource {
    /// The member said so.
    #[default]
    SelfClaimed,
    /// A connection suggested it and the member accepted.
    AcceptedSuggestion,
    /// Shown by delivered work (evidence log, later).
    Evidence,
    /// Passed an assessment (later).
    Assessment,
    /// Holds a credential (later).
    Credential,
}

/// What an item says, by kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ItemData {
    /// The name shown for the member.
    DisplayName {
        /// The name.
        name: String,
    },
    /// A one-line description.
    Headline {
        /// The line.
        text: String,
    },
    /// A few paragraphs about the member.
    Summary {
        /// The text.
        text: String,
    },
    /// Where the member works from.
    Location {
        /// A place, e.g. "Lisbon, Portugal".
        place: String,
        /// An IANA time zone such as `Europe/Lisbon`, or `UTC`.
        timezone: String,
    },
    /// Hourly rate range, in minor units of an ISO 4217 currency.
    Rate {
        /// Lowest hourly rate, minor units (cents).
        min_minor: i64,
        /// Highest hourly rate, minor units.
        max_minor: i64,
        /// ISO 4217 code, e.g. `EUR`.
        currency: String,
    },
    /// A link to elsewhere.
    Link {
        /// What the link is.
        label: String,
        /// Where it goes (http or https).
        url: String,
    },
    /// A contact email address linked to the account.
    Email {
        /// The address.
        address: String,
        /// What it is for, e.g. "work" or "personal".
        label: String,
    },
    /// A work history entry.
    Work {
        /// Role or title.
        title: String,
        /// Organisation or client.
        organisation: String,
        /// Freelance, employment, volunteer or vendor.
        work_kind: WorkKind,
        /// Start, `YYYY-MM` or `YYYY-MM-DD`.
        start: String,
        /// End, or absent while ongoing.
        #[serde(default)]
        end: Option<String>,
        /// What the member did.
        #[serde(default)]
        description: String,
    },
    /// A skill the member claims.
    Skill {
        /// The skill in the taxonomy, or the member's own tag; set by the server from `label`
        /// when absent.
        #[serde(default)]
        skill_id: Option<String>,
        /// The skill as shown (the taxonomy's preferred label once resolved).
        label: String,
        /// Self-assessed level, 1 (beginner) to 5 (expert).
        level: u8,
        /// Years of practice.
        #[serde(default)]
        years: Option<u8>,
        /// Where it was used, in a line.
        #[serde(default)]
        note: String,
        /// Where the claim comes from (set by the server).
        #[serde(default)]
        source: ClaimSource,
        /// Handle of the connection whose suggestion this was (set by the server).
        #[serde(default)]
        suggested_by: Option<String>,
    },
    /// A piece of published work.
    Portfolio {
        /// What the work is called, as the member wants it listed (1 to 160 characters).
        title: String,
        /// Where it is (http or https).
        url: String,
        /// Article, talk, repository, design or other.
        portfolio_kind: PortfolioKind,
        /// When, `YYYY-MM` or `YYYY-MM-DD`.
        date: String,
    },
    /// When the member works: weekly hours in their time zone, days off, and how many hours a
    /// week they take on. A profile holds at most one.
    Availability {
        /// The zone the hours are written in: an IANA name such as `Europe/Lisbon`, `UTC`, or
        /// `UTC±HH:MM`.
        timezone: String,
        /// Working hours per day of the week (at most 28 blocks, none overlapping).
        weekly: Vec<WorkingHours>,
        /// Days off, such as holidays (at most 100 spans).
        #[serde(default)]
        days_off: Vec<DaysOff>,
        /// Most hours a week the member takes on, 0 to 168.
        hours_per_week: u8,
    },
    /// A credential the instance issued to the member, shown with a link to it, checked.
    Credential {
        /// The credential's id (a UUID): one of the member's own that is not revoked.
        credential: String,
        /// Its name (set by the server).
        #[serde(default)]
        name: String,
        /// The page that shows it checked (set by the server).
        #[serde(default)]
        link: String,
    },
    /// A reputation figure, computed from the member's evidence, shown to the item's
    /// audiences.
    Reputation {
        /// `on_time`, `review_score`, `completion`, `responsiveness`, `repeat_clients`, or
        /// `trust` for trust per skill.
        figure: String,
    },
}

/// The figures a reputation item may show: those of `reputation::FIGURES` and `trust`.
pub fn shown_figures() -> impl Iterator<Item = &'static str> {
    crate::reputation::FIGURES.into_iter().chain(["trust"])
}

impl ItemData {
    /// The kind's name as stored and sent.
    pub fn kind(&self) -> &'static str {
        match self {
            ItemData::DisplayName { .. } => "display_name",
            ItemData::Headline { .. } => "headline",
            ItemData::Summary { .. } => "summary",
            ItemData::Location { .. } => "location",
            ItemData::Rate { .. } => "rate",
            ItemData::Link { .. } => "link",
            ItemData::Email { .. } => "email",
            ItemData::Work { .. } => "work",
            ItemData::Portfolio { .. } => "portfolio",
            ItemData::Skill { .. } => "skill",
            ItemData::Availability { .. } => "availability",
            ItemData::Reputation { .. } => "reputation",
            ItemData::Credential { .. } => "credential",
        }
    }

    /// Checks and normalises the item, reporting every problem under `/data/...`.
    pub fn validate(self) -> Result<ItemData, FieldErrors> {
        use validation::{partial_date, text, web_url};
        let mut e = FieldErrors::new();
        let data = match self {
            ItemData::DisplayName { name } => ItemData::DisplayName {
                name: text(&mut e, "/data/name", &name, 1, 80, false),
            },
            ItemData::Headline { text: t } => ItemData::Headline {
                text: text(&mut e, "/data/text", &t, 1, 140, false),
            },
            ItemData::Summary { text: t } => ItemData::Summary {
                text: text(&mut e, "/data/text", &t, 1, 4000, true),
            },
            ItemData::Location { place, timezone } => ItemData::Location {
                place: text(&mut e, "/data/place", &place, 1, 120, false),
                timezone: check_timezone(&mut e, &timezone),
            },
            ItemData::Rate {
                min_minor,
                max_minor,
                currency,
            } => {
                if min_minor < 0 {
                    e.add("/data/min_minor", "must not be negative");
                }
                if max_minor < min_minor {
                    e.add("/data/max_minor", "must be at least the lowest rate");
                }
                if max_minor > 100_000_000 {
                    e.add("/data/max_minor", "must be at most a million per hour");
                }
                let currency = currency.trim().to_ascii_uppercase();
                if crate::money::Currency::parse(&currency).is_err() {
                    e.add(
                        "/data/currency",
                        "must be an ISO 4217 code such as EUR or USD",
                    );
                }
                ItemData::Rate {
                    min_minor,
                    max_minor,
                    currency,
                }
            }
            ItemData::Link { label, url } => ItemData::Link {
                label: text(&mut e, "/data/label", &label, 1, 80, false),
                url: web_url(&mut e, "/data/url", &url),
            },
            ItemData::Email { address, label } => {
                let address = match crate::account::Email::parse(&address) {
                    Ok(a) => a.to_string(),
                    Err(m) => {
                        e.add("/data/address", m);
                        address
                    }
                };
                ItemData::Email {
                    address,
                    label: text(&mut e, "/data/label", &label, 1, 40, false),
                }
            }
            ItemData::Work {
                title,
                organisation,
                work_kind,
                start,
                end,
                description,
            } => {
                let start = partial_date(&mut e, "/data/start", &start);
                let end = end
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| partial_date(&mut e, "/data/end", &s));
                if let Some(end) = &end
                    && e.is_empty()
                    && end.as_str() < start.as_str()
                {
                    e.add("/data/end", "must not be before start");
                }
                ItemData::Work {
                    title: text(&mut e, "/data/title", &title, 1, 120, false),
                    organisation: text(&mut e, "/data/organisation", &organisation, 1, 120, false),
                    work_kind,
                    start,
                    end,
                    description: text(&mut e, "/data/description", &description, 0, 4000, true),
                }
            }
            ItemData::Skill {
                skill_id,
                label,
                level,
                years,
                note,
                source,
                suggested_by,
            } => {
                if !(1..=5).contains(&level) {
                    e.add("/data/level", "must be from 1 (beginner) to 5 (expert)");
                }
                if years.is_some_and(|y| y > 70) {
                    e.add("/data/years", "must be at most 70");
                }
                ItemData::Skill {
                    skill_id,
                    label: text(&mut e, "/data/label", &label, 1, 100, false),
                    level,
                    years,
                    note: text(&mut e, "/data/note", &note, 0, 280, false),
                    source,
                    suggested_by,
                }
            }
            ItemData::Portfolio {
                title,
                url,
                portfolio_kind,
                date,
            } => ItemData::Portfolio {
                title: text(&mut e, "/data/title", &title, 1, 160, false),
                url: web_url(&mut e, "/data/url", &url),
                portfolio_kind,
                date: partial_date(&mut e, "/data/date", &date),
            },
            ItemData::Availability {
                timezone,
                weekly,
                days_off,
                hours_per_week,
            } => {
                if let Err(errors) = Schedule::parse(&timezone, &weekly, &days_off, hours_per_week)
                {
                    e.extend(errors);
                }
                let trim = |s: String| s.trim().to_string();
                ItemData::Availability {
                    timezone: trim(timezone),
                    weekly: weekly
                        .into_iter()
                        .map(|w| WorkingHours {
                            day: w.day,
                            start: trim(w.start),
                            end: trim(w.end),
                        })
                        .collect(),
                    days_off: days_off
                        .into_iter()
                        .map(|d| DaysOff {
                            from: trim(d.from),
                            to: trim(d.to),
                            note: trim(d.note),
                        })
                        .collect(),
                    hours_per_week,
                }
            }
            ItemData::Credential {
                credential,
                name,
                link,
            } => ItemData::Credential {
                credential: text(&mut e, "/data/credential", &credential, 1, 64, false),
                name,
                link,
            },
            ItemData::Reputation { figure } => {
                let figure = figure.trim().to_string();
                if !shown_figures().any(|f| f == figure) {
                    e.add(
                        "/data/figure",
                        format!(
                            "must be one of {}",
                            shown_figures().collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
                ItemData::Reputation { figure }
            }
        };
        e.into_result(data)
    }
}

/// Accepts `UTC±HH:MM` or a name from the IANA database (`UTC`, `Europe/Lisbon`), spelled as
/// the database spells it.
fn check_timezone(e: &mut FieldErrors, raw: &str) -> String {
    let tz = raw.trim();
    let fixed = tz
        .strip_prefix("UTC")
        .and_then(|r| r.strip_prefix(['+', '-']))
        .is_some_and(|r| {
            let b = r.as_bytes();
            b.len() == 5
                && b[2] == b':'
                && r[..2].parse::<u8>().is_ok_and(|h| h <= 14)
                && r[3..].parse::<u8>().is_ok_and(|m| m < 60)
        });
    if !(fixed || crate::calendar::is_time_zone(tz)) {
        e.add(
            "/data/timezone",
            "must be a time zone from the list, such as Europe/Lisbon, UTC or UTC+05:30",
        );
    }
    tz.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_entry_checks_dates_in_order() {
        let bad = ItemData::Work {
            title: "Engineer".into(),
            organisation: "Acme".into(),
            work_kind: WorkKind::Freelance,
            start: "2024-05".into(),
            end: Some("2023-01".into()),
            description: String::new(),
        };
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors.0[0].path, "/data/end");
    }

    #[test]
    fn rate_and_timezone() {
        let ok = ItemData::Location {
            place: "Lisbon".into(),
            timezone: "Europe/Lisbon".into(),
        };
        assert!(ok.validate().is_ok());
        for tz in [
            "Mars/Olympus",
            "Mars/Olympus Mons",
            "utc",
            "europe/lisbon",
            "UTC+25:00",
            "Europe",
            "Etc/GMT+5",
        ] {
            let bad = ItemData::Location {
                place: "x".into(),
                timezone: tz.into(),
            };
            assert!(bad.validate().is_err(), "{tz}");
        }
        let rate = ItemData::Rate {
            min_minor: 9000,
            max_minor: 8000,
            currency: "eur".into(),
        };
        let errors = rate.validate().unwrap_err();
        assert_eq!(errors.0.len(), 1);
    }
}
