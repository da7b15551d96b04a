-- A client's contracts by when they were offered: the daily offer allowance reads the newest
-- few instead of every contract the client ever offered, and lookups by client alone use the
-- index's first column as before. Keep in step with the other backend's copy.
DROP INDEX contracts_client;
CREATE INDEX contracts_client ON contracts (client_id, created_at);
