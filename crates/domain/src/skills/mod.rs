//! Skills: normalising what people type, splitting ESCO label runs, and the autocomplete index.

pub mod autocomplete;
pub mod esco;
pub mod normalize;

pub use autocomplete::{AutocompleteIndex, LabelKind, Suggestion};
pub use normalize::normalize;

/// Where a peer's suggestion of a skill stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestionStatus {
    /// Not yet answered by the member.
    Pending,
    /// The member added the skill to their profile.
    Accepted,
    /// The member did not add it.
    Declined,
}

named_values!(SuggestionStatus {
    Pending => "pending",
    Accepted => "accepted",
    Declined => "declined",
});
