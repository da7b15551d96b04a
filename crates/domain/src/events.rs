//! Domain event names recorded in the change feed. Names are stable: the feed is the audit
//! trail and later the source of the evidence log, so renaming one is a migration.

/// An account was created.
pub const ACCOUNT_CREATED: &str = "account.created";
/// A password was changed.
pub const PASSWORD_CHANGED: &str = "account.password_changed";
/// A member signed in (a new session).
pub const SIGNED_IN: &str = "account.signed_in";
/// A member signed out.
pub const SIGNED_OUT: &str = "account.signed_out";
/// An API token was created.
pub const TOKEN_CREATED: &str = "token.created";
/// An API token was revoked.
pub const TOKEN_REVOKED: &str = "token.revoked";
/// A profile item was added.
pub const ITEM_ADDED: &str = "profile.item_added";
/// A profile item was changed.
pub const ITEM_UPDATED: &str = "profile.item_updated";
/// A profile item was removed.
pub const ITEM_REMOVED: &str = "profile.item_removed";
/// A persona was created.
pub const PERSONA_CREATED: &str = "persona.created";
/// A persona was changed.
pub const PERSONA_UPDATED: &str = "persona.updated";
/// A persona was removed.
pub const PERSONA_REMOVED: &str = "persona.removed";
/// A connection was requested.
pub const CONNECTION_REQUESTED: &str = "connection.requested";
/// A connection request was accepted.
pub const CONNECTION_ACCEPTED: &str = "connection.accepted";
/// A connection request was declined.
pub const CONNECTION_DECLINED: &str = "connection.declined";
/// A connection was removed (or a request withdrawn).
pub const CONNECTION_REMOVED: &str = "connection.removed";
