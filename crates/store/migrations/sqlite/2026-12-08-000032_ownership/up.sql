-- Member ownership: the part of a community's share its members share out each period in
-- proportion to their points, the distributions made, and the perks members qualify for.
-- Keep in step with the other backend's copy.
CREATE TABLE revenue_shares (
    community_id TEXT PRIMARY KEY NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- The members' part of the community's share of each release, in basis points.
    share_bps INTEGER NOT NULL,
    period_days INTEGER NOT NULL,
    -- Where the period not yet distributed starts.
    period_from BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One row per period distributed: its unique key is what lets one node only claim a period.
CREATE TABLE distributions (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (community_id, period_from)
);
-- What each member received from a distribution, per currency, with the points it weighed.
CREATE TABLE distribution_shares (
    distribution_id TEXT NOT NULL REFERENCES distributions(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id),
    currency TEXT NOT NULL,
    points BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (distribution_id, user_id, currency)
);
CREATE INDEX distribution_shares_user ON distribution_shares (user_id);
CREATE TABLE perks (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Members with at least this many points qualify; NULL when points do not decide.
    min_points BIGINT,
    -- Members with an active contract through the community qualify.
    active_contract BOOLEAN NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX perks_community ON perks (community_id);
-- A period's points are counted from the events of a few kinds within its dates.
CREATE INDEX domain_events_kind_time ON domain_events (event_type, occurred_at);
