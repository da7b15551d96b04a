DROP INDEX contracts_client;
CREATE INDEX contracts_client ON contracts(client_id);
