-- Liquidity per skill, one snapshot a day: the open hours of jobs asking for each skill over
-- the next four weeks against the free hours of the members who show it, for the instance
-- (scope '') and for each community (scope = its id). Hours are kept in tenths. The counts
-- behind each figure are kept so figures made by fewer than five are held back when shown.
-- Keep in step with the other backend's copy.
CREATE TABLE liquidity_snapshots (
    taken_on TEXT NOT NULL,
    scope TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    demand_tenths BIGINT NOT NULL,
    jobs INTEGER NOT NULL,
    supply_tenths BIGINT NOT NULL,
    members INTEGER NOT NULL,
    PRIMARY KEY (taken_on, scope, skill_id)
);
CREATE INDEX liquidity_by_scope ON liquidity_snapshots(scope, taken_on);
