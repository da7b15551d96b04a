//! The availability form as people type it: hours per day as "09:00–12:00, 13:00–17:00",
//! days off one per line ("2026-12-24 to 2027-01-01 Holidays"), and back again. Problems
//! found by the domain's checks are put beside the day or line they came from.

use crate::forms::Form;
use crate::pages::render::Errors;
use crate::pages::view_model::{AudienceChoice, audience_choices};
use guildhall_app::profiles::ItemInput;
use guildhall_domain::audience::{Audience, AudienceSet};
use guildhall_domain::availability::{Day, DaysOff, WorkingHours};
use guildhall_domain::profile::{ItemData, ProfileItem};
use std::collections::BTreeMap;

/// The form, filled or empty.
pub struct AvailabilityForm {
    /// Field values as typed.
    pub values: BTreeMap<String, String>,
    /// Audience checkboxes.
    pub audiences: Vec<AudienceChoice>,
    /// Problems beside their fields.
    pub errors: Errors,
}

/// Where each block and each span of days off came from, to put the domain's errors there.
pub struct Origins {
    blocks: Vec<Day>,
    lines: Vec<usize>,
}

fn field_of(day: Day) -> String {
    format!("hours_{}", day.as_str())
}

impl AvailabilityForm {
    /// The form for a member without availability: weekdays 09:00–17:00, 40 hours, shown to
    /// connections.
    pub fn blank() -> Self {
        let mut values = BTreeMap::new();
        for day in &Day::ALL[..5] {
            values.insert(field_of(*day), "09:00–17:00".to_string());
        }
        values.insert("hours_per_week".into(), "40".into());
        AvailabilityForm {
            values,
            audiences: audience_choices(&AudienceSet::of([Audience::Connections])),
            errors: Errors::default(),
        }
    }

    /// The form holding the member's availability.
    pub fn of_item(item: &ProfileItem) -> Self {
        let ItemData::Availability {
            timezone,
            weekly,
            days_off,
            hours_per_week,
        } = &item.data
        else {
            return Self::blank();
        };
        let mut values = BTreeMap::new();
        values.insert("timezone".into(), timezone.clone());
        values.insert("hours_per_week".into(), hours_per_week.to_string());
        for day in Day::ALL {
            let mut blocks: Vec<&WorkingHours> = weekly.iter().filter(|w| w.day == day).collect();
            blocks.sort_by(|a, b| a.start.cmp(&b.start));
            let text = blocks
                .iter()
                .map(|w| format!("{}–{}", w.start, w.end))
                .collect::<Vec<_>>()
                .join(", ");
            values.insert(field_of(day), text);
        }
        let lines: Vec<String> = days_off
            .iter()
            .map(|d| {
                let span = if d.from == d.to {
                    d.from.clone()
                } else {
                    format!("{} to {}", d.from, d.to)
                };
                format!("{span} {}", d.note).trim().to_string()
            })
            .collect();
        values.insert("days_off".into(), lines.join("\n"));
        AvailabilityForm {
            values,
            audiences: audience_choices(&item.audiences),
            errors: Errors::default(),
        }
    }

    /// The form as posted, with `errors` beside its fields.
    pub fn posted(form: &Form, errors: Errors) -> Self {
        let mut values = BTreeMap::new();
        for name in ["timezone", "hours_per_week", "days_off"] {
            values.insert(name.to_string(), form.get(name));
        }
        for day in Day::ALL {
            values.insert(field_of(day), form.get(&field_of(day)));
        }
        let chosen = AudienceSet::parse_list(&form.all("audiences")).unwrap_or_default();
        AvailabilityForm {
            values,
            audiences: audience_choices(&chosen),
            errors,
        }
    }

    /// A field's value as typed.
    pub fn v(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// The problem with a field, as a sentence, or empty.
    pub fn err(&self, name: &str) -> String {
        self.errors.about(name, "This")
    }

    /// The problem with the audiences, or empty.
    pub fn audience_error(&self) -> String {
        self.errors.get("audiences")
    }

    /// Each day with its field's name, label and value.
    pub fn days(&self) -> Vec<(String, String, String)> {
        Day::ALL
            .iter()
            .map(|d| {
                let mut label = d.as_str().to_string();
                label[..1].make_ascii_uppercase();
                (field_of(*d), label, self.v(&field_of(*d)))
            })
            .collect()
    }
}

/// `9`, `9:30` or `09:30` as `09:30`; `24:00` stays.
fn time(text: &str) -> Option<String> {
    let text = text.trim();
    let (h, m) = text.split_once(':').unwrap_or((text, "00"));
    let (h, m): (u8, u8) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (h < 24 && m < 60 || (h, m) == (24, 0)).then(|| format!("{h:02}:{m:02}"))
}

/// One day's blocks, "09:00–12:00, 13:00–17:00"; empty for a day off.
fn blocks(day: Day, text: &str) -> Result<Vec<WorkingHours>, String> {
    let usage = "write hours such as 09:00–17:00, with a comma between blocks (09:00–12:00, 13:00–17:00), or leave it empty";
    text.split(',')
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|block| {
            let normal = block.replace(['–', '—'], "-").replace(" to ", "-");
            let (start, end) = normal.split_once('-').ok_or(usage)?;
            Ok(WorkingHours {
                day,
                start: time(start).ok_or(usage)?,
                end: time(end).ok_or(usage)?,
            })
        })
        .collect::<Result<_, &str>>()
        .map_err(str::to_string)
}

/// One line of days off: a date, or two ("to" or a dash between), then an optional note.
fn days_off_line(line: &str) -> Option<DaysOff> {
    let is_date = |s: &str| s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    let mut words = line.split_whitespace().peekable();
    let from = words.next().filter(|w| is_date(w))?.to_string();
    let to = match words.peek().copied() {
        Some("to" | "-" | "–" | "—") => {
            words.next();
            words.next().filter(|w| is_date(w))?.to_string()
        }
        Some(w) if is_date(w) => {
            words.next();
            w.to_string()
        }
        _ => from.clone(),
    };
    Some(DaysOff {
        from,
        to,
        note: words.collect::<Vec<_>>().join(" "),
    })
}

/// Reads the form into the item it sets, or says what is wrong beside each field.
pub fn read(form: &Form) -> Result<(ItemInput, Origins), Errors> {
    let mut errors = Vec::new();
    let mut weekly = Vec::new();
    let mut origins = Origins {
        blocks: Vec::new(),
        lines: Vec::new(),
    };
    for day in Day::ALL {
        match blocks(day, &form.get(&field_of(day))) {
            Ok(b) => {
                origins.blocks.extend(b.iter().map(|_| day));
                weekly.extend(b);
            }
            Err(message) => errors.push((field_of(day), message)),
        }
    }
    let mut days_off = Vec::new();
    for (n, line) in form.get("days_off").lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match days_off_line(line) {
            Some(d) => {
                origins.lines.push(n + 1);
                days_off.push(d);
            }
            None => errors.push((
                "days_off".into(),
                format!(
                    "line {}: write a date such as 2026-12-24, or two: 2026-12-24 to 2027-01-01, then a note if you like",
                    n + 1
                ),
            )),
        }
    }
    let hours_per_week = match form.get("hours_per_week").trim().parse::<u8>() {
        Ok(h) => h,
        Err(_) => {
            errors.push((
                "hours_per_week".into(),
                "must be a whole number of hours from 0 to 168".into(),
            ));
            0
        }
    };
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    let input = ItemInput {
        audiences: form.all("audiences"),
        data: ItemData::Availability {
            timezone: form.get("timezone"),
            weekly,
            days_off,
            hours_per_week,
        },
    };
    Ok((input, origins))
}

impl Origins {
    /// The use case's errors, moved beside the day or line they came from.
    pub fn place(&self, errors: Errors) -> Errors {
        let placed = errors
            .0
            .into_iter()
            .map(|(path, message)| {
                let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
                match parts.as_slice() {
                    ["data", "weekly", i, ..] => match i.parse::<usize>() {
                        Ok(i) => (
                            self.blocks.get(i).map_or("weekly".into(), |d| field_of(*d)),
                            format!("the hours {message}"),
                        ),
                        Err(_) => (path, message),
                    },
                    ["data", "weekly"] => {
                        let day = Day::ALL.into_iter().find(|d| message.contains(d.as_str()));
                        (
                            day.map_or("weekly".into(), field_of),
                            "hours overlap: one block must end before the next starts".into(),
                        )
                    }
                    ["data", "days_off", i, field] => {
                        let line = i
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| self.lines.get(i))
                            .copied()
                            .unwrap_or(0);
                        let what = if *field == "to" {
                            "the last day"
                        } else {
                            "the note"
                        };
                        let what = if *field == "from" {
                            "the first day"
                        } else {
                            what
                        };
                        ("days_off".into(), format!("line {line}: {what} {message}"))
                    }
                    _ => (path, message),
                }
            })
            .collect();
        Errors(placed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_read_as_people_type_them() {
        let b = blocks(Day::Monday, "9-12:30, 13:00 – 17:00").unwrap();
        assert_eq!(
            b.iter()
                .map(|w| (w.start.as_str(), w.end.as_str()))
                .collect::<Vec<_>>(),
            [("09:00", "12:30"), ("13:00", "17:00")]
        );
        assert!(blocks(Day::Monday, "").unwrap().is_empty());
        assert!(blocks(Day::Monday, "mornings").is_err());
        assert!(blocks(Day::Monday, "9:75-10").is_err());
    }

    #[test]
    fn days_off_are_a_date_or_two_and_a_note() {
        let d = days_off_line("2026-12-24 to 2027-01-01 Winter holidays").unwrap();
        assert_eq!(
            (d.from.as_str(), d.to.as_str(), d.note.as_str()),
            ("2026-12-24", "2027-01-01", "Winter holidays")
        );
        let one = days_off_line("2026-12-08 dentist").unwrap();
        assert_eq!(
            (one.to.as_str(), one.note.as_str()),
            ("2026-12-08", "dentist")
        );
        assert!(days_off_line("next week").is_none());
    }
}
