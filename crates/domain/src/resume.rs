//! JSON Resume (jsonresume.org, schema 1.0.0): a profile as one audience or persona sees it,
//! written as a résumé other sites read; and a résumé read back into profile items. Pure: the
//! caller picks the view (so nothing outside its audiences is exported) and stores the items.
//! What a résumé says that no item holds is kept aside, with where it was and why.

use crate::profile::{ItemData, PortfolioKind, WorkKind};
use crate::view::ProfileView;
use serde_json::{Map, Value, json};

/// Where the exported résumé points back to.
pub struct Origin<'a> {
    /// The member's profile address.
    pub profile_url: &'a str,
    /// The instance's public address, for credentials' links.
    pub site_url: &'a str,
    /// The instance's name, as a credential's issuer.
    pub site_name: &'a str,
}

/// The JSON Resume document of `view`.
pub fn export(view: &ProfileView, origin: &Origin<'_>) -> Value {
    let mut basics = Map::new();
    let mut profiles = Vec::new();
    let (mut work, mut volunteer, mut projects, mut publications) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut skills, mut certificates) = (Vec::new(), Vec::new());
    let mut put_once = |key: &str, value: Value| {
        basics.entry(key.to_string()).or_insert(value);
    };
    for item in &view.items {
        match &item.data {
            ItemData::DisplayName { name } => put_once("name", json!(name)),
            ItemData::Headline { text } => put_once("label", json!(text)),
            ItemData::Summary { text } => put_once("summary", json!(text)),
            ItemData::Email { address, .. } => put_once("email", json!(address)),
            ItemData::Location { place, .. } => put_once("location", json!({"address": place})),
            ItemData::Link { label, url } => profiles.push(json!({"network": label, "url": url})),
            ItemData::Work {
                title,
                organisation,
                work_kind,
                start,
                end,
                description,
            } => {
                let mut entry = json!({"position": title, "startDate": start});
                if let Some(end) = end {
                    entry["endDate"] = json!(end);
                }
                if !description.is_empty() {
                    entry["summary"] = json!(description);
                }
                if *work_kind == WorkKind::Volunteer {
                    entry["organization"] = json!(organisation);
                    volunteer.push(entry);
                } else {
                    entry["name"] = json!(organisation);
                    work.push(entry);
                }
            }
            ItemData::Portfolio {
                title,
                url,
                portfolio_kind,
                date,
            } => match portfolio_kind {
                PortfolioKind::Article | PortfolioKind::Talk => {
                    publications.push(json!({"name": title, "url": url, "releaseDate": date}))
                }
                _ => projects.push(json!({"name": title, "url": url, "startDate": date})),
            },
            ItemData::Skill {
                label, level, note, ..
            } => {
                let mut entry = json!({"name": label, "level": level_words(*level)});
                if !note.is_empty() {
                    entry["keywords"] = json!([note]);
                }
                skills.push(entry);
            }
            ItemData::Credential { name, link, .. } => certificates.push(json!({
                "name": name, "issuer": origin.site_name,
                "url": format!("{}{link}", origin.site_url),
            })),
            // A rate, working hours and reputation figures have no place in a résumé.
            ItemData::Rate { .. } | ItemData::Availability { .. } | ItemData::Reputation { .. } => {
            }
        }
    }
    basics.insert("url".into(), json!(origin.profile_url));
    if !profiles.is_empty() {
        basics.insert("profiles".into(), json!(profiles));
    }
    let mut doc = Map::new();
    doc.insert("basics".into(), Value::Object(basics));
    for (key, list) in [
        ("work", work),
        ("volunteer", volunteer),
        ("projects", projects),
        ("publications", publications),
        ("skills", skills),
        ("certificates", certificates),
    ] {
        if !list.is_empty() {
            doc.insert(key.into(), json!(list));
        }
    }
    doc.insert(
        "meta".into(),
        json!({"canonical": origin.profile_url, "version": "v1.0.0"}),
    );
    Value::Object(doc)
}

/// A self-assessed level in JSON Resume's usual words.
fn level_words(level: u8) -> &'static str {
    match level {
        0 | 1 => "Beginner",
        2 => "Elementary",
        3 => "Intermediate",
        4 => "Advanced",
        _ => "Expert",
    }
}

/// A level from a résumé's words (3 when they say nothing we know).
fn level_of(words: Option<&str>) -> u8 {
    let words = words.unwrap_or_default().to_lowercase();
    match () {
        _ if words.contains("begin") || words.contains("novice") => 1,
        _ if words.contains("element") || words.contains("basic") => 2,
        _ if words.contains("advanced") || words.contains("senior") => 4,
        _ if words.contains("expert") || words.contains("master") => 5,
        _ => 3,
    }
}

/// What reading a résumé found.
#[derive(Debug, Default, PartialEq)]
pub struct Imported {
    /// The items it holds, each with where it came from (`work[0]`).
    pub items: Vec<(String, ItemData)>,
    /// What no item holds: where it was, why, and what it said.
    pub kept_aside: Vec<(String, String, Value)>,
}

impl Imported {
    fn aside(&mut self, path: impl Into<String>, why: &str, value: &Value) {
        self.kept_aside
            .push((path.into(), why.into(), value.clone()));
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The work entries' text: their summary, then each highlight as a list item.
fn description(v: &Value) -> String {
    let mut out = text(v, "summary").unwrap_or_default();
    for h in v
        .get("highlights")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("- ");
        out.push_str(h.trim());
    }
    out
}

/// Reads a JSON Resume document. Anything not an object is refused; everything else is read
/// as far as it goes and the rest kept aside.
pub fn import(doc: &Value) -> Result<Imported, &'static str> {
    let doc = doc
        .as_object()
        .ok_or("a JSON Resume document is a JSON object")?;
    let mut out = Imported::default();
    for (key, value) in in_order(doc, &TOP_ORDER) {
        match key.as_str() {
            "basics" => basics(&mut out, value),
            "work" | "volunteer" => each(&mut out, key, value, |out, path, v| {
                let organisation = text(v, "name").or_else(|| text(v, "organization"));
                match (text(v, "position"), organisation, text(v, "startDate")) {
                    (Some(title), Some(organisation), Some(start)) => {
                        out.items.push((
                            path,
                            ItemData::Work {
                                title,
                                organisation,
                                work_kind: if key == "volunteer" {
                                    WorkKind::Volunteer
                                } else {
                                    WorkKind::Employment
                                },
                                start,
                                end: text(v, "endDate"),
                                description: description(v),
                            },
                        ));
                        for extra in ["url", "location"] {
                            if let Some(x) = v.get(extra) {
                                out.aside(
                                    format!("{key}.{extra}"),
                                    "a work entry has no place for it",
                                    x,
                                );
                            }
                        }
                    }
                    _ => out.aside(
                        path,
                        "a work entry needs a position, an organisation and a start date",
                        v,
                    ),
                }
            }),
            "projects" | "publications" => each(&mut out, key, value, |out, path, v| {
                let date = text(v, "releaseDate")
                    .or_else(|| text(v, "startDate"))
                    .or_else(|| text(v, "endDate"));
                match (text(v, "name"), text(v, "url"), date) {
                    (Some(title), Some(url), Some(date)) => out.items.push((
                        path,
                        ItemData::Portfolio {
                            title,
                            url,
                            portfolio_kind: if key == "publications" {
                                PortfolioKind::Article
                            } else {
                                PortfolioKind::Other
                            },
                            date,
                        },
                    )),
                    _ => out.aside(
                        path,
                        "a portfolio piece needs a name, an address and a date",
                        v,
                    ),
                }
            }),
            "skills" => each(&mut out, key, value, |out, path, v| match text(v, "name") {
                Some(label) => {
                    let keywords: Vec<&str> = v
                        .get("keywords")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    out.items.push((
                        path,
                        ItemData::Skill {
                            skill_id: None,
                            label,
                            level: level_of(v.get("level").and_then(Value::as_str)),
                            years: None,
                            note: keywords.join(", ").chars().take(280).collect(),
                            source: Default::default(),
                            suggested_by: None,
                        },
                    ));
                }
                None => out.aside(path, "a skill needs a name", v),
            }),
            _ => out.aside(key.clone(), "Guildhall has no profile item for this", value),
        }
    }
    Ok(out)
}

/// The order sections become items in: as a profile reads, not alphabetically.
const TOP_ORDER: [&str; 6] = [
    "basics",
    "work",
    "volunteer",
    "projects",
    "publications",
    "skills",
];
const BASICS_ORDER: [&str; 7] = [
    "name", "label", "summary", "email", "url", "profiles", "location",
];

/// The fields of `map`, those named in `order` first and in that order, then the rest.
fn in_order<'a>(map: &'a Map<String, Value>, order: &[&str]) -> Vec<(&'a String, &'a Value)> {
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    let mut fields: Vec<(&String, &Value)> = map.iter().collect();
    fields.sort_by_key(|(k, _)| rank(k));
    fields
}

/// Each entry of a list at `key`; anything else at `key` is kept aside.
fn each(
    out: &mut Imported,
    key: &str,
    value: &Value,
    mut read: impl FnMut(&mut Imported, String, &Value),
) {
    match value.as_array() {
        Some(list) => {
            for (i, v) in list.iter().enumerate() {
                read(out, format!("{key}[{i}]"), v);
            }
        }
        None => out.aside(key, "expected a list", value),
    }
}

fn basics(out: &mut Imported, value: &Value) {
    let Some(fields) = value.as_object() else {
        out.aside("basics", "expected an object", value);
        return;
    };
    for (key, v) in in_order(fields, &BASICS_ORDER) {
        let path = format!("basics.{key}");
        let words = v
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        match (key.as_str(), words) {
            ("name", Some(name)) => out.items.push((path, ItemData::DisplayName { name })),
            ("label", Some(text)) => out.items.push((path, ItemData::Headline { text })),
            ("summary", Some(text)) => out.items.push((path, ItemData::Summary { text })),
            ("email", Some(address)) => out.items.push((
                path,
                ItemData::Email {
                    address,
                    label: "work".into(),
                },
            )),
            ("url", Some(url)) => out.items.push((
                path,
                ItemData::Link {
                    label: "Website".into(),
                    url,
                },
            )),
            ("profiles", _) => each(out, "basics.profiles", v, |out, path, p| {
                match (text(p, "network"), text(p, "url")) {
                    (Some(label), Some(url)) => {
                        out.items.push((path, ItemData::Link { label, url }))
                    }
                    _ => out.aside(path, "a profile link needs a network and an address", p),
                }
            }),
            ("location", _) => out.aside(
                path,
                "a location needs a time zone, which a résumé does not give: add it yourself",
                v,
            ),
            _ => out.aside(path, "Guildhall has no profile item for this", v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audience::{Audience, AudienceSet};
    use crate::profile::ProfileItem;

    fn item(position: i32, data: ItemData) -> ProfileItem {
        ProfileItem {
            id: uuid::Uuid::now_v7().to_string().parse().unwrap(),
            owner: uuid::Uuid::now_v7().to_string().parse().unwrap(),
            position,
            audiences: AudienceSet::of([Audience::Public]),
            data,
        }
    }

    #[test]
    fn a_profile_round_trips_through_a_resume() {
        let items = vec![
            item(
                0,
                ItemData::DisplayName {
                    name: "Ana Lima".into(),
                },
            ),
            item(
                1,
                ItemData::Headline {
                    text: "Data engineer".into(),
                },
            ),
            item(
                2,
                ItemData::Work {
                    title: "Lead engineer".into(),
                    organisation: "Acme".into(),
                    work_kind: WorkKind::Employment,
                    start: "2020-01".into(),
                    end: None,
                    description: "Pipelines".into(),
                },
            ),
            item(
                3,
                ItemData::Skill {
                    skill_id: None,
                    label: "SQL".into(),
                    level: 4,
                    years: None,
                    note: String::new(),
                    source: Default::default(),
                    suggested_by: None,
                },
            ),
            item(
                4,
                ItemData::Rate {
                    min_minor: 1,
                    max_minor: 2,
                    currency: "EUR".into(),
                },
            ),
        ];
        let view = ProfileView {
            handle: "ana".into(),
            persona: None,
            items,
        };
        let origin = Origin {
            profile_url: "https://guild.example.org/u/ana",
            site_url: "https://guild.example.org",
            site_name: "Example Guild",
        };
        let doc = export(&view, &origin);
        assert_eq!(doc["basics"]["name"], "Ana Lima");
        assert_eq!(doc["work"][0]["name"], "Acme");
        assert_eq!(doc["skills"][0]["level"], "Advanced");
        assert!(doc.get("rate").is_none());
        let back = import(&doc).unwrap();
        let kinds: Vec<&str> = back.items.iter().map(|(_, d)| d.kind()).collect();
        assert_eq!(kinds, ["display_name", "headline", "link", "work", "skill"]);
        assert_eq!(back.kept_aside.len(), 1, "{:?}", back.kept_aside);
        assert_eq!(back.kept_aside[0].0, "meta");
    }

    #[test]
    fn what_no_item_holds_is_kept_aside_with_its_place() {
        let doc = json!({
            "basics": {"name": "Ana", "phone": "+351", "location": {"city": "Lisbon"},
                       "profiles": [{"network": "GitHub"}]},
            "work": [{"name": "Acme"}, {"name": "Acme", "position": "Engineer", "startDate": "2021"}],
            "education": [{"institution": "Uni"}],
            "skills": "SQL",
            "x-custom": 1
        });
        let got = import(&doc).unwrap();
        assert_eq!(got.items.len(), 2);
        let places: Vec<&str> = got.kept_aside.iter().map(|(p, _, _)| p.as_str()).collect();
        for place in [
            "basics.phone",
            "basics.location",
            "basics.profiles[0]",
            "work[0]",
            "education",
            "skills",
            "x-custom",
        ] {
            assert!(places.contains(&place), "{place} in {places:?}");
        }
        assert!(import(&json!([1])).is_err());
    }
}
