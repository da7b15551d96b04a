-- Each ledger account keeps its balance beside it, changed in the transaction that posts to
-- it, so checking one costs the same however long the account's history grows. The audit
-- checks it against the sum of the postings. Keep in step with the other backend's copy.
ALTER TABLE ledger_accounts ADD COLUMN balance BIGINT NOT NULL DEFAULT 0;
UPDATE ledger_accounts SET balance = (
    SELECT COALESCE(SUM(p.amount), 0) FROM ledger_postings p WHERE p.account_id = ledger_accounts.id
);
