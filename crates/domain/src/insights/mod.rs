//! Insights: what the jobs, the members' claims and the evidence say together — a member's
//! skills gap for a job or an occupation, and a community's gaps as a whole. Pure: the use
//! cases gather what the viewer may see, and the floor under every count of people
//! ([`MIN_GROUP`]) is applied here, once.

pub mod gap;
pub mod liquidity;
pub mod paths;
pub mod rates;

/// The fewest people an aggregate may count before it is shown: a smaller group could point
/// at someone.
pub const MIN_GROUP: usize = 5;

/// A count of people as it may be shown: the figure when at least [`MIN_GROUP`], else `None`.
pub fn shown_count(n: usize) -> Option<u32> {
    (n >= MIN_GROUP).then(|| u32::try_from(n).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_smaller_than_five_are_not_shown() {
        assert_eq!(shown_count(0), None);
        assert_eq!(shown_count(4), None);
        assert_eq!(shown_count(5), Some(5));
        assert_eq!(shown_count(120), Some(120));
    }
}
