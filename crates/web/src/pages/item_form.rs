//! The profile item form: one form per kind, the same for adding and editing, and the audience
//! chooser on every item.

use super::render::Errors;
use super::view_model::{AudienceChoice, audience_choices, kind_label};
use crate::forms::Form;
use guildhall_app::profiles::ItemInput;
use guildhall_domain::audience::{Audience, AudienceSet};
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::profile::{ItemData, PortfolioKind, ProfileItem, WorkKind};
use std::collections::BTreeMap;

/// An item form, filled or empty.
pub struct ItemForm {
    /// The item's id when editing.
    pub id: Option<String>,
    /// Kind being edited.
    pub kind: String,
    /// Field values as text.
    pub values: BTreeMap<String, String>,
    /// Audience checkboxes.
    pub audiences: Vec<AudienceChoice>,
    /// Problems from the last submission.
    pub errors: Errors,
}

impl ItemForm {
    /// An empty form for `kind`; new items default to public except contact emails.
    pub fn blank(kind: &str) -> Self {
        let default = if kind == "email" {
            Audience::Connections
        } else {
            Audience::Public
        };
        ItemForm {
            id: None,
            kind: kind.into(),
            values: BTreeMap::new(),
            audiences: audience_choices(&AudienceSet::of([default])),
            errors: Errors::default(),
        }
    }

    /// A form holding an existing item.
    pub fn of_item(item: &ProfileItem) -> Self {
        let mut v = BTreeMap::new();
        let mut put = |k: &str, val: String| {
            v.insert(k.to_string(), val);
        };
        match &item.data {
            ItemData::DisplayName { name } => put("name", name.clone()),
            ItemData::Headline { text } | ItemData::Summary { text } => put("text", text.clone()),
            ItemData::Location { place, timezone } => {
                put("place", place.clone());
                put("timezone", timezone.clone());
            }
            ItemData::Rate {
                min_minor,
                max_minor,
                currency,
            } => {
                // A stored rate's currency was checked when it was saved.
                let decimal = |minor: i64| {
                    Currency::parse(currency)
                        .map_or_else(|_| minor.to_string(), |c| Money::new(minor, c).decimal())
                };
                put("min", decimal(*min_minor));
                put("max", decimal(*max_minor));
                put("currency", currency.clone());
            }
            ItemData::Link { label, url } => {
                put("label", label.clone());
                put("url", url.clone());
            }
            ItemData::Email { address, label } => {
                put("address", address.clone());
                put("label", label.clone());
            }
            ItemData::Work {
                title,
                organisation,
                work_kind,
                start,
                end,
                description,
            } => {
                put("title", title.clone());
                put("organisation", organisation.clone());
                put(
                    "work_kind",
                    serde_json::to_value(work_kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                );
                put("start", start.clone());
                put("end", end.clone().unwrap_or_default());
                put("description", description.clone());
            }
            ItemData::Skill {
                label,
                level,
                years,
                note,
                ..
            } => {
                put("label", label.clone());
                put("level", level.to_string());
                put("years", years.map(|y| y.to_string()).unwrap_or_default());
                put("note", note.clone());
            }
            ItemData::Portfolio {
                title,
                url,
                portfolio_kind,
                date,
            } => {
                put("title", title.clone());
                put("url", url.clone());
                put(
                    "portfolio_kind",
                    serde_json::to_value(portfolio_kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                );
                put("date", date.clone());
            }
            ItemData::Reputation { figure } => put("figure", figure.clone()),
            ItemData::Credential { credential, .. } => put("credential", credential.clone()),
            // Edited on its own page, /availability.
            ItemData::Availability { .. } => {}
        }
        ItemForm {
            id: Some(item.id.to_string()),
            kind: item.data.kind().into(),
            values: v,
            audiences: audience_choices(&item.audiences),
            errors: Errors::default(),
        }
    }

    /// A submitted form, kept for re-display with its errors.
    pub fn submitted(form: &Form, id: Option<String>, errors: Errors) -> Self {
        let kind = form.get("kind");
        let values = [
            "name",
            "text",
            "place",
            "timezone",
            "min",
            "max",
            "currency",
            "label",
            "url",
            "address",
            "title",
            "organisation",
            "work_kind",
            "start",
            "end",
            "description",
            "portfolio_kind",
            "date",
            "level",
            "years",
            "note",
            "figure",
        ]
        .iter()
        .map(|k| (k.to_string(), form.get(k)))
        .collect();
        let chosen = AudienceSet::from_storage(&form.all("audiences").join(" "));
        ItemForm {
            id,
            kind,
            values,
            audiences: audience_choices(&chosen),
            errors,
        }
    }

    /// The value of field `name`.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// The most characters field `name` takes, as the server checks it (`maxlength`).
    pub fn max_len(&self, name: &str) -> Option<usize> {
        Some(match (self.kind.as_str(), name) {
            ("display_name" | "link", "name" | "label") => 80,
            ("headline", "text") => 140,
            ("summary", "text") | ("work", "description") => 4000,
            ("location", "place") => 120,
            ("email", "label") => 40,
            ("work", "title" | "organisation") => 120,
            ("skill", "note") => 280,
            ("portfolio", "title") => 160,
            ("email", "address") => 254,
            (_, "url") => 2048,
            _ => return None,
        })
    }

    /// The error for field `name`.
    pub fn err(&self, name: &str) -> String {
        self.errors.get(name)
    }

    /// Words for the kind.
    pub fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }

    /// The reputation figures a reputation item may show: (value, words).
    pub fn figure_choices(&self) -> Vec<(&'static str, &'static str)> {
        guildhall_domain::profile::shown_figures()
            .map(|f| (f, super::reputation::figure_words(f)))
            .collect()
    }

    /// Where the form posts.
    pub fn action(&self) -> String {
        match &self.id {
            Some(id) => format!("/me/items/{id}"),
            None => "/me/items".into(),
        }
    }

    /// A unique prefix for element ids.
    pub fn dom_id(&self) -> String {
        match &self.id {
            Some(id) => format!("item-{id}"),
            None => format!("new-{}", self.kind),
        }
    }

    /// Problems not tied to a field shown on the form.
    pub fn general_errors(&self) -> Vec<String> {
        self.errors.general(&[
            "name",
            "text",
            "place",
            "timezone",
            "min_minor",
            "max_minor",
            "currency",
            "label",
            "url",
            "address",
            "title",
            "organisation",
            "start",
            "end",
            "description",
            "date",
            "audiences",
            "level",
            "years",
            "note",
            "figure",
        ])
    }

    /// The audience error, including per-audience ones.
    pub fn audience_error(&self) -> String {
        self.errors
            .0
            .iter()
            .filter(|(p, _)| p.starts_with("/audiences"))
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Parses a decimal amount in major units into minor units of `currency` (two decimals when
/// the code is not one we know: the currency field reports that on its own).
pub fn parse_amount(raw: &str, currency: &str) -> Result<i64, &'static str> {
    let currency = Currency::parse(currency)
        .or_else(|_| Currency::parse("EUR"))
        .expect("EUR is a currency");
    currency.parse_amount(raw)
}

/// Reads an item from a form. Field errors found while reading (amounts, kinds) come back as
/// `Err` with paths matching the API's.
pub fn parse(form: &Form) -> Result<ItemInput, Errors> {
    let f = |k: &str| form.get(k);
    let mut errors = Vec::new();
    let data = match f("kind").as_str() {
        "display_name" => ItemData::DisplayName { name: f("name") },
        "headline" => ItemData::Headline { text: f("text") },
        "summary" => ItemData::Summary { text: f("text") },
        "location" => ItemData::Location {
            place: f("place"),
            timezone: f("timezone"),
        },
        "rate" => {
            let currency = f("currency");
            let mut amount = |field: &str, path: &str| {
                parse_amount(&f(field), &currency).unwrap_or_else(|m| {
                    errors.push((path.to_string(), m.to_string()));
                    0
                })
            };
            let min_minor = amount("min", "/data/min");
            let max_minor = amount("max", "/data/max");
            ItemData::Rate {
                min_minor,
                max_minor,
                currency,
            }
        }
        "link" => ItemData::Link {
            label: f("label"),
            url: f("url"),
        },
        "skill" => {
            let level = f("level").trim().parse::<u8>().unwrap_or_else(|_| {
                errors.push((
                    "/data/level".to_string(),
                    "choose a level from 1 to 5".to_string(),
                ));
                0
            });
            let years = match form.opt("years") {
                None => None,
                Some(y) => match y.trim().parse::<u8>() {
                    Ok(y) => Some(y),
                    Err(_) => {
                        errors.push((
                            "/data/years".to_string(),
                            "must be a whole number of years".to_string(),
                        ));
                        None
                    }
                },
            };
            ItemData::Skill {
                skill_id: None,
                label: f("label"),
                level,
                years,
                note: f("note"),
                source: Default::default(),
                suggested_by: None,
            }
        }
        "reputation" => ItemData::Reputation {
            figure: f("figure"),
        },
        "credential" => ItemData::Credential {
            credential: f("credential"),
            name: String::new(),
            link: String::new(),
        },
        "email" => ItemData::Email {
            address: f("address"),
            label: f("label"),
        },
        "work" => {
            let work_kind =
                serde_json::from_value::<WorkKind>(serde_json::Value::String(f("work_kind")))
                    .unwrap_or_else(|_| {
                        errors.push(("/data/work_kind".into(), "choose a kind of work".into()));
                        WorkKind::Freelance
                    });
            ItemData::Work {
                title: f("title"),
                organisation: f("organisation"),
                work_kind,
                start: f("start"),
                end: form.opt("end"),
                description: f("description"),
            }
        }
        "portfolio" => {
            let portfolio_kind = serde_json::from_value::<PortfolioKind>(
                serde_json::Value::String(f("portfolio_kind")),
            )
            .unwrap_or_else(|_| {
                errors.push((
                    "/data/portfolio_kind".into(),
                    "choose a kind of work".into(),
                ));
                PortfolioKind::Other
            });
            ItemData::Portfolio {
                title: f("title"),
                url: f("url"),
                portfolio_kind,
                date: f("date"),
            }
        }
        _ => {
            return Err(Errors(vec![(
                "/kind".into(),
                "choose what kind of item this is".into(),
            )]));
        }
    };
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    Ok(ItemInput {
        audiences: form.all("audiences"),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_follow_the_currency_and_default_to_two_decimals() {
        assert_eq!(parse_amount("80.5", "eur"), Ok(8050));
        assert!(parse_amount("80.5", "JPY").is_err());
        assert_eq!(parse_amount("80.5", "not a currency"), Ok(8050));
    }
}
