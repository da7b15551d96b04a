-- Where a member wants their money sent (a bank account, in their words), and the payouts
-- they asked for. A payout copies its method, so a method changed or removed later does not
-- rewrite history. Keep in step with the other backend's copy.
CREATE TABLE payout_methods (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    details TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX payout_methods_user ON payout_methods (user_id);

CREATE TABLE payouts (
    id TEXT PRIMARY KEY NOT NULL,
    -- Whose money: a user, or a community for its share.
    payee TEXT NOT NULL,
    -- The account it is paid from: wallet, referral_rewards or community_share.
    source TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users(id),
    method_label TEXT NOT NULL,
    method_details TEXT NOT NULL,
    provider TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- pending, paid or failed.
    status TEXT NOT NULL,
    -- The ledger transaction that held the amount.
    hold_transaction TEXT NOT NULL,
    -- The provider's or operator's reference once paid; why it failed otherwise.
    reference TEXT,
    reason TEXT,
    created_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES users(id),
    decided_at BIGINT
);
-- One payout in flight per payee and currency.
CREATE UNIQUE INDEX payouts_in_flight ON payouts (payee, currency) WHERE status = 'pending';
CREATE INDEX payouts_queue ON payouts (status, created_at);
CREATE INDEX payouts_payee ON payouts (payee, created_at);
