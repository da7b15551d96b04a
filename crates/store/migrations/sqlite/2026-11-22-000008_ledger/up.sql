-- The double-entry ledger. Balances are never stored: an account's balance is the sum of its
-- postings. Keep in step with ../postgres.
CREATE TABLE ledger_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    -- wallet, escrow, platform_revenue, community_share, referral_rewards or external.
    kind TEXT NOT NULL,
    -- A user, a contract, a community, 'platform' or a payment provider.
    owner_id TEXT NOT NULL,
    -- ISO 4217.
    currency TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, owner_id, currency)
);

CREATE TABLE ledger_transactions (
    id TEXT PRIMARY KEY NOT NULL,
    -- deposit, fund, release, refund or payout.
    kind TEXT NOT NULL,
    -- Who asked, and the key they sent: a replay of the same key returns this transaction.
    requested_by TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    -- SHA-256 of the request, so a key reused for a different request is refused.
    request_hash TEXT NOT NULL,
    -- JSON: what the money was for (contract, milestone, the split of a release).
    memo TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (requested_by, idempotency_key)
);

CREATE TABLE ledger_postings (
    transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id),
    line INTEGER NOT NULL,
    account_id TEXT NOT NULL REFERENCES ledger_accounts(id),
    -- Minor units; positive adds to the account.
    amount BIGINT NOT NULL,
    PRIMARY KEY (transaction_id, line)
);
CREATE INDEX ledger_postings_account ON ledger_postings(account_id);
