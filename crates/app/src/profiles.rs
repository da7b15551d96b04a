//! Profile items and profile views. Every read of another member's profile data goes through
//! `guildhall_domain::visible_items`, via `ProfileView`.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::UserId;
use guildhall_domain::account::Handle;
use guildhall_domain::audience::{Audience, AudienceSet};
use guildhall_domain::connection::ConnectionStatus;
use guildhall_domain::events::{Event, ItemChanged, ItemRemoved};
use guildhall_domain::profile::{ItemData, ProfileItem};
use guildhall_domain::view::ProfileView;
use guildhall_domain::{FieldErrors, ItemId, Viewer};
use guildhall_store::repo::{connections, items, users};
use guildhall_store::{DbConnection, StoreError};
use serde::Serialize;

/// Most items one profile may hold, so one account cannot fill the database.
pub const MAX_ITEMS: usize = 500;

/// An item as written by its owner.
#[derive(Clone, Debug)]
pub struct ItemInput {
    /// Audience names (`public`, `connections`, `community:<id>`...).
    pub audiences: Vec<String>,
    /// Content.
    pub data: ItemData,
}

/// An item as returned to its owner, audiences included.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OwnItem {
    /// The item's id (UUIDv7), as in `/me/items/{id}`.
    pub id: String,
    /// Order.
    pub position: i32,
    /// Audiences.
    #[schema(value_type = Vec<String>, example = json!(["public"]))]
    pub audiences: AudienceSet,
    /// Content.
    pub data: ItemData,
}

impl From<&ProfileItem> for OwnItem {
    fn from(i: &ProfileItem) -> Self {
        OwnItem {
            id: i.id.to_string(),
            position: i.position,
            audiences: i.audiences.clone(),
            data: i.data.clone(),
        }
    }
}

/// The stored form of an item.
pub(crate) fn item_row(
    owner: UserId,
    position: i32,
    audiences: &AudienceSet,
    data: &ItemData,
    now: i64,
) -> items::ItemRow {
    items::ItemRow {
        id: ItemId::new().to_string(),
        owner_id: owner,
        kind: data.kind().to_string(),
        position,
        audiences: audiences.to_storage(),
        data: serde_json::to_string(data).expect("item data serialises"),
        created_at: now,
        updated_at: now,
    }
}

/// Reads a stored item.
pub(crate) fn from_row(row: items::ItemRow) -> Result<ProfileItem, AppError> {
    let data = serde_json::from_str(&row.data)
        .map_err(|e| StoreError::Corrupt(format!("item {}: {e}", row.id)))?;
    Ok(ProfileItem {
        id: row
            .id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("item id {}", row.id)))?,
        owner: row.owner_id,
        position: row.position,
        audiences: AudienceSet::from_storage(&row.audiences),
        data,
    })
}

/// All items of an owner, in order.
pub(crate) fn load_items(
    c: &mut DbConnection,
    owner_id: UserId,
) -> Result<Vec<ProfileItem>, AppError> {
    items::of_owner(c, owner_id)?
        .into_iter()
        .map(from_row)
        .collect()
}

/// Checks an item input: audiences parse and are not empty, the content is valid.
pub(crate) fn validate(input: ItemInput) -> Result<(AudienceSet, ItemData), AppError> {
    let mut errors = FieldErrors::new();
    let audiences = match AudienceSet::parse_list(&input.audiences) {
        Ok(set) if set.0.is_empty() => {
            errors.add(
                "/audiences",
                "choose at least one audience (private shows it to you alone)",
            );
            set
        }
        Ok(set) => set,
        Err((i, message)) => {
            errors.add(format!("/audiences/{i}"), message);
            AudienceSet::default()
        }
    };
    if input.audiences.len() > 16 {
        errors.add("/audiences", "name at most 16 audiences");
    }
    let data = match input.data.validate() {
        Ok(d) => Some(d),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    match data {
        Some(d) if errors.is_empty() => Ok((audiences, d)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// How an owner previews their own profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreviewAs {
    /// Someone not signed in.
    Public,
    /// Any signed-in member.
    Member,
    /// A connection.
    Connection,
    /// A client: someone who holds or held a contract with the member.
    Client,
    /// A fellow member of one of the member's communities (its id).
    Community(String),
    /// Through a persona's link.
    Persona(String),
}

/// How the account `viewer` (none for a visitor) relates to the owner `owner_id`: the one
/// place a viewer's standing is decided.
pub(crate) fn relation(
    c: &mut DbConnection,
    viewer: Option<UserId>,
    owner_id: UserId,
) -> Result<Viewer, AppError> {
    let Some(v) = viewer else {
        return Ok(Viewer::public());
    };
    if v == owner_id {
        return Ok(Viewer::owner());
    }
    let connected = connections::between(c, v, owner_id)?
        .is_some_and(|row| row.status == ConnectionStatus::Accepted);
    let mut viewer = if connected {
        Viewer::connection()
    } else {
        Viewer::member()
    };
    viewer.client = guildhall_store::repo::contracts::is_client_of(c, v, owner_id)?;
    // Items shown to a community are seen by its members: the communities both share.
    viewer.communities = guildhall_store::repo::communities::shared(c, v, owner_id)?
        .into_iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    Ok(viewer)
}

/// Whether a claim with these audiences shows its words to the whole instance, which shares
/// a tag it names: shown to narrower audiences (connections, clients, a community, nobody) a
/// tag stays its author's.
fn shares_words(audiences: &AudienceSet) -> bool {
    audiences.contains(&Audience::Public) || audiences.contains(&Audience::Members)
}

/// Refuses a `community:<id>` audience for a community the owner does not belong to: an item
/// shown to strangers' community would otherwise reach people the owner never joined.
fn check_communities(
    c: &mut DbConnection,
    owner: UserId,
    audiences: &AudienceSet,
) -> Result<(), AppError> {
    for a in audiences.iter() {
        if let Audience::Community(id) = a
            && guildhall_store::repo::communities::role_of(c, &id.to_string(), owner)?.is_none()
        {
            return Err(AppError::field(
                "/audiences",
                "you can only show items to communities you belong to",
            ));
        }
    }
    Ok(())
}

impl crate::facades::Profiles<'_> {
    /// Adds an item at the end of the caller's profile.
    pub fn add_item(&self, account: &Account, input: ItemInput) -> Result<OwnItem, AppError> {
        let (audiences, data) = validate(input)?;
        let now = self.now();
        self.write(|c| {
            let row = add_item_in(c, account.id, &audiences, &data, now)?;
            Ok(OwnItem::from(&from_row(row)?))
        })
    }

    /// Replaces an item's content and audiences. The kind may change too.
    pub fn update_item(
        &self,
        account: &Account,
        id: &str,
        input: ItemInput,
        position: Option<i32>,
    ) -> Result<OwnItem, AppError> {
        let (audiences, data) = validate(input)?;
        let now = self.now();
        self.write(|c| {
            let mut row = items::of_owner_by_id(c, account.id, id)?.ok_or(AppError::NotFound)?;
            let previous = from_row(row.clone())?.data;
            if data.kind() == "availability"
                && previous.kind() != "availability"
                && items::of_owner(c, account.id)?
                    .iter()
                    .any(|r| r.kind == "availability")
            {
                return Err(AppError::conflict(
                    None,
                    "your profile has its availability already; change that one instead",
                ));
            }
            check_communities(c, account.id, &audiences)?;
            let data = crate::credentials::profile::prepare_item(c, data.clone(), account.id)?;
            let data = crate::skills::prepare_claim(
                c,
                data,
                Some(&previous),
                account.id,
                now,
                shares_words(&audiences),
            )?;
            row.kind = data.kind().to_string();
            row.audiences = audiences.to_storage();
            row.data = serde_json::to_string(&data).expect("item data serialises");
            row.position = position.unwrap_or(row.position);
            row.updated_at = now;
            items::update(c, &row)?;
            record(
                c,
                now,
                Event::ItemUpdated(ItemChanged {
                    owner: account.id.to_string(),
                    item: row.id.clone(),
                    kind: row.kind.clone(),
                    audiences: row.audiences.clone(),
                }),
            )?;
            Ok(OwnItem::from(&from_row(row)?))
        })
    }

    /// Removes an item (and so from every persona).
    pub fn delete_item(&self, account: &Account, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            if !items::delete(c, account.id, id)? {
                return Err(AppError::NotFound);
            }
            record(
                c,
                now,
                Event::ItemRemoved(ItemRemoved {
                    owner: account.id.to_string(),
                    item: id.to_string(),
                }),
            )?;
            Ok(())
        })
    }

    /// The caller's items with their audiences.
    pub fn my_items(&self, account: &Account) -> Result<Vec<ProfileItem>, AppError> {
        self.read(|c| load_items(c, account.id))
    }

    /// How `viewer` relates to the owner `owner_id`.
    pub fn relation(
        &self,
        c: &mut DbConnection,
        viewer: Option<&Account>,
        owner_id: UserId,
    ) -> Result<Viewer, AppError> {
        relation(c, viewer.map(|v| v.id), owner_id)
    }

    /// The profile of `handle` as an anonymous visitor sees it, if it is in memory: no database
    /// round trip, so callers may skip the blocking pool.
    pub fn cached_public_profile(&self, handle: &str) -> Option<ProfileView> {
        let cached = self.profile_cache().get(&Handle::lookup_key(handle))?;
        Some(ProfileView::build(
            &cached.handle,
            &cached.items,
            &Viewer::public(),
        ))
    }

    /// The profile of `handle` as `viewer` may see it. Unknown handles are `NotFound`.
    pub fn view_profile(
        &self,
        handle: &str,
        viewer: Option<&Account>,
    ) -> Result<ProfileView, AppError> {
        let handle = Handle::lookup_key(handle);
        if viewer.is_none() {
            if self.profile_cache().is_behind() {
                self.follow_feed()?;
            }
            if let Some(view) = self.cached_public_profile(&handle) {
                return Ok(view);
            }
            let seen = self.profile_cache().watermark();
            let (owner_id, items) = self.read(|c| {
                let owner = users::by_handle(c, &handle)?.ok_or(AppError::NotFound)?;
                Ok((owner.id, load_items(c, owner.id)?))
            })?;
            let view = ProfileView::build(&handle, &items, &Viewer::public());
            let cached = crate::profile_cache::CachedProfile {
                owner_id: owner_id.to_string(),
                handle,
                items,
            };
            self.profile_cache().insert(seen, cached);
            return Ok(view);
        }
        self.read(|c| {
            let owner = users::by_handle(c, &handle)?.ok_or(AppError::NotFound)?;
            let relation = self.relation(c, viewer, owner.id)?;
            let items = load_items(c, owner.id)?;
            Ok(ProfileView::build(&owner.handle, &items, &relation))
        })
    }

    /// The caller's own profile as someone else would see it.
    pub fn preview(&self, account: &Account, as_: &PreviewAs) -> Result<ProfileView, AppError> {
        let items = self.my_items(account)?;
        let viewer = match as_ {
            PreviewAs::Public => Viewer::public(),
            PreviewAs::Member => Viewer::member(),
            PreviewAs::Connection => Viewer::connection(),
            PreviewAs::Client => Viewer {
                client: true,
                ..Viewer::member()
            },
            PreviewAs::Community(id) => {
                let mine = self.read(|c| {
                    Ok(guildhall_store::repo::communities::role_of(c, id, account.id)?.is_some())
                })?;
                let Some(id) = id.parse().ok().filter(|_| mine) else {
                    return Err(AppError::field("/as", "names no community of yours"));
                };
                Viewer {
                    communities: [id].into(),
                    ..Viewer::member()
                }
            }
            PreviewAs::Persona(id) => {
                let persona = self.my_persona(account, id)?;
                return Ok(ProfileView::through_persona(
                    &account.handle,
                    &persona,
                    &items,
                ));
            }
        };
        Ok(ProfileView::build(&account.handle, &items, &viewer))
    }
}

/// Adds a checked item to `owner`'s profile in the caller's transaction: refuses a full
/// profile, a second availability and a community the owner is not in; resolves a skill claim
/// against the taxonomy; records the event.
pub(crate) fn add_item_in(
    c: &mut DbConnection,
    owner: UserId,
    audiences: &AudienceSet,
    data: &ItemData,
    now: i64,
) -> Result<items::ItemRow, AppError> {
    let existing = items::of_owner(c, owner)?;
    if existing.len() >= MAX_ITEMS {
        return Err(AppError::conflict(
            None,
            format!("a profile holds at most {MAX_ITEMS} items"),
        ));
    }
    if data.kind() == "availability" && existing.iter().any(|r| r.kind == "availability") {
        return Err(AppError::conflict(
            None,
            "your profile has its availability already; change that one instead",
        ));
    }
    check_communities(c, owner, audiences)?;
    let data = crate::credentials::profile::prepare_item(c, data.clone(), owner)?;
    let data = crate::skills::prepare_claim(c, data, None, owner, now, shares_words(audiences))?;
    let row = item_row(
        owner,
        // After the last of the items just read: the same answer as asking the database.
        existing
            .iter()
            .map(|r| r.position)
            .max()
            .map_or(0, |m| m + 1),
        audiences,
        &data,
        now,
    );
    items::insert(c, &row)?;
    record(
        c,
        now,
        Event::ItemAdded(ItemChanged {
            owner: owner.to_string(),
            item: row.id.clone(),
            kind: row.kind.clone(),
            audiences: row.audiences.clone(),
        }),
    )?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::App;
    use crate::testing::{app, member};
    use guildhall_domain::profile::WorkKind;
    use guildhall_store::testdb::TestDb;

    fn work(aud: &str) -> ItemInput {
        ItemInput {
            audiences: vec![aud.into()],
            data: ItemData::Work {
                title: "Data engineer".into(),
                organisation: "Acme".into(),
                work_kind: WorkKind::Freelance,
                start: "2023-01".into(),
                end: None,
                description: String::new(),
            },
        }
    }

    #[test]
    fn audiences_decide_what_each_viewer_sees() {
        for db in TestDb::all() {
            let app = app(&db);
            let ada = member(&app, "ada");
            let bob = member(&app, "bob");
            let eve = member(&app, "eve");
            let item = app.profiles().add_item(&ada, work("connections")).unwrap();
            let has = |v: Option<&Account>| {
                app.profiles()
                    .view_profile("ada", v)
                    .unwrap()
                    .items
                    .iter()
                    .any(|i| i.id.to_string() == item.id)
            };
            assert!(!has(None));
            assert!(!has(Some(&bob)));
            let req = app.profiles().request_connection(&bob, "ada").unwrap();
            assert!(!has(Some(&bob)), "pending is not connected");
            app.profiles().accept_connection(&ada, &req.id).unwrap();
            assert!(has(Some(&bob)));
            assert!(!has(Some(&eve)));
            assert!(has(Some(&ada)));
        }
    }

    #[test]
    fn bad_items_are_refused_and_nothing_is_written() {
        for db in TestDb::all() {
            let app = app(&db);
            let ada = member(&app, "ada");
            let before = app.profiles().my_items(&ada).unwrap().len();
            let mut bad = work("everyone");
            bad.audiences.push("nobody".into());
            let AppError::Validation(e) = app.profiles().add_item(&ada, bad).unwrap_err() else {
                panic!()
            };
            assert_eq!(e.0[0].path, "/audiences/0");
            let empty = ItemInput {
                audiences: vec![],
                ..work("public")
            };
            assert!(matches!(
                app.profiles().add_item(&ada, empty),
                Err(AppError::Validation(_))
            ));
            assert_eq!(app.profiles().my_items(&ada).unwrap().len(), before);
        }
    }

    #[test]
    fn anonymous_cache_follows_writes_here_and_on_other_nodes() {
        for db in TestDb::all() {
            let node_a = app(&db);
            let node_b = app(&db);
            let ada = member(&node_a, "ada");
            let item = node_a.profiles().add_item(&ada, work("public")).unwrap();
            let shows = |app: &App| {
                app.profiles()
                    .view_profile("ada", None)
                    .unwrap()
                    .items
                    .iter()
                    .any(|i| i.id.to_string() == item.id)
            };
            assert!(shows(&node_a) && shows(&node_b), "both nodes now cache ada");
            assert!(node_b.profiles().cached_public_profile("ada").is_some());
            node_a
                .profiles()
                .update_item(&ada, &item.id, work("private"), None)
                .unwrap();
            assert!(
                node_a.profile_cache().is_behind()
                    && node_a.profiles().cached_public_profile("ada").is_none(),
                "a write does not follow the feed, and the cache is not trusted until it does"
            );
            assert!(!shows(&node_a), "the writing node is current at once");
            assert!(
                !node_a.profile_cache().is_behind()
                    && node_a.profiles().cached_public_profile("ada").is_some(),
                "the read followed the feed and cached ada again"
            );
            node_b.follow_feed().unwrap();
            assert!(
                !shows(&node_b),
                "another node is current once it follows the feed"
            );
        }
    }

    #[test]
    fn others_items_are_not_found() {
        let db = TestDb::sqlite().unwrap();
        let app = app(&db);
        let ada = member(&app, "ada");
        let bob = member(&app, "bob");
        let item = app.profiles().add_item(&ada, work("public")).unwrap();
        assert!(matches!(
            app.profiles()
                .update_item(&bob, &item.id, work("public"), None),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.profiles().delete_item(&bob, &item.id),
            Err(AppError::NotFound)
        ));
    }
}
