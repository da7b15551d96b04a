-- Contracts between a client and a member, paid milestone by milestone through escrow.
-- Keep in step with ../postgres.
CREATE TABLE contracts (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES users(id),
    member_id TEXT NOT NULL REFERENCES users(id),
    -- The community the work came through, which shares in releases.
    community_id TEXT REFERENCES communities(id) ON DELETE SET NULL,
    -- The member who referred the worker, rewarded on releases.
    referrer_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    -- ISO 4217; every milestone is in it.
    currency TEXT NOT NULL,
    -- offered, active, completed, cancelled or disputed.
    status TEXT NOT NULL,
    -- The rates agreed when it was offered, in basis points.
    platform_bps INTEGER NOT NULL,
    community_bps INTEGER NOT NULL,
    referral_bps INTEGER NOT NULL,
    -- How long a client has to answer a delivery before it is released automatically.
    review_period_ms BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contracts_client ON contracts(client_id);
CREATE INDEX contracts_member ON contracts(member_id);

CREATE TABLE milestones (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    -- Minor units of the contract's currency.
    amount BIGINT NOT NULL,
    -- YYYY-MM-DD: deliveries after it are late.
    due_on TEXT NOT NULL,
    -- pending, funded, submitted, changes_requested, accepted, released, refunded, cancelled.
    status TEXT NOT NULL,
    submitted_at BIGINT,
    -- When an unanswered delivery is released automatically.
    auto_release_at BIGINT,
    -- Set at the first delivery.
    on_time BOOLEAN,
    updated_at BIGINT NOT NULL,
    UNIQUE (contract_id, position)
);
-- The auto-release job looks for submitted milestones whose time has come.
CREATE INDEX milestones_auto_release ON milestones(status, auto_release_at);
