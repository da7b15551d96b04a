-- Hourly contracts: a rate and a weekly cap instead of fixed milestones. Each week the client
-- funds becomes a milestone of the contract (cap × rate in escrow); the member logs time
-- entries against it, submits the week, and the approved hours are paid from its escrow (the
-- rest goes back). Keep in step with the other backend's copy.
CREATE TABLE hourly_terms (
    contract_id TEXT PRIMARY KEY NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    -- Minor units of the contract's currency per hour.
    rate BIGINT NOT NULL,
    weekly_cap_hours INTEGER NOT NULL
);
CREATE TABLE hourly_weeks (
    milestone_id TEXT PRIMARY KEY NOT NULL REFERENCES milestones(id) ON DELETE CASCADE,
    contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    -- The week's Monday, YYYY-MM-DD.
    week_of TEXT NOT NULL,
    UNIQUE (contract_id, week_of)
);
CREATE TABLE time_entries (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    milestone_id TEXT NOT NULL REFERENCES milestones(id) ON DELETE CASCADE,
    worked_on TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX time_entries_week ON time_entries (milestone_id);
