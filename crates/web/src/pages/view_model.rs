//! Page-friendly shapes of profile data. Built only from a `ProfileView`, which holds only the
//! items the viewer may see.

use guildhall_domain::audience::{Audience, AudienceSet};
use guildhall_domain::availability::describe;
use guildhall_domain::profile::{ItemData, PortfolioKind, ProfileItem, WorkKind};
use guildhall_domain::view::ProfileView;

/// A work history line.
pub struct WorkLine {
    /// The role or project, as its owner wrote it.
    pub title: String,
    /// Who the work was for (may be empty).
    pub organisation: String,
    /// Kind, in words.
    pub kind: &'static str,
    /// "2023-01 – now".
    pub dates: String,
    /// What was done, rendered from Markdown.
    pub description: String,
}

/// A portfolio line.
pub struct PortfolioLine {
    /// The piece's title, as its owner wrote it.
    pub title: String,
    /// Link.
    pub url: String,
    /// Kind, in words.
    pub kind: &'static str,
    /// When it was made, as the owner gave it (may be empty).
    pub date: String,
}

/// A skill line.
pub struct SkillLine {
    /// The claim's item id.
    pub id: String,
    /// The skill's id, for its page.
    pub skill_id: String,
    /// The skill.
    pub label: String,
    /// Level, 1 to 5.
    pub level: u8,
    /// "5 years" or empty.
    pub years: String,
    /// Where it was used.
    pub note: String,
    /// Handle of the connection who suggested it.
    pub suggested_by: Option<String>,
    /// How many members endorsed it.
    pub endorsed: usize,
    /// The endorsers the viewer may see by name.
    pub endorsers: Vec<String>,
    /// The viewer endorsed it.
    pub endorsed_by_you: bool,
}

/// A profile ready for a template.
pub struct ProfileCard {
    /// The member's handle, without the `@`.
    pub handle: String,
    /// The name this viewer is shown (the persona's, if one applies).
    pub name: String,
    /// Persona name, when seen through one.
    pub persona: Option<String>,
    /// The one-line headline this viewer is shown.
    pub headline: String,
    /// The summary this viewer is shown, rendered from Markdown.
    pub summary: String,
    /// "Lisbon · Europe/Lisbon".
    pub location: String,
    /// "€80.00–€120.00 / hour".
    pub rate: String,
    /// When they work, in a line ("Mon–Fri 09:00–17:00, up to 30 h a week (Europe/Lisbon)").
    pub availability: String,
    /// Links (label, url).
    pub links: Vec<(String, String)>,
    /// Contact emails (label, address).
    pub emails: Vec<(String, String)>,
    /// Work history.
    pub work: Vec<WorkLine>,
    /// The portfolio pieces this viewer may see.
    pub portfolio: Vec<PortfolioLine>,
    /// The skills this viewer may see, with their levels and backing.
    pub skills: Vec<SkillLine>,
    /// Credentials the member shows this viewer: (name, the page that shows it checked).
    pub credentials: Vec<(String, String)>,
    /// Reputation figures the member shows this viewer.
    pub shown_figures: Vec<String>,
    /// Those figures, computed, once the page asks for them.
    pub reputation: Option<super::reputation::ReputationPanel>,
    /// Nothing visible at all.
    pub empty: bool,
}

/// An hourly rate as people read it: "€80.00–€120.00 / hour".
pub fn rate_words(min_minor: i64, max_minor: i64, currency: &str) -> String {
    match guildhall_domain::money::Currency::parse(currency) {
        Ok(c) => {
            let money = |m| guildhall_domain::money::Money::new(m, c).display();
            format!("{}–{} / hour", money(min_minor), money(max_minor))
        }
        // A stored rate's currency was checked when it was saved; shown as stored otherwise.
        Err(_) => format!("{min_minor}–{max_minor} {currency} (minor units) / hour"),
    }
}

/// Work kind in words.
pub fn work_kind_label(k: WorkKind) -> &'static str {
    match k {
        WorkKind::Freelance => "Freelance",
        WorkKind::Employment => "Employment",
        WorkKind::Volunteer => "Volunteer",
        WorkKind::Vendor => "Through a vendor",
    }
}

/// Portfolio kind in words.
pub fn portfolio_kind_label(k: PortfolioKind) -> &'static str {
    match k {
        PortfolioKind::Article => "Article",
        PortfolioKind::Talk => "Talk",
        PortfolioKind::Repository => "Repository",
        PortfolioKind::Design => "Design",
        PortfolioKind::Other => "Other",
    }
}

impl ProfileCard {
    /// Fills each skill line's endorsements, as `shown` (by claim id) says the viewer reads
    /// them.
    pub fn with_endorsements(
        mut self,
        mut shown: std::collections::HashMap<String, guildhall_app::endorsements::Endorsements>,
    ) -> Self {
        for line in &mut self.skills {
            if let Some(e) = shown.remove(&line.id) {
                line.endorsed = e.count;
                line.endorsers = e.named;
                line.endorsed_by_you = e.yours;
            }
        }
        self
    }

    /// The card for a view.
    pub fn from_view(view: &ProfileView) -> Self {
        let mut card = ProfileCard {
            handle: view.handle.clone(),
            name: view.display_name().to_string(),
            persona: view.persona.as_ref().map(|p| p.name.clone()),
            headline: view.headline().unwrap_or_default().to_string(),
            summary: view.summary().unwrap_or_default().to_string(),
            location: String::new(),
            rate: String::new(),
            availability: String::new(),
            links: vec![],
            emails: vec![],
            work: vec![],
            portfolio: vec![],
            skills: vec![],
            shown_figures: vec![],
            credentials: vec![],
            reputation: None,
            empty: view.is_empty(),
        };
        for item in &view.items {
            match &item.data {
                ItemData::Location { place, timezone } if card.location.is_empty() => {
                    card.location = format!("{place} · {timezone}");
                }
                ItemData::Rate {
                    min_minor,
                    max_minor,
                    currency,
                } if card.rate.is_empty() => {
                    card.rate = rate_words(*min_minor, *max_minor, currency);
                }
                ItemData::Link { label, url } => card.links.push((label.clone(), url.clone())),
                ItemData::Email { address, label } => {
                    card.emails.push((label.clone(), address.clone()))
                }
                ItemData::Work {
                    title,
                    organisation,
                    work_kind,
                    start,
                    end,
                    description,
                } => card.work.push(WorkLine {
                    title: title.clone(),
                    organisation: organisation.clone(),
                    kind: work_kind_label(*work_kind),
                    dates: format!("{start} – {}", end.as_deref().unwrap_or("now")),
                    description: description.clone(),
                }),
                ItemData::Portfolio {
                    title,
                    url,
                    portfolio_kind,
                    date,
                } => card.portfolio.push(PortfolioLine {
                    title: title.clone(),
                    url: url.clone(),
                    kind: portfolio_kind_label(*portfolio_kind),
                    date: date.clone(),
                }),
                ItemData::Skill {
                    skill_id,
                    label,
                    level,
                    years,
                    note,
                    suggested_by,
                    ..
                } => card.skills.push(SkillLine {
                    id: item.id.to_string(),
                    skill_id: skill_id.clone().unwrap_or_default(),
                    label: label.clone(),
                    level: *level,
                    years: years
                        .map(|y| {
                            if y == 1 {
                                "1 year".to_string()
                            } else {
                                format!("{y} years")
                            }
                        })
                        .unwrap_or_default(),
                    note: note.clone(),
                    suggested_by: suggested_by.clone(),
                    endorsed: 0,
                    endorsers: Vec::new(),
                    endorsed_by_you: false,
                }),
                ItemData::Reputation { figure } => card.shown_figures.push(figure.clone()),
                ItemData::Credential { name, link, .. } => {
                    card.credentials.push((name.clone(), link.clone()))
                }
                ItemData::Availability {
                    timezone,
                    weekly,
                    hours_per_week,
                    ..
                } => card.availability = describe(timezone, weekly, *hours_per_week),
                // Shown from the view's own accessors, or a second location or rate.
                ItemData::DisplayName { .. }
                | ItemData::Headline { .. }
                | ItemData::Summary { .. }
                | ItemData::Location { .. }
                | ItemData::Rate { .. } => {}
            }
        }
        card
    }
}

/// One audience checkbox.
pub struct AudienceChoice {
    /// Stored name.
    pub value: String,
    /// Words.
    pub label: String,
    /// Whether the item is shown to this audience now.
    pub checked: bool,
}

/// The audience checkboxes for an item: the choosable ones plus any community audiences it
/// already has, so saving never drops them.
pub fn audience_choices(current: &AudienceSet) -> Vec<AudienceChoice> {
    let mut choices: Vec<AudienceChoice> = Audience::CHOOSABLE
        .iter()
        .map(|a| AudienceChoice {
            value: a.to_string(),
            label: a.label(),
            checked: current.contains(a),
        })
        .collect();
    for a in current
        .iter()
        .filter(|a| matches!(a, Audience::Community(_)))
    {
        choices.push(AudienceChoice {
            value: a.to_string(),
            label: a.label(),
            checked: true,
        });
    }
    choices
}

/// A one-line description of an item, for the editor list.
pub fn item_line(item: &ProfileItem) -> String {
    match &item.data {
        ItemData::DisplayName { name } => name.clone(),
        ItemData::Headline { text } => text.clone(),
        ItemData::Summary { text } => text.chars().take(120).collect(),
        ItemData::Location { place, timezone } => format!("{place} · {timezone}"),
        ItemData::Rate {
            min_minor,
            max_minor,
            currency,
        } => rate_words(*min_minor, *max_minor, currency),
        ItemData::Link { label, url } => format!("{label} — {url}"),
        ItemData::Email { address, label } => format!("{label}: {address}"),
        ItemData::Work {
            title,
            organisation,
            start,
            end,
            ..
        } => format!(
            "{title}, {organisation} ({start} – {})",
            end.as_deref().unwrap_or("now")
        ),
        ItemData::Portfolio { title, date, .. } => format!("{title} ({date})"),
        ItemData::Skill { label, level, .. } => format!("{label} · level {level} of 5"),
        ItemData::Reputation { figure } => super::reputation::figure_words(figure).to_string(),
        ItemData::Credential { name, .. } => format!("Credential: {name}"),
        ItemData::Availability {
            timezone,
            weekly,
            hours_per_week,
            ..
        } => describe(timezone, weekly, *hours_per_week),
    }
}

/// Item kinds in words, in the order the editor offers them.
pub const KINDS: [(&str, &str); 11] = [
    ("headline", "Headline"),
    ("skill", "Skill"),
    ("summary", "Summary"),
    ("display_name", "Display name"),
    ("location", "Location and time zone"),
    ("rate", "Hourly rate"),
    ("link", "Link"),
    ("email", "Contact email"),
    ("work", "Work history entry"),
    ("portfolio", "Portfolio item"),
    ("reputation", "Reputation figure"),
];

/// The words for a kind edited on a page of its own rather than in the item list.
const OWN_PAGE_KINDS: [(&str, &str); 2] = [
    ("availability", "Availability"),
    ("credential", "Credential"),
];

/// The words for a kind.
pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .chain(&OWN_PAGE_KINDS)
        .find(|(k, _)| *k == kind)
        .map_or("Item", |(_, l)| l)
}
