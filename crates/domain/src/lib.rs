//! Guildhall's pure rules: identifiers, validated newtypes, audiences and the one visibility
//! function every read of profile data goes through. No I/O lives here.
#![warn(missing_docs)]

#[macro_use]
mod names;

pub mod account;
pub mod audience;
pub mod availability;
pub mod calendar;
pub mod canonical_json;
pub mod community;
pub mod connection;
pub mod contract;
pub mod credentials;
pub mod did;
pub mod events;
pub mod evidence;
pub mod hourly;
pub mod ids;
pub mod insights;
pub mod job;
pub mod ledger;
pub mod markdown;
pub mod matching;
pub mod money;
pub mod notify;
pub mod ownership;
pub mod persona;
pub mod profile;
pub mod reputation;
pub mod resume;
pub mod search;
pub mod skills;
pub mod stored;
pub mod trust;
pub mod validation;
pub mod view;
pub mod visibility;
pub mod vouching;

pub use audience::{Audience, AudienceSet};
pub use ids::{
    CommunityId, ConnectionId, ContractId, DisputeId, ItemId, MilestoneId, PersonaId, ReviewId,
    TokenId, UserId,
};
pub use validation::{FieldError, FieldErrors};
pub use visibility::{Viewer, visible_items};
