//! Skills: normalising what people type, splitting ESCO label runs, and the autocomplete index.

pub mod autocomplete;
pub mod esco;
pub mod normalize;

pub use autocomplete::{AutocompleteIndex, LabelKind, Suggestion};
pub use normalize::normalize;
