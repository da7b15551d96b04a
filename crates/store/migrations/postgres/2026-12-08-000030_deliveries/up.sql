-- What a member delivers for a milestone: a message, links, and files. A file is uploaded to
-- the contract first and attached when the delivery is made; its bytes live in the file store
-- under their SHA-256, which the delivery's evidence entry also holds. Keep in step with the
-- other backend's copy.
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    milestone_id TEXT NOT NULL,
    member_id TEXT NOT NULL REFERENCES users(id),
    message TEXT NOT NULL,
    -- A JSON array of addresses.
    links TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX deliveries_contract ON deliveries (contract_id, created_at);

CREATE TABLE contract_files (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    -- Set when a delivery carries it.
    delivery_id TEXT REFERENCES deliveries(id),
    name TEXT NOT NULL,
    -- As read from the content, not as the browser claimed.
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX contract_files_contract ON contract_files (contract_id);
