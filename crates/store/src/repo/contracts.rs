//! Contracts and their milestones.

use crate::db::KeepPrepared;
use crate::schema::{contracts, milestones};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::contract::{ContractStatus, MilestoneStatus};
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::{ContractId, MilestoneId};

/// A contract row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = contracts)]
pub struct ContractRow {
    /// UUIDv7.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ContractId,
    /// Client.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub client_id: UserId,
    /// Member doing the work.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: UserId,
    /// Community sharing in releases.
    pub community_id: Option<String>,
    /// Referrer rewarded on releases.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub referrer_id: Option<UserId>,
    /// What the contract is for (3 to 200 characters); the job's title when from a proposal.
    pub title: String,
    /// The currency of every amount in it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub currency: Currency,
    /// State.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ContractStatus,
    /// Platform fee, basis points.
    pub platform_bps: i32,
    /// Community share, basis points.
    pub community_bps: i32,
    /// Referral reward, basis points.
    pub referral_bps: i32,
    /// Review period before auto-release.
    pub review_period_ms: i64,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
    /// The job it fills, if it came from one.
    pub job_id: Option<String>,
    /// A learner working beside the member, who mentors them: the milestones marked
    /// `by_learner` are theirs to deliver and are paid to them.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub learner_id: Option<UserId>,
    /// When the learner accepted their part of the offer; the member starts the contract only
    /// after that.
    pub learner_accepted_at: Option<Millis>,
    /// Whether it is paid by the hour: it then has hourly terms (`repo::hourly`), set with it
    /// in the same transaction.
    pub hourly: bool,
    /// Whether it has ever been disputed: it then has disputes (`repo::disputes`), whose
    /// insert sets this.
    pub has_disputes: bool,
}

impl ContractRow {
    /// Whether `who` is the client, the member or the learner.
    pub fn is_party(&self, who: UserId) -> bool {
        self.client_id == who || self.member_id == who || self.learner_id == Some(who)
    }

    /// Who does, and is paid for, `m`: the learner for their milestones, else the member.
    pub fn worker_of(&self, m: &MilestoneRow) -> UserId {
        match self.learner_id {
            Some(learner) if m.by_learner => learner,
            _ => self.member_id,
        }
    }

    /// The mentor named in evidence about `worker`: the member, when `worker` is the learner.
    pub fn mentor_of(&self, worker: UserId) -> Option<UserId> {
        (self.learner_id == Some(worker)).then_some(self.member_id)
    }
}

/// A milestone as the table holds it: its amount in minor units of its contract's currency.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = milestones)]
struct StoredMilestone {
    /// UUIDv7.
    #[diesel(deserialize_as = String, serialize_as = String)]
    id: MilestoneId,
    /// Contract.
    #[diesel(deserialize_as = String, serialize_as = String)]
    contract_id: ContractId,
    /// Order within the contract.
    position: i32,
    /// What is delivered at this milestone (2 to 200 characters).
    title: String,
    /// Minor units.
    amount: i64,
    /// Due date, YYYY-MM-DD.
    due_on: String,
    /// State.
    #[diesel(deserialize_as = String, serialize_as = String)]
    status: MilestoneStatus,
    /// First delivery time.
    submitted_at: Option<Millis>,
    /// When an unanswered delivery is released.
    auto_release_at: Option<Millis>,
    /// Whether the first delivery was on time.
    on_time: Option<bool>,
    /// Last change.
    updated_at: Millis,
    /// What the client asked to change, at the latest request for changes.
    change_note: Option<String>,
    /// Whether the contract's learner does it.
    by_learner: bool,
}

/// A milestone, its amount in its contract's currency.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneRow {
    /// UUIDv7.
    pub id: MilestoneId,
    /// Contract.
    pub contract_id: ContractId,
    /// Order within the contract.
    pub position: i32,
    /// What is delivered at this milestone (2 to 200 characters).
    pub title: String,
    /// What it pays.
    pub amount: Money,
    /// Due date, YYYY-MM-DD.
    pub due_on: String,
    /// State.
    pub status: MilestoneStatus,
    /// First delivery time.
    pub submitted_at: Option<Millis>,
    /// When an unanswered delivery is released.
    pub auto_release_at: Option<Millis>,
    /// Whether the first delivery was on time.
    pub on_time: Option<bool>,
    /// Last change.
    pub updated_at: Millis,
    /// What the client asked to change, at the latest request for changes.
    pub change_note: Option<String>,
    /// Whether the contract's learner does it (and is paid for it) rather than the member.
    pub by_learner: bool,
}

impl MilestoneRow {
    fn stored(&self) -> StoredMilestone {
        StoredMilestone {
            id: self.id,
            contract_id: self.contract_id,
            position: self.position,
            title: self.title.clone(),
            amount: self.amount.minor,
            due_on: self.due_on.clone(),
            status: self.status,
            submitted_at: self.submitted_at,
            auto_release_at: self.auto_release_at,
            on_time: self.on_time,
            updated_at: self.updated_at,
            change_note: self.change_note.clone(),
            by_learner: self.by_learner,
        }
    }

    /// The row read with its contract's currency, as stored: an unknown code is an error.
    fn read((m, currency): (StoredMilestone, String)) -> Result<MilestoneRow, StoreError> {
        Ok(MilestoneRow {
            id: m.id,
            contract_id: m.contract_id,
            position: m.position,
            title: m.title,
            amount: Money::new(m.amount, Currency::try_from(currency)?),
            due_on: m.due_on,
            status: m.status,
            submitted_at: m.submitted_at,
            auto_release_at: m.auto_release_at,
            on_time: m.on_time,
            updated_at: m.updated_at,
            change_note: m.change_note,
            by_learner: m.by_learner,
        })
    }
}

/// Adds a contract with its milestones.
pub fn insert(
    conn: &mut DbConnection,
    contract: &ContractRow,
    items: &[MilestoneRow],
) -> Result<(), StoreError> {
    diesel::insert_into(contracts::table)
        .values(contract.clone())
        .execute(conn)?;
    for m in items {
        if m.amount.currency != contract.currency {
            return Err(StoreError::Corrupt(format!(
                "milestone {} pays in {}, its contract in {}",
                m.id, m.amount.currency, contract.currency
            )));
        }
        insert_milestone(conn, m)?;
    }
    Ok(())
}

/// Adds a milestone to a contract (a week of an hourly contract).
pub fn insert_milestone(conn: &mut DbConnection, m: &MilestoneRow) -> Result<(), StoreError> {
    diesel::insert_into(milestones::table)
        .values(m.stored())
        .execute(conn)?;
    Ok(())
}

/// One contract.
pub fn by_id(conn: &mut DbConnection, id: ContractId) -> Result<Option<ContractRow>, StoreError> {
    let id = id.to_string();
    Ok(crate::db::native!(conn, |c| contracts::table
        .find(&id)
        .select(ContractRow::as_select())
        .get_result(c)
        .optional())?)
}

/// The contracts of `ids` that exist, in one statement.
pub fn by_ids(conn: &mut DbConnection, ids: &[ContractId]) -> Result<Vec<ContractRow>, StoreError> {
    let ids: Vec<String> = ids.iter().map(ContractId::to_string).collect();
    Ok(contracts::table
        .filter(contracts::id.eq_any(&ids))
        .select(ContractRow::as_select())
        .load(conn)?)
}

/// The contract, if it exists, with its row lock taken until the transaction ends (`FOR
/// UPDATE`): every change to a contract or its milestones happens one at a time.
pub fn locked(conn: &mut DbConnection, id: ContractId) -> Result<Option<ContractRow>, StoreError> {
    let id = id.to_string();
    let query = contracts::table.find(&id);
    Ok(match conn {
        // SQLite's write transactions begin IMMEDIATE and exclude every other writer already.
        DbConnection::Sqlite(c) => query.select(ContractRow::as_select()).get_result(c),
        DbConnection::Postgresql(c) => query
            .select(ContractRow::as_select())
            .for_update()
            .get_result(c),
    }
    .optional()?)
}

/// Sets a contract's state.
pub fn set_status(
    conn: &mut DbConnection,
    id: ContractId,
    status: ContractStatus,
    now: Millis,
) -> Result<(), StoreError> {
    let update = KeepPrepared(status_update!(id, status, now));
    crate::db::native!(conn, |c| update.load::<String>(c))?;
    Ok(())
}

/// The statement setting contract `$id`'s state to `$status` at `$now`, returning its id.
macro_rules! status_update {
    ($id:expr, $status:expr, $now:expr) => {
        diesel::update(contracts::table.find($id.to_string()))
            .set((
                contracts::status.eq($status.as_str()),
                contracts::updated_at.eq($now),
            ))
            .returning(contracts::id)
    };
}
pub(crate) use status_update;

/// Records that the learner of contract `id` accepted their part at `now`.
pub fn set_learner_accepted(
    conn: &mut DbConnection,
    id: ContractId,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(contracts::table.find(id.to_string()))
        .set((
            contracts::learner_accepted_at.eq(Some(now)),
            contracts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Contracts where the user is client, member or learner, newest first.
pub fn of_user(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<ContractRow>, StoreError> {
    Ok(contracts::table
        .filter(
            contracts::client_id
                .eq(user_id.to_string())
                .or(contracts::member_id.eq(user_id.to_string()))
                .or(contracts::learner_id.eq(user_id.to_string())),
        )
        .order(contracts::id.desc())
        .select(ContractRow::as_select())
        .load(conn)?)
}

/// Whether `client_id` holds or held a contract with `member_id` (as its member or its
/// learner) that the member accepted (`ContractStatus::was_accepted`).
pub fn is_client_of(
    conn: &mut DbConnection,
    client_id: UserId,
    member_id: UserId,
) -> Result<bool, StoreError> {
    let n: i64 = contracts::table
        .filter(contracts::client_id.eq(client_id.to_string()))
        .filter(
            contracts::member_id
                .eq(member_id.to_string())
                .or(contracts::learner_id.eq(member_id.to_string())),
        )
        .filter(contracts::status.eq_any(ContractStatus::accepted_names()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether either of `a` and `b` hired the other, or they worked as a pair, in a contract the
/// member accepted.
pub fn worked_together(conn: &mut DbConnection, a: UserId, b: UserId) -> Result<bool, StoreError> {
    let (a, b) = (a.to_string(), b.to_string());
    let sides = |x: &String, y: &String| {
        contracts::client_id.eq(x.clone()).and(
            contracts::member_id
                .eq(y.clone())
                .or(contracts::learner_id.eq(y.clone())),
        )
    };
    let pair = |x: &String, y: &String| {
        contracts::member_id
            .eq(x.clone())
            .and(contracts::learner_id.eq(y.clone()))
    };
    let n: i64 = contracts::table
        .filter(
            sides(&a, &b)
                .or(sides(&b, &a))
                .or(pair(&a, &b))
                .or(pair(&b, &a)),
        )
        .filter(contracts::status.eq_any(ContractStatus::accepted_names()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// When `client_id` sent its `nth` newest offer (1 the newest), if it sent that many since
/// `since`. Reads at most `nth` entries of the `(client_id, created_at)` index, however many
/// offers the client has sent.
pub fn nth_newest_offer_since(
    conn: &mut DbConnection,
    client_id: UserId,
    since: Millis,
    nth: u32,
) -> Result<Option<Millis>, StoreError> {
    use diesel::OptionalExtension;
    let Some(skipped) = nth.checked_sub(1) else {
        return Ok(None);
    };
    Ok(contracts::table
        .filter(contracts::client_id.eq(client_id.to_string()))
        .filter(contracts::created_at.gt(since))
        .order(contracts::created_at.desc())
        .offset(i64::from(skipped))
        .select(contracts::created_at)
        .first(conn)
        .optional()?)
}

/// A contract's milestones, in order.
pub fn milestones_of(
    conn: &mut DbConnection,
    contract_id: ContractId,
) -> Result<Vec<MilestoneRow>, StoreError> {
    let contract_id = contract_id.to_string();
    crate::db::native!(conn, |c| milestones::table
        .inner_join(contracts::table)
        .filter(milestones::contract_id.eq(&contract_id))
        .order(milestones::position)
        .select((StoredMilestone::as_select(), contracts::currency))
        .load(c))?
    .into_iter()
    .map(MilestoneRow::read)
    .collect()
}

/// The handles of a contract's parties (client, member and learner), by account id.
pub type Parties = Vec<(UserId, String)>;

/// A contract's milestones in order, as [`milestones_of`], with its parties' handles: one
/// statement where a milestone step would send two (it answers with both).
pub fn milestones_with_parties(
    conn: &mut DbConnection,
    contract_id: ContractId,
) -> Result<(Vec<MilestoneRow>, Parties), StoreError> {
    use crate::schema::users;
    diesel::alias!(users as clients: Clients, users as members: Members, users as learners: Learners);
    let contract_id = contract_id.to_string();
    type Party = (Option<String>, Option<String>);
    let rows: Vec<(StoredMilestone, String, Party, Party, Party)> =
        crate::db::native!(conn, |c| milestones::table
            .inner_join(contracts::table)
            .left_join(clients.on(clients.field(users::id).eq(contracts::client_id)))
            .left_join(members.on(members.field(users::id).eq(contracts::member_id)))
            .left_join(
                learners.on(learners
                    .field(users::id)
                    .nullable()
                    .eq(contracts::learner_id)),
            )
            .filter(milestones::contract_id.eq(&contract_id))
            .order(milestones::position)
            .select((
                StoredMilestone::as_select(),
                contracts::currency,
                (
                    clients.field(users::id).nullable(),
                    clients.field(users::handle).nullable(),
                ),
                (
                    members.field(users::id).nullable(),
                    members.field(users::handle).nullable(),
                ),
                (
                    learners.field(users::id).nullable(),
                    learners.field(users::handle).nullable(),
                ),
            ))
            .load(c))?;
    // Every row names the same parties; an account gone from `users` is left out.
    let mut parties = Parties::new();
    if let Some((_, _, client, member, learner)) = rows.first() {
        for (id, handle) in [client, member, learner] {
            if let (Some(id), Some(handle)) = (id, handle) {
                parties.push((UserId::try_from(id.clone())?, handle.clone()));
            }
        }
    }
    let milestones = rows
        .into_iter()
        .map(|(m, currency, ..)| MilestoneRow::read((m, currency)))
        .collect::<Result<_, _>>()?;
    Ok((milestones, parties))
}

/// One milestone.
pub fn milestone(
    conn: &mut DbConnection,
    id: MilestoneId,
) -> Result<Option<MilestoneRow>, StoreError> {
    milestones::table
        .inner_join(contracts::table)
        .filter(milestones::id.eq(id.to_string()))
        .select((StoredMilestone::as_select(), contracts::currency))
        .get_result(conn)
        .optional()?
        .map(MilestoneRow::read)
        .transpose()
}

/// Writes a milestone's state and delivery fields.
pub fn update_milestone(conn: &mut DbConnection, m: &MilestoneRow) -> Result<(), StoreError> {
    let update = KeepPrepared(milestone_update!(m));
    crate::db::native!(conn, |c| update.load::<String>(c))?;
    Ok(())
}

/// The statement writing milestone `$m` as it is (its changeable fields), returning its id.
macro_rules! milestone_update {
    ($m:expr) => {
        diesel::update(milestones::table.find($m.id.to_string()))
            .set((
                milestones::status.eq($m.status.as_str()),
                milestones::submitted_at.eq($m.submitted_at),
                milestones::auto_release_at.eq($m.auto_release_at),
                milestones::on_time.eq($m.on_time),
                milestones::updated_at.eq($m.updated_at),
                milestones::change_note.eq(&$m.change_note),
            ))
            .returning(milestones::id)
    };
}
pub(crate) use milestone_update;

/// Sets what a week of an hourly contract pays: the hours approved at the rate, once the rest
/// of its escrow went back. A fixed milestone's amount never changes.
pub fn set_amount(
    conn: &mut DbConnection,
    id: MilestoneId,
    amount: Money,
) -> Result<(), StoreError> {
    diesel::update(milestones::table.find(id.to_string()))
        .set(milestones::amount.eq(amount.minor))
        .execute(conn)?;
    Ok(())
}

/// Submitted milestones whose review period ended by `now`: (milestone id, contract id).
pub fn due_for_release(
    conn: &mut DbConnection,
    now: Millis,
    limit: i64,
) -> Result<Vec<(MilestoneId, ContractId)>, StoreError> {
    let due: Vec<(String, String)> = milestones::table
        // Written out, not bound, so that both backends' planners see the partial index's
        // condition (`milestones_due_for_release`) in the query.
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "milestones.status = 'submitted'",
        ))
        .filter(milestones::auto_release_at.le(now))
        .order(milestones::auto_release_at)
        .limit(limit)
        .select((milestones::id, milestones::contract_id))
        .load(conn)?;
    due.into_iter()
        .map(|(milestone, contract)| {
            Ok((
                MilestoneId::try_from(milestone)?,
                ContractId::try_from(contract)?,
            ))
        })
        .collect()
}

/// The members (and learners) `client_id` hired in a contract the member accepted.
pub fn members_of_client(
    conn: &mut DbConnection,
    client_id: UserId,
) -> Result<Vec<UserId>, StoreError> {
    let accepted = || {
        contracts::table
            .filter(contracts::client_id.eq(client_id.to_string()))
            .filter(contracts::status.eq_any(ContractStatus::accepted_names()))
    };
    let mut ids: Vec<String> = accepted().select(contracts::member_id).load(conn)?;
    ids.extend(
        accepted()
            .filter(contracts::learner_id.is_not_null())
            .select(contracts::learner_id.assume_not_null())
            .load::<String>(conn)?,
    );
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            id.parse()
                .map_err(|_| StoreError::Corrupt(format!("member id {id}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdb::{TestDb, account};
    use diesel::connection::SimpleConnection;
    use guildhall_domain::{ReviewId, UserId};

    fn contract(id: ContractId, client_id: UserId, member_id: UserId) -> ContractRow {
        ContractRow {
            id,
            client_id,
            member_id,
            community_id: None,
            referrer_id: None,
            title: "Logo".into(),
            currency: Currency::parse("JPY").unwrap(),
            status: ContractStatus::Offered,
            platform_bps: 0,
            community_bps: 0,
            referral_bps: 0,
            review_period_ms: 0,
            created_at: 1,
            updated_at: 1,
            job_id: None,
            learner_id: None,
            learner_accepted_at: None,
            hourly: false,
            has_disputes: false,
        }
    }

    /// A pending milestone of ¥1,000 at `position` of contract `k`.
    fn milestone(k: ContractId, position: i32) -> MilestoneRow {
        MilestoneRow {
            id: MilestoneId::new(),
            contract_id: k,
            position,
            title: format!("Part {position}"),
            amount: Money::new(1_000, Currency::parse("JPY").unwrap()),
            due_on: "2026-12-31".into(),
            status: MilestoneStatus::Pending,
            submitted_at: None,
            auto_release_at: None,
            on_time: None,
            updated_at: 1,
            change_note: None,
            by_learner: false,
        }
    }

    /// `read` fails with a corrupt-row error that says `named`.
    fn assert_corrupt<T: std::fmt::Debug>(read: Result<T, StoreError>, named: &str) {
        match read {
            Err(StoreError::Corrupt(what)) => assert_eq!(what, named),
            other => panic!("expected \"{named}\", read {other:?}"),
        }
    }

    #[test]
    fn rows_read_back_typed_and_a_corrupt_value_is_an_error_naming_it() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let (client, member) = (account(&mut c, "client"), account(&mut c, "member"));
            let k1 = ContractId::new();
            insert(&mut c, &contract(k1, client, member), &[]).unwrap();
            set_status(&mut c, k1, ContractStatus::Active, 2).unwrap();
            let row = by_id(&mut c, k1).unwrap().unwrap();
            assert_eq!((row.id, row.status), (k1, ContractStatus::Active));
            assert_eq!((row.client_id, row.member_id), (client, member));
            assert_eq!(row.currency.code(), "JPY");
            // A review's id reads back typed, and one that is not an id is named.
            let review = ReviewId::new();
            crate::repo::reviews::insert(
                &mut c,
                &crate::repo::reviews::ReviewRow {
                    id: review,
                    contract_id: k1,
                    author_id: client,
                    subject_id: member,
                    side: "client".into(),
                    overall: 5,
                    criteria: "{}".into(),
                    body: "Clear work.".into(),
                    created_at: 2,
                    reveal_at: 2,
                    revealed_at: None,
                },
            )
            .unwrap();
            let due = crate::repo::reviews::due(&mut c, 3, 10).unwrap();
            assert_eq!(due, vec![(review, k1)]);
            c.batch_execute(&format!(
                "UPDATE reviews SET id = 'r1' WHERE id = '{review}'"
            ))
            .unwrap();
            assert_corrupt(
                crate::repo::reviews::due(&mut c, 3, 10),
                "a stored review id reads \"r1\"",
            );
            c.batch_execute("DELETE FROM reviews WHERE id = 'r1'")
                .unwrap();
            c.batch_execute(&format!(
                "UPDATE contracts SET currency = 'XXQ' WHERE id = '{k1}'"
            ))
            .unwrap();
            assert_corrupt(by_id(&mut c, k1), "a stored currency reads \"XXQ\"");
            c.batch_execute(&format!(
                "UPDATE contracts SET currency = 'EUR', status = 'on hold' WHERE id = '{k1}'"
            ))
            .unwrap();
            assert!(matches!(by_id(&mut c, k1), Err(StoreError::Corrupt(_))));
            // An id that is not a contract id is corruption too, not a contract to show.
            c.batch_execute(&format!(
                "UPDATE contracts SET status = 'active', id = 'k-1' WHERE id = '{k1}'"
            ))
            .unwrap();
            assert_corrupt(
                of_user(&mut c, client),
                "a stored contract id reads \"k-1\"",
            );
            // So is a party that is not an account id.
            c.batch_execute(&format!(
                "INSERT INTO users (id, handle, email, email_key, password_hash, is_operator, \
                 created_at, updated_at) VALUES ('member', 'm2', 'm2@example.org', \
                 'm2@example.org', '', false, 1, 1); \
                 UPDATE contracts SET id = '{k1}', member_id = 'member' WHERE id = 'k-1'"
            ))
            .unwrap();
            assert_corrupt(by_id(&mut c, k1), "a stored account id reads \"member\"");
            // An optional party reads back absent or typed, and its corruption is named too.
            c.batch_execute(&format!(
                "UPDATE contracts SET member_id = '{member}', referrer_id = NULL WHERE id = '{k1}'"
            ))
            .unwrap();
            assert_eq!(by_id(&mut c, k1).unwrap().unwrap().referrer_id, None);
            c.batch_execute(&format!(
                "UPDATE contracts SET referrer_id = '{client}' WHERE id = '{k1}'"
            ))
            .unwrap();
            assert_eq!(
                by_id(&mut c, k1).unwrap().unwrap().referrer_id,
                Some(client)
            );
            c.batch_execute(&format!(
                "UPDATE contracts SET referrer_id = 'member' WHERE id = '{k1}'"
            ))
            .unwrap();
            assert_corrupt(by_id(&mut c, k1), "a stored account id reads \"member\"");
        }
    }

    #[test]
    fn a_contract_with_hourly_terms_before_the_flag_existed_is_marked_hourly() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let (client, member) = (account(&mut c, "client"), account(&mut c, "member"));
            let (by_hour, by_milestone) = (ContractId::new(), ContractId::new());
            for k in [by_hour, by_milestone] {
                insert(&mut c, &contract(k, client, member), &[]).unwrap();
            }
            let terms = crate::repo::hourly::TermsRow {
                contract_id: by_hour,
                rate: 5000,
                weekly_cap_hours: 10,
            };
            crate::repo::hourly::insert_terms(&mut c, &terms).unwrap();
            crate::db::redo_migration(&mut c, "_contract_hourly").unwrap();
            let hourly = |c: &mut DbConnection, k| by_id(c, k).unwrap().unwrap().hourly;
            assert!(hourly(&mut c, by_hour), "{:?}", db.backend);
            assert!(!hourly(&mut c, by_milestone), "{:?}", db.backend);
        }
    }

    /// Diesel prepares every UPDATE anew at each run; the milestone steps' two are prepared
    /// once per connection and kept.
    #[test]
    fn a_contracts_and_a_milestones_state_changes_are_prepared_once_per_connection() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let (client, member) = (account(&mut c, "client"), account(&mut c, "member"));
            let k = ContractId::new();
            let mut m = milestone(k, 0);
            insert(
                &mut c,
                &contract(k, client, member),
                std::slice::from_ref(&m),
            )
            .unwrap();
            let prepared = crate::db::tests::count_prepared(&mut c, "UPDATE");
            for at in 2..5 {
                set_status(&mut c, k, ContractStatus::Active, at).unwrap();
                m.updated_at = at;
                update_milestone(&mut c, &m).unwrap();
            }
            assert_eq!(
                milestones_of(&mut c, k).unwrap(),
                vec![m],
                "{:?}",
                db.backend
            );
            assert_eq!(by_id(&mut c, k).unwrap().unwrap().updated_at, 4);
            assert_eq!(
                prepared.load(std::sync::atomic::Ordering::Relaxed),
                2,
                "{:?}",
                db.backend
            );
        }
    }

    #[test]
    fn a_contract_is_marked_disputed_by_its_first_dispute_and_by_the_flags_migration() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let (client, member) = (account(&mut c, "client"), account(&mut c, "member"));
            let (disputed, calm) = (ContractId::new(), ContractId::new());
            let m = milestone(disputed, 0);
            insert(
                &mut c,
                &contract(disputed, client, member),
                std::slice::from_ref(&m),
            )
            .unwrap();
            insert(&mut c, &contract(calm, client, member), &[]).unwrap();
            let marked = |c: &mut DbConnection, k| by_id(c, k).unwrap().unwrap().has_disputes;
            assert!(!marked(&mut c, disputed), "{:?}", db.backend);
            let dispute = crate::repo::disputes::DisputeRow {
                id: guildhall_domain::DisputeId::new(),
                contract_id: disputed,
                milestone_id: m.id,
                opened_by: client,
                reason: "Nothing was delivered".into(),
                opened_at: 2,
                member_amount: None,
                resolution: String::new(),
                resolved_by: None,
                resolved_at: None,
            };
            crate::repo::disputes::insert(&mut c, &dispute).unwrap();
            assert!(marked(&mut c, disputed), "{:?}", db.backend);
            crate::db::redo_migration(&mut c, "_contract_disputes").unwrap();
            assert!(marked(&mut c, disputed), "{:?}", db.backend);
            assert!(!marked(&mut c, calm), "{:?}", db.backend);
        }
    }

    #[test]
    fn milestones_read_with_their_parties_handles_match_the_two_reads_they_replace() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let (client, member, learner) = (
                account(&mut c, "client"),
                account(&mut c, "member"),
                account(&mut c, "learner"),
            );
            let k = ContractId::new();
            let row = ContractRow {
                learner_id: Some(learner),
                ..contract(k, client, member)
            };
            let by_learner = MilestoneRow {
                by_learner: true,
                ..milestone(k, 1)
            };
            insert(&mut c, &row, &[milestone(k, 0), by_learner]).unwrap();
            let (milestones, mut parties) = milestones_with_parties(&mut c, k).unwrap();
            assert_eq!(milestones, milestones_of(&mut c, k).unwrap());
            let mut handles =
                crate::repo::users::handles(&mut c, &[client, member, learner]).unwrap();
            parties.sort();
            handles.sort();
            assert_eq!(parties.len(), 3, "{:?}", db.backend);
            assert_eq!(parties, handles, "{:?}", db.backend);
        }
    }

    #[test]
    fn a_learner_is_a_party_wherever_the_member_is_and_delivers_only_their_own() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let (client, senior, learner, stranger) = (
                account(&mut c, "client"),
                account(&mut c, "senior"),
                account(&mut c, "learner"),
                account(&mut c, "stranger"),
            );
            let k = ContractId::new();
            let row = ContractRow {
                learner_id: Some(learner),
                ..contract(k, client, senior)
            };
            let funded = |position: i32, by_learner: bool| MilestoneRow {
                due_on: "2099-01-10".into(),
                status: MilestoneStatus::Funded,
                by_learner,
                ..milestone(k, position)
            };
            insert(&mut c, &row, &[funded(0, false), funded(1, true)]).unwrap();

            // Offered: the learner's answer is awaited, and then only the member's.
            let offers = |c: &mut DbConnection, who| crate::repo::waiting::offers(c, who).unwrap();
            assert_eq!((offers(&mut c, senior), offers(&mut c, learner)), (1, 1));
            set_learner_accepted(&mut c, k, 2).unwrap();
            assert_eq!(
                by_id(&mut c, k).unwrap().unwrap().learner_accepted_at,
                Some(2)
            );
            assert_eq!((offers(&mut c, senior), offers(&mut c, learner)), (1, 0));
            assert_eq!(
                crate::repo::digest::offers(&mut c, learner).unwrap(),
                vec![]
            );

            // Once started, the learner counts as the client's hire and worked with both.
            assert!(!is_client_of(&mut c, client, learner).unwrap());
            set_status(&mut c, k, ContractStatus::Active, 3).unwrap();
            assert_eq!(of_user(&mut c, learner).unwrap().len(), 1);
            assert!(is_client_of(&mut c, client, learner).unwrap());
            let mut hired = members_of_client(&mut c, client).unwrap();
            hired.sort();
            let mut both = vec![senior, learner];
            both.sort();
            assert_eq!(hired, both);
            assert!(worked_together(&mut c, senior, learner).unwrap());
            assert!(worked_together(&mut c, learner, client).unwrap());
            assert!(!worked_together(&mut c, learner, stranger).unwrap());
            assert!(crate::repo::conversations::have_work(&mut c, learner, senior).unwrap());
            assert!(!crate::repo::conversations::have_work(&mut c, learner, stranger).unwrap());

            // Each is due to deliver only their own milestone.
            let due = |c: &mut DbConnection, who| -> Vec<String> {
                crate::repo::calendars::milestones_due(c, who, "2099-01-01", "2099-12-31")
                    .unwrap()
                    .into_iter()
                    .map(|d| d.3)
                    .collect()
            };
            assert_eq!(due(&mut c, senior), vec!["Part 0"]);
            assert_eq!(due(&mut c, learner), vec!["Part 1"]);
            let digest_due = |c: &mut DbConnection, who| -> Vec<String> {
                crate::repo::digest::milestones_due(c, who, "2099-12-31")
                    .unwrap()
                    .into_iter()
                    .map(|d| d.2)
                    .collect()
            };
            assert_eq!(digest_due(&mut c, learner), vec!["Part 1"]);
            assert_eq!(digest_due(&mut c, senior), vec!["Part 0"]);
        }
    }
}
