//! Writes sent to PostgreSQL together, as one statement: its data-modifying `WITH`, each write
//! a named part, then the query whose rows come back (which may read what the parts return).
//! On the money path a round trip costs more than the rows it writes, so the writes of one
//! step that need nothing from each other but the returned rows go as one. Every part is a
//! diesel statement, type-checked as it would be alone.
//!
//! PostgreSQL runs every part to completion whether or not the query reads it, all on the
//! statement's one snapshot: a part sees none of the others' changes, only what they return,
//! and no row may be changed by two parts. Foreign keys are checked once the whole statement
//! is done, so a part may insert rows that refer to another part's. SQLite has no
//! data-modifying `WITH`: its callers run the same writes one by one.

use crate::repo::contracts::{MilestoneRow, milestone_update, status_update};
use crate::schema::{contracts, milestones};
use crate::{DbConnection, Millis, StoreError};
use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use guildhall_domain::ContractId;
use guildhall_domain::contract::ContractStatus;

/// A write carried by the statement of another (such as [`crate::repo::ledger::post`]): on
/// PostgreSQL a part of it ([`Together`]), a round trip saved; on SQLite a statement of its
/// own, just before. It must need nothing the other writes, and the other nothing of it.
#[derive(Clone, Copy, Debug)]
pub enum Carried<'a> {
    /// Milestone `m` written as it is, as [`crate::repo::contracts::update_milestone`] does.
    Milestone(&'a MilestoneRow),
    /// A contract's new state, as [`crate::repo::contracts::set_status`] writes it.
    ContractStatus(ContractId, ContractStatus, Millis),
}

impl<'a> Carried<'a> {
    /// Runs each of `carried` on its own, in order: what SQLite does before the write that
    /// carries them.
    pub(crate) fn run_each(
        conn: &mut DbConnection,
        carried: &[Carried<'_>],
    ) -> Result<(), StoreError> {
        carried.iter().try_for_each(|write| write.run(conn))
    }

    /// Runs the write on its own.
    pub(crate) fn run(&self, conn: &mut DbConnection) -> Result<(), StoreError> {
        match self {
            Carried::Milestone(m) => crate::repo::contracts::update_milestone(conn, m),
            Carried::ContractStatus(id, status, now) => {
                crate::repo::contracts::set_status(conn, *id, *status, *now)
            }
        }
    }

    /// The write as a part of a statement.
    pub(crate) fn part(&self) -> Box<dyn QueryFragment<Pg> + 'a> {
        match *self {
            Carried::Milestone(m) => Box::new(milestone_update!(m)),
            Carried::ContractStatus(id, status, now) => Box::new(status_update!(id, status, now)),
        }
    }
}

/// A statement of writes, named parts of its `WITH`, before the query `Q`.
pub(crate) struct Together<'a, Q> {
    parts: Vec<(String, Box<dyn QueryFragment<Pg> + 'a>)>,
    query: Q,
}

impl<'a, Q> Together<'a, Q> {
    /// The statement of `query`, with no writes before it yet.
    pub(crate) fn new(query: Q) -> Self {
        Together {
            parts: Vec::new(),
            query,
        }
    }

    /// Adds a write named `name` (the name the query reads its returned rows by).
    pub(crate) fn and(mut self, name: &str, part: impl QueryFragment<Pg> + 'a) -> Self {
        self.parts.push((name.into(), Box::new(part)));
        self
    }

    /// Adds the writes `carried`, named `carried_0`, `carried_1`, ….
    pub(crate) fn carrying(mut self, carried: &[Carried<'a>]) -> Self {
        for (i, write) in carried.iter().enumerate() {
            self.parts.push((format!("carried_{i}"), write.part()));
        }
        self
    }
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Together<'_, Q> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        for (i, (name, part)) in self.parts.iter().enumerate() {
            pass.push_sql(if i == 0 { "WITH " } else { ", " });
            pass.push_identifier(name)?;
            pass.push_sql(" AS (");
            part.walk_ast(pass.reborrow())?;
            pass.push_sql(") ");
        }
        self.query.walk_ast(pass.reborrow())
    }

    // Its SQL changes only with the number of parts and of rows in them: kept prepared by its
    // text, as [`crate::db::KeepPrepared`] keeps a statement.
    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> QueryId for Together<'_, Q> {
    type QueryId = ();
    // No type key: the cache keys the statement by its SQL text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Together<'_, Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> diesel::RunQueryDsl<Conn> for Together<'_, Q> {}
