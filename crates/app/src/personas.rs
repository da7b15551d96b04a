//! Personas: named selections of the caller's items with their own headline, shared by an
//! unlisted link.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::profiles::load_items;
use crate::secrets::link_token;
use guildhall_domain::audience::Audience;
use guildhall_domain::events::{Event, PersonaCreated, PersonaRemoved, PersonaUpdated};
use guildhall_domain::persona::Persona;
use guildhall_domain::validation;
use guildhall_domain::view::ProfileView;
use guildhall_domain::{FieldErrors, PersonaId};
use guildhall_store::repo::{personas, users};
use guildhall_store::{DbConnection, StoreError};

/// Most personas one member may hold.
pub const MAX_PERSONAS: usize = 50;

/// A persona as written by its owner.
#[derive(Clone, Debug)]
pub struct PersonaInput {
    /// Name, e.g. "Data engineer".
    pub name: String,
    /// Headline shown through the persona.
    pub headline: String,
    /// Summary shown through the persona.
    pub summary: String,
    /// Selected item ids, in display order.
    pub item_ids: Vec<String>,
    /// Audience the link stands for (`public` by default).
    pub link_audience: String,
}

pub(crate) fn load(c: &mut DbConnection, row: personas::PersonaRow) -> Result<Persona, AppError> {
    let corrupt =
        |what: &str| AppError::Store(StoreError::Corrupt(format!("persona {}: {what}", row.id)));
    let item_ids = personas::items_of(c, &row.id)?
        .into_iter()
        .map(|id| id.parse().map_err(|_| corrupt("item id")))
        .collect::<Result<_, _>>()?;
    Ok(Persona {
        id: row.id.parse().map_err(|_| corrupt("id"))?,
        owner: row.owner_id,
        name: row.name,
        headline: row.headline,
        summary: row.summary,
        item_ids,
        link_audience: row.link_audience.parse().map_err(|_| corrupt("audience"))?,
        link_token: row.link_token,
    })
}

impl crate::facades::Profiles<'_> {
    /// Checks a persona input against the owner's items; returns the cleaned fields.
    fn validate_persona(
        &self,
        c: &mut DbConnection,
        account: &Account,
        input: &PersonaInput,
    ) -> Result<(PersonaInput, Audience), AppError> {
        let mut e = FieldErrors::new();
        let name = validation::text(&mut e, "/name", &input.name, 1, 60, false);
        let headline = validation::text(&mut e, "/headline", &input.headline, 0, 140, false);
        let summary = validation::text(&mut e, "/summary", &input.summary, 0, 4000, true);
        let audience = match input.link_audience.parse::<Audience>() {
            Ok(Audience::Private) => {
                e.add("/link_audience", "a link for yourself alone would show nothing to anyone: choose another audience");
                Audience::Private
            }
            Ok(a) => a,
            Err(m) => {
                e.add("/link_audience", m);
                Audience::Public
            }
        };
        let own: Vec<String> = load_items(c, account.id)?
            .iter()
            .map(|i| i.id.to_string())
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for (i, id) in input.item_ids.iter().enumerate() {
            if !own.contains(id) {
                e.add(format!("/item_ids/{i}"), "is not one of your profile items");
            } else if !seen.insert(id) {
                e.add(format!("/item_ids/{i}"), "is listed twice");
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok((
            PersonaInput {
                name,
                headline,
                summary,
                item_ids: input.item_ids.clone(),
                link_audience: audience.to_string(),
            },
            audience,
        ))
    }

    /// Creates a persona with a fresh unlisted link.
    pub fn create_persona(
        &self,
        account: &Account,
        input: PersonaInput,
    ) -> Result<Persona, AppError> {
        let now = self.now();
        self.write(|c| {
            let (clean, _) = self.validate_persona(c, account, &input)?;
            if personas::of_owner(c, account.id)?.len() >= MAX_PERSONAS {
                return Err(AppError::conflict(
                    None,
                    format!("a member holds at most {MAX_PERSONAS} personas"),
                ));
            }
            let row = personas::PersonaRow {
                id: PersonaId::new().to_string(),
                owner_id: account.id,
                name: clean.name,
                headline: clean.headline,
                summary: clean.summary,
                link_token: link_token(),
                link_audience: clean.link_audience,
                created_at: now,
                updated_at: now,
            };
            personas::insert(c, &row)?;
            personas::set_items(c, &row.id, &clean.item_ids)?;
            record(
                c,
                now,
                Event::PersonaCreated(PersonaCreated {
                    owner: account.id.to_string(),
                    persona: row.id.clone(),
                    name: row.name.clone(),
                    link_audience: row.link_audience.clone(),
                }),
            )?;
            load(c, row)
        })
    }

    /// Rewrites a persona; `new_link` replaces its link so the old one stops working.
    pub fn update_persona(
        &self,
        account: &Account,
        id: &str,
        input: PersonaInput,
        new_link: bool,
    ) -> Result<Persona, AppError> {
        let now = self.now();
        self.write(|c| {
            let mut row = personas::of_owner_by_id(c, account.id, id)?.ok_or(AppError::NotFound)?;
            let (clean, _) = self.validate_persona(c, account, &input)?;
            row.name = clean.name;
            row.headline = clean.headline;
            row.summary = clean.summary;
            row.link_audience = clean.link_audience;
            if new_link {
                row.link_token = link_token();
            }
            row.updated_at = now;
            personas::update(c, &row)?;
            personas::set_items(c, &row.id, &clean.item_ids)?;
            record(
                c,
                now,
                Event::PersonaUpdated(PersonaUpdated {
                    owner: account.id.to_string(),
                    persona: row.id.clone(),
                    link_audience: row.link_audience.clone(),
                    new_link,
                }),
            )?;
            load(c, row)
        })
    }

    /// Removes a persona; its link stops working.
    pub fn delete_persona(&self, account: &Account, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            if !personas::delete(c, account.id, id)? {
                return Err(AppError::NotFound);
            }
            record(
                c,
                now,
                Event::PersonaRemoved(PersonaRemoved {
                    owner: account.id.to_string(),
                    persona: id.to_string(),
                }),
            )?;
            Ok(())
        })
    }

    /// The caller's personas.
    pub fn my_personas(&self, account: &Account) -> Result<Vec<Persona>, AppError> {
        self.read(|c| {
            personas::of_owner(c, account.id)?
                .into_iter()
                .map(|r| load(c, r))
                .collect()
        })
    }

    /// One of the caller's personas.
    pub fn my_persona(&self, account: &Account, id: &str) -> Result<Persona, AppError> {
        self.read(|c| {
            let row = personas::of_owner_by_id(c, account.id, id)?.ok_or(AppError::NotFound)?;
            load(c, row)
        })
    }

    /// What a persona's unlisted link shows, whoever opens it.
    pub fn view_persona_link(&self, token: &str) -> Result<ProfileView, AppError> {
        if token.len() > 64 {
            return Err(AppError::NotFound);
        }
        self.read(|c| {
            let row = personas::by_link(c, token)?.ok_or(AppError::NotFound)?;
            let owner = users::by_id(c, row.owner_id)?.ok_or(AppError::NotFound)?;
            let persona = load(c, row)?;
            let items = load_items(c, owner.id)?;
            Ok(ProfileView::through_persona(
                &owner.handle,
                &persona,
                &items,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::ItemInput;
    use crate::testing::app;
    use guildhall_domain::profile::ItemData;
    use guildhall_store::testdb::TestDb;

    #[test]
    fn link_shows_selected_items_its_audience_allows() {
        for db in TestDb::all() {
            let app = app(&db);
            let ada = app
                .accounts()
                .sign_up(crate::accounts::SignUp {
                    handle: "ada".into(),
                    email: "ada@example.org".into(),
                    password: "correct horse battery".into(),
                    display_name: None,
                })
                .unwrap();
            let add = |aud: &str, text: &str| {
                app.profiles()
                    .add_item(
                        &ada,
                        ItemInput {
                            audiences: vec![aud.into()],
                            data: ItemData::Headline { text: text.into() },
                        },
                    )
                    .unwrap()
            };
            let public = add("public", "public one");
            let conn = add("connections", "for connections");
            let _other = add("public", "not selected");
            let persona = app
                .profiles()
                .create_persona(
                    &ada,
                    PersonaInput {
                        name: "Coach".into(),
                        headline: "Volunteer coach".into(),
                        summary: String::new(),
                        item_ids: vec![conn.id.clone(), public.id.clone()],
                        link_audience: "public".into(),
                    },
                )
                .unwrap();
            let view = app
                .profiles()
                .view_persona_link(&persona.link_token)
                .unwrap();
            let ids: Vec<String> = view.items.iter().map(|i| i.id.to_string()).collect();
            assert_eq!(ids, vec![public.id.clone()]);
            assert_eq!(view.headline(), Some("Volunteer coach"));
            let updated = app
                .profiles()
                .update_persona(
                    &ada,
                    &persona.id.to_string(),
                    PersonaInput {
                        name: "Coach".into(),
                        headline: String::new(),
                        summary: String::new(),
                        item_ids: vec![conn.id.clone()],
                        link_audience: "connections".into(),
                    },
                    true,
                )
                .unwrap();
            assert!(
                matches!(
                    app.profiles().view_persona_link(&persona.link_token),
                    Err(AppError::NotFound)
                ),
                "old link revoked"
            );
            let view = app
                .profiles()
                .view_persona_link(&updated.link_token)
                .unwrap();
            assert_eq!(view.items.len(), 1);
            let err = app
                .profiles()
                .create_persona(
                    &ada,
                    PersonaInput {
                        name: "".into(),
                        headline: String::new(),
                        summary: String::new(),
                        item_ids: vec!["x".into()],
                        link_audience: "private".into(),
                    },
                )
                .unwrap_err();
            let AppError::Validation(e) = err else {
                panic!()
            };
            assert_eq!(e.0.len(), 3);
        }
    }
}
