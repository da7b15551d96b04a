//! Growth and insight: a member's skills gap for a job, a saved search or an occupation, with
//! the ways across; and a community's gaps as a whole for its curators. The rules are pure, in
//! `guildhall_domain::insights`; this module gathers what the viewer may see.

pub mod community;
pub mod gap;
pub mod liquidity;
pub mod occupations;
pub mod paths;
pub mod rates;

pub use community::{CommunityGap, CommunityGaps};
pub use gap::{GapReport, GapTarget, SkillGap, TargetKind};
pub use liquidity::{Liquidity, LiquidityPoint, LiquidityRow, SkillTrend};
pub use occupations::{OccupationRef, occupations};
pub use paths::{LearningPath, PathStep};
pub use rates::{RateCell, RateMap, RateQuery, RateRow, WageReference};
