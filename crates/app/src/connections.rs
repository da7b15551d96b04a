//! Connections: request, accept, decline, remove. Mutual once accepted.

use crate::accounts::Account;
use crate::events::record;
use crate::{AppError, Page, PageRequest};
use guildhall_domain::ConnectionId;
use guildhall_domain::UserId;
use guildhall_domain::account::Handle;
use guildhall_domain::connection::ConnectionStatus;
use guildhall_domain::events::{ConnectionAnswered, ConnectionRemoved, Event};
use guildhall_store::DbConnection;
use guildhall_store::repo::{connections, users};
use serde::Serialize;

/// A connection or request as one side sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ConnectionView {
    /// The connection's id (UUIDv7), used in `/me/connections/{id}` to answer or remove it.
    pub id: String,
    /// The other member's handle.
    pub handle: String,
    /// `pending` or `accepted`.
    pub status: String,
    /// `incoming` when the other member asked, `outgoing` when the caller did.
    pub direction: String,
    /// Request time, Unix ms.
    pub created_at: i64,
}

/// Which connections to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionFilter {
    /// All rows.
    All,
    /// Accepted only.
    Accepted,
    /// Pending only.
    Pending,
}

impl crate::facades::Profiles<'_> {
    /// Asks `handle` to connect. If they already asked the caller, this accepts their request.
    pub fn request_connection(
        &self,
        account: &Account,
        handle: &str,
    ) -> Result<ConnectionView, AppError> {
        let now = self.now();
        self.write(|c| {
            let other = users::by_handle(c, handle)?.ok_or(AppError::NotFound)?;
            request_in(c, account.id, &other, now)
        })
    }

    /// Accepts a request addressed to the caller.
    pub fn accept_connection(
        &self,
        account: &Account,
        id: &str,
    ) -> Result<ConnectionView, AppError> {
        self.answer(account, id, true)
            .map(|v| v.expect("accepting returns the connection"))
    }

    /// Declines a request addressed to the caller.
    pub fn decline_connection(&self, account: &Account, id: &str) -> Result<(), AppError> {
        self.answer(account, id, false).map(|_| ())
    }

    fn answer(
        &self,
        account: &Account,
        id: &str,
        accept: bool,
    ) -> Result<Option<ConnectionView>, AppError> {
        let now = self.now();
        self.write(|c| {
            let row = connections::involving(c, account.id, id)?.ok_or(AppError::NotFound)?;
            if row.addressee_id != account.id || row.status != ConnectionStatus::Pending {
                return Err(AppError::conflict(
                    None,
                    "only a pending request made to you can be answered",
                ));
            }
            let other = users::by_id(c, row.requester_id)?.ok_or(AppError::NotFound)?;
            if accept {
                connections::accept(c, &row.id, now)?;
                record(
                    c,
                    now,
                    Event::ConnectionAccepted(ConnectionAnswered {
                        by: account.id.to_string(),
                        connection: row.id.clone(),
                        other: other.id.to_string(),
                    }),
                )?;
                Ok(Some(view(
                    row,
                    &other.handle,
                    account.id,
                    ConnectionStatus::Accepted,
                )))
            } else {
                connections::delete(c, &row.id)?;
                record(
                    c,
                    now,
                    Event::ConnectionDeclined(ConnectionAnswered {
                        by: account.id.to_string(),
                        connection: row.id.clone(),
                        other: other.id.to_string(),
                    }),
                )?;
                Ok(None)
            }
        })
    }

    /// Removes a connection, or withdraws or refuses a request; either side may.
    pub fn remove_connection(&self, account: &Account, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let row = connections::involving(c, account.id, id)?.ok_or(AppError::NotFound)?;
            connections::delete(c, &row.id)?;
            let other = if row.requester_id == account.id {
                &row.addressee_id
            } else {
                &row.requester_id
            };
            record(
                c,
                now,
                Event::ConnectionRemoved(ConnectionRemoved {
                    by: account.id.to_string(),
                    connection: row.id.clone(),
                    other: other.to_string(),
                    was: row.status.into(),
                }),
            )?;
            Ok(())
        })
    }

    /// The state between the caller and `handle`: `pending`, `accepted`, or none.
    pub fn connection_state(
        &self,
        account: &Account,
        handle: &str,
    ) -> Result<Option<ConnectionStatus>, AppError> {
        let handle = Handle::lookup_key(handle);
        self.read(|c| {
            let Some(other) = users::by_handle(c, &handle)? else {
                return Ok(None);
            };
            Ok(connections::between(c, account.id, other.id)?.map(|row| row.status))
        })
    }

    /// The caller's connections and requests, newest first.
    pub fn list_connections(
        &self,
        account: &Account,
        filter: ConnectionFilter,
        page: &PageRequest,
    ) -> Result<Page<ConnectionView>, AppError> {
        let limit = page.limit()?;
        let before = page.key()?;
        let status = match filter {
            ConnectionFilter::All => None,
            ConnectionFilter::Accepted => Some(ConnectionStatus::Accepted),
            ConnectionFilter::Pending => Some(ConnectionStatus::Pending),
        };
        self.read(|c| {
            let rows = connections::page(c, account.id, status, before.as_deref(), limit + 1)?;
            let others: Vec<UserId> = rows
                .iter()
                .map(|r| {
                    if r.requester_id == account.id {
                        r.addressee_id
                    } else {
                        r.requester_id
                    }
                })
                .collect();
            let handles: std::collections::HashMap<UserId, String> =
                users::handles(c, &others)?.into_iter().collect();
            let page = Page::from_rows(rows, limit, |r| r.id.clone());
            Ok(page.map(|r| {
                let other = if r.requester_id == account.id {
                    r.addressee_id
                } else {
                    r.requester_id
                };
                let handle = handles.get(&other).cloned().unwrap_or_default();
                let status = r.status;
                view(r, &handle, account.id, status)
            }))
        })
    }
}

fn view(
    row: connections::ConnectionRow,
    other_handle: &str,
    me: UserId,
    status: ConnectionStatus,
) -> ConnectionView {
    ConnectionView {
        direction: if row.requester_id == me {
            "outgoing"
        } else {
            "incoming"
        }
        .into(),
        id: row.id,
        handle: other_handle.to_string(),
        status: status.as_str().into(),
        created_at: row.created_at,
    }
}

/// Asks `other` to connect with `requester` in the caller's transaction, or accepts when
/// `other` asked first; refuses oneself, a blocked pair and a request already made.
pub(crate) fn request_in(
    c: &mut DbConnection,
    requester: UserId,
    other: &users::UserRow,
    now: i64,
) -> Result<ConnectionView, AppError> {
    if other.id == requester {
        return Err(AppError::conflict(
            Some("/handle"),
            "you cannot connect to yourself",
        ));
    }
    if guildhall_store::repo::conversations::blocked_between(c, requester, other.id)? {
        return Err(AppError::conflict(
            Some("/handle"),
            "you cannot connect with this member",
        ));
    }
    if let Some(row) = connections::between(c, requester, other.id)? {
        return match (row.status, row.requester_id == requester) {
            (ConnectionStatus::Accepted, _) => Err(AppError::conflict(
                Some("/handle"),
                "you are already connected",
            )),
            (_, true) => Err(AppError::conflict(
                Some("/handle"),
                "you have already asked; waiting for an answer",
            )),
            (_, false) => {
                connections::accept(c, &row.id, now)?;
                let accepted = (ConnectionStatus::Accepted, Event::ConnectionAccepted as _);
                recorded(c, now, requester, other, row, accepted)
            }
        };
    }
    let row = connections::ConnectionRow {
        id: ConnectionId::new().to_string(),
        requester_id: requester,
        addressee_id: other.id,
        pair_key: connections::pair_key(requester, other.id),
        status: ConnectionStatus::Pending,
        created_at: now,
        updated_at: now,
    };
    connections::insert(c, &row).map_err(|e| match e {
        guildhall_store::StoreError::Unique(_) => {
            AppError::conflict(Some("/handle"), "a request between you already exists")
        }
        other => other.into(),
    })?;
    let requested = (ConnectionStatus::Pending, Event::ConnectionRequested as _);
    recorded(c, now, requester, other, row, requested)
}

/// Records what the requester did to the connection `row`, which is now at `status`, and
/// answers with it.
fn recorded(
    c: &mut DbConnection,
    now: i64,
    requester: UserId,
    other: &users::UserRow,
    row: connections::ConnectionRow,
    (status, event): (ConnectionStatus, fn(ConnectionAnswered) -> Event),
) -> Result<ConnectionView, AppError> {
    let answered = ConnectionAnswered {
        by: requester.to_string(),
        connection: row.id.clone(),
        other: other.id.to_string(),
    };
    record(c, now, event(answered))?;
    Ok(view(row, &other.handle, requester, status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{app, member};
    use guildhall_store::testdb::TestDb;

    #[test]
    fn lifecycle() {
        for db in TestDb::all() {
            let app = app(&db);
            let (ada, bob) = (member(&app, "ada"), member(&app, "bob"));
            let req = app.profiles().request_connection(&ada, "bob").unwrap();
            assert_eq!(req.direction, "outgoing");
            assert!(matches!(
                app.profiles().request_connection(&ada, "bob"),
                Err(AppError::Conflict { .. })
            ));
            assert!(
                matches!(
                    app.profiles().accept_connection(&ada, &req.id),
                    Err(AppError::Conflict { .. })
                ),
                "requester cannot accept"
            );
            let incoming = app
                .profiles()
                .list_connections(&bob, ConnectionFilter::Pending, &PageRequest::default())
                .unwrap();
            assert_eq!(incoming.items[0].handle, "ada");
            assert_eq!(incoming.items[0].direction, "incoming");
            app.profiles().decline_connection(&bob, &req.id).unwrap();
            // Asking back when the other already asked accepts.
            let again = app.profiles().request_connection(&ada, "bob").unwrap();
            let mutual = app.profiles().request_connection(&bob, "ada").unwrap();
            assert_eq!(mutual.status, "accepted");
            assert_eq!(mutual.id, again.id);
            app.profiles().remove_connection(&ada, &again.id).unwrap();
            assert!(
                app.profiles()
                    .list_connections(&bob, ConnectionFilter::All, &PageRequest::default())
                    .unwrap()
                    .items
                    .is_empty()
            );
            assert!(matches!(
                app.profiles().request_connection(&ada, "ada"),
                Err(AppError::Conflict { .. })
            ));
            assert!(matches!(
                app.profiles().request_connection(&ada, "nobody"),
                Err(AppError::NotFound)
            ));
        }
    }
}
