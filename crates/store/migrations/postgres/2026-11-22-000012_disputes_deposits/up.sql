-- Disputes over a milestone's escrow, and deposits members ask for through a payment provider.
-- Keep in step with ../sqlite.
CREATE TABLE disputes (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    milestone_id TEXT NOT NULL REFERENCES milestones(id),
    opened_by TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    -- Set when an operator resolves it: minor units paid to the member (the rest of the
    -- milestone went back to the client), and why.
    member_amount BIGINT,
    resolution TEXT NOT NULL DEFAULT '',
    resolved_by TEXT REFERENCES users(id),
    resolved_at BIGINT
);
-- One open dispute per contract, even when both sides open one at once.
CREATE UNIQUE INDEX disputes_open ON disputes(contract_id) WHERE resolved_at IS NULL;
CREATE INDEX disputes_queue ON disputes(resolved_at, opened_at);

CREATE TABLE deposit_requests (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    -- The payment provider that takes the money (manual: an operator confirms the transfer).
    provider TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- What the member quotes with the payment, so it can be matched.
    reference TEXT NOT NULL UNIQUE,
    -- pending, confirmed or cancelled.
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES users(id),
    decided_at BIGINT
);
CREATE INDEX deposit_requests_queue ON deposit_requests(status, created_at);
CREATE INDEX deposit_requests_user ON deposit_requests(user_id, created_at);
