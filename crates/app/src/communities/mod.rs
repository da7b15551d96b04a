//! Communities: creation, settings, joining and leaving, roles, and the persona each member shows.
//! Every use case loads a `Scope` (the community and the caller's standing in it) and asks
//! `guildhall_domain::community::permits` through `Scope::require` before it changes anything.

pub mod admission;
pub mod assessments;
pub mod directory;
pub mod discussions;
pub mod gatherings;
pub mod learning;
pub(crate) mod membership;
pub mod mentoring;
pub mod ownership;
pub mod perks;
pub(crate) mod points;
pub(crate) mod scope;
pub mod sessions;

pub(crate) use scope::Scope;

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::profiles::load_items;
use crate::skills::resolve_or_tag;
use guildhall_domain::UserId;
use guildhall_domain::community::{Action, Admission, Role, Standing, Visibility, permits};
use guildhall_domain::events::{CommunityCreated, CommunityUpdated, Event};
use guildhall_domain::view::ProfileView;
use guildhall_domain::visibility::Viewer;
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::communities::{self as repo, CommunityRow};
use guildhall_store::repo::{personas, skills as skill_repo, users};
use serde::{Deserialize, Serialize};

/// One question of a community's application form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// What the community asks.
    pub prompt: String,
    /// Whether an answer is needed.
    #[serde(default)]
    pub required: bool,
}

/// A skill as communities show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SkillRef {
    /// Skill id.
    pub id: String,
    /// Its label.
    pub label: String,
}

/// What creating or editing a community asks for.
#[derive(Clone, Debug, Default)]
pub struct CommunityInput {
    /// The name shown on its pages, 2 to 80 characters; need not be unique.
    pub name: String,
    /// URL name: 3–40 of a-z, 0-9 and `-`.
    pub slug: String,
    /// What it is for.
    pub description: String,
    /// Who may see it.
    pub visibility: Option<Visibility>,
    /// How people join.
    pub admission: Option<Admission>,
    /// Most members, if capped.
    pub member_cap: Option<i32>,
    /// The application form.
    pub questions: Vec<Question>,
    /// Skills the community is about, in members' words (resolved to skills, or tagged).
    pub focus_skills: Vec<String>,
}

/// A community as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Community {
    /// Id (the `community:<id>` audience).
    pub id: String,
    /// URL name.
    pub slug: String,
    /// The name shown on its pages, as its owners set it.
    pub name: String,
    /// What the community is for, in Markdown; may be empty.
    pub description: String,
    /// Who may see it.
    pub visibility: Visibility,
    /// How people join.
    pub admission: Admission,
    /// Most members it admits; null when there is no limit.
    pub member_cap: Option<i32>,
    /// How many members it has.
    pub members: i64,
    /// The caller's role, if a member.
    pub your_role: Option<Role>,
    /// The application form.
    pub questions: Vec<Question>,
    /// Skills the community is about, as its owners chose them, with their labels.
    pub focus_skills: Vec<SkillRef>,
    /// The secret of the calendar feed address; members only.
    pub feed_token: Option<String>,
    /// The persona the caller shows this community, if a member who chose one.
    pub your_persona_id: Option<String>,
    /// The operators trust its curation: its owners and curators are where trust starts.
    pub vetted: bool,
}

impl Community {
    /// Whether the caller, as one of its members, may do `action` here: the one permission
    /// rule, for pages choosing which tools to show. Outsiders have no tools; whether they may
    /// join or apply is the admission's to say.
    pub fn may(&self, action: Action) -> bool {
        self.your_role
            .is_some_and(|role| permits(Standing::Member(role), self.admission, action))
    }
}

/// Resolves skills named in members' words to skill ids (tagging unknown ones), without repeats.
/// Only profile claims keep a tag private, so tags made here are shared.
pub(crate) fn resolve_skills(
    c: &mut DbConnection,
    words: &[String],
    actor: UserId,
    now: i64,
) -> Result<Vec<String>, AppError> {
    let mut ids: Vec<String> = Vec::new();
    // Words that name nothing once normalised (blanks, stray symbols) are left out.
    let naming = words
        .iter()
        .filter(|w| !guildhall_domain::skills::normalize(w).is_empty());
    for w in naming {
        let (id, _) = resolve_or_tag(c, w, actor, now, true)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Checks a list of skills named in words: at most `max`, each at most 100 characters.
pub(crate) fn check_skill_words(e: &mut FieldErrors, path: &str, words: &[String], max: usize) {
    if words.len() > max {
        e.add(path, format!("at most {max} skills"));
    }
    for (i, w) in words.iter().enumerate() {
        validation::text(e, &format!("{path}/{i}"), w, 0, 100, false);
    }
}

/// Skills stored as a JSON array of ids, with their labels.
pub(crate) fn skill_refs(c: &mut DbConnection, json_ids: &str) -> Result<Vec<SkillRef>, AppError> {
    let ids: Vec<String> = serde_json::from_str(json_ids).unwrap_or_default();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let label = skill_repo::by_id(c, &id)?
            .map(|s| s.preferred_label)
            .unwrap_or_else(|| id.clone());
        out.push(SkillRef { id, label });
    }
    Ok(out)
}

/// A JSON array of strings, as stored.
pub(crate) fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Whether `persona_id` is one of `owner_id`'s personas.
pub(crate) fn owns_persona(
    c: &mut DbConnection,
    owner_id: UserId,
    persona_id: &str,
) -> Result<bool, AppError> {
    Ok(persona_id.len() <= 64 && personas::of_owner_by_id(c, owner_id, persona_id)?.is_some())
}

/// The user a handle names, or not found.
pub(crate) fn user_id_of(c: &mut DbConnection, handle: &str) -> Result<UserId, AppError> {
    if handle.trim().len() > 31 {
        return Err(AppError::NotFound);
    }
    Ok(users::by_handle(c, handle)?.ok_or(AppError::NotFound)?.id)
}

/// How a member (or applicant) appears to a community: through the persona they chose for it,
/// or their profile as a fellow member of the community sees it.
pub(crate) fn as_community_sees(
    c: &mut DbConnection,
    community_id: &str,
    user_id: UserId,
    handle: &str,
    persona_id: Option<&str>,
) -> Result<ProfileView, AppError> {
    let mut viewer = Viewer::member();
    if let Ok(id) = community_id.parse() {
        viewer.communities.insert(id);
    }
    let items = load_items(c, user_id)?;
    let persona = match persona_id {
        Some(id) => personas::of_owner_by_id(c, user_id, id)?,
        None => None,
    };
    Ok(match persona {
        Some(row) => {
            let persona = crate::personas::load(c, row)?;
            ProfileView::persona_as_seen_by(handle, &persona, &items, &viewer)
        }
        None => ProfileView::build(handle, &items, &viewer),
    })
}

pub(crate) fn view(
    c: &mut DbConnection,
    scope: Scope,
    who: Option<&Account>,
) -> Result<Community, AppError> {
    let (members, _) = repo::counts(c, &scope.row.id)?;
    let your_role = scope.role();
    let your_persona_id = match (who, your_role) {
        (Some(who), Some(_)) => repo::members_with_personas(c, &scope.row.id)?
            .into_iter()
            .find(|(u, _, _)| *u == who.id)
            .and_then(|(_, _, p)| p),
        _ => None,
    };
    let row = scope.row;
    Ok(Community {
        visibility: row.visibility,
        admission: row.admission,
        your_role,
        questions: serde_json::from_str(&row.questions).unwrap_or_default(),
        focus_skills: skill_refs(c, &row.focus_skills)?,
        feed_token: your_role.map(|_| row.feed_token.clone()),
        your_persona_id,
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        member_cap: row.member_cap,
        members,
        vetted: row.vetted,
    })
}

struct Checked {
    name: String,
    slug: String,
    description: String,
    questions: Vec<Question>,
}

fn check(input: &CommunityInput) -> Result<Checked, AppError> {
    let mut e = FieldErrors::new();
    let name = validation::text(&mut e, "/name", &input.name, 2, 80, false);
    let description = validation::text(&mut e, "/description", &input.description, 0, 4000, true);
    let slug = input.slug.trim().to_ascii_lowercase();
    if !(3..=40).contains(&slug.len())
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        e.add(
            "/slug",
            "must be 3 to 40 of a-z, 0-9 and '-', not starting or ending with '-'",
        );
    }
    if input
        .member_cap
        .is_some_and(|cap| !(1..=1_000_000).contains(&cap))
    {
        e.add("/member_cap", "must be between 1 and 1000000");
    }
    if input.questions.len() > 20 {
        e.add("/questions", "at most 20 questions");
    }
    let questions = input
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| Question {
            prompt: validation::text(
                &mut e,
                &format!("/questions/{i}/prompt"),
                &q.prompt,
                3,
                500,
                false,
            ),
            required: q.required,
        })
        .collect();
    check_skill_words(&mut e, "/focus_skills", &input.focus_skills, 20);
    e.into_result(Checked {
        name,
        slug,
        description,
        questions,
    })
    .map_err(AppError::Validation)
}

impl crate::facades::Communities<'_> {
    /// Creates a community; the creator becomes its owner.
    pub fn create_community(
        &self,
        creator: &Account,
        input: CommunityInput,
    ) -> Result<Community, AppError> {
        let checked = check(&input)?;
        let now = self.now();
        self.write(|c| {
            if repo::by_slug(c, &checked.slug)?.is_some() {
                return Err(AppError::conflict(Some("/slug"), "this address is taken"));
            }
            let focus = resolve_skills(c, &input.focus_skills, creator.id, now)?;
            let row = CommunityRow {
                id: uuid::Uuid::now_v7().to_string(),
                slug: checked.slug.clone(),
                name: checked.name.clone(),
                description: checked.description.clone(),
                visibility: input.visibility.unwrap_or(Visibility::Public),
                admission: input.admission.unwrap_or(Admission::Open),
                member_cap: input.member_cap,
                created_by: creator.id,
                created_at: now,
                updated_at: now,
                questions: serde_json::to_string(&checked.questions)
                    .map_err(|e| AppError::caused("encoding the community's settings", e))?,
                focus_skills: json_list(&focus),
                feed_token: crate::secrets::link_token(),
                vetted: false,
            };
            repo::insert(c, &row)?;
            repo::add_member(c, &row.id, creator.id, Role::Owner, now)?;
            record(
                c,
                now,
                Event::CommunityCreated(CommunityCreated {
                    creator: creator.id.to_string(),
                    community: row.id.clone(),
                    slug: row.slug.clone(),
                }),
            )?;
            let scope = Scope {
                row,
                standing: Standing::Member(Role::Owner),
            };
            view(c, scope, Some(creator))
        })
    }

    /// Changes a community's settings (owners). The slug stays.
    pub fn edit_community(
        &self,
        actor: &Account,
        slug: &str,
        input: CommunityInput,
    ) -> Result<Community, AppError> {
        let checked = check(&CommunityInput {
            slug: slug.to_string(),
            ..input.clone()
        })?;
        let now = self.now();
        self.write(|c| {
            let mut scope = Scope::load(c, slug, Some(actor))?;
            scope.require(Action::EditSettings)?;
            let focus = resolve_skills(c, &input.focus_skills, actor.id, now)?;
            let row = &mut scope.row;
            row.name = checked.name.clone();
            row.description = checked.description.clone();
            if let Some(v) = input.visibility {
                row.visibility = v;
            }
            if let Some(a) = input.admission {
                row.admission = a;
            }
            row.member_cap = input.member_cap;
            row.questions = serde_json::to_string(&checked.questions)
                .map_err(|e| AppError::caused("encoding the community's settings", e))?;
            row.focus_skills = json_list(&focus);
            row.updated_at = now;
            repo::update(c, row)?;
            record(
                c,
                now,
                Event::CommunityUpdated(CommunityUpdated {
                    by: actor.id.to_string(),
                    community: row.id.clone(),
                }),
            )?;
            view(c, scope, Some(actor))
        })
    }

    /// A community by slug, if the caller may know it exists.
    pub fn community(&self, slug: &str, who: Option<&Account>) -> Result<Community, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            view(c, scope, who)
        })
    }

    /// The communities on the instance the caller may see.
    pub fn list(&self, who: Option<&Account>) -> Result<Vec<Community>, AppError> {
        self.read(|c| {
            let mut out = Vec::new();
            for row in repo::all(c, 500)? {
                match Scope::of(c, row, who) {
                    Ok(scope) => out.push(view(c, scope, who)?),
                    Err(AppError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
    }
}
