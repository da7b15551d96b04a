-- The evidence log (see docs/evidence.md). Entries are leaves of an RFC 9162 Merkle tree and are
-- never changed or removed; payloads are kept apart so a member's personal data can be erased
-- without breaking a proof. Hashes are lowercase hex. Keep in step with ../sqlite.
CREATE TABLE evidence_entries (
    -- Position in the log, from 0, with no gaps.
    idx BIGINT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    -- SHA-256(0x00 || canonical JSON of the header).
    leaf_hash TEXT NOT NULL,
    -- The change-feed event that caused it.
    event_id TEXT NOT NULL UNIQUE
);

CREATE TABLE evidence_payloads (
    idx BIGINT PRIMARY KEY NOT NULL REFERENCES evidence_entries(idx),
    -- Canonical JSON (RFC 8785): its SHA-256 is the header's payload_sha256.
    payload TEXT NOT NULL
);

-- Which members an entry is about, to find a member's evidence (erased with the payloads).
CREATE TABLE evidence_subjects (
    user_id TEXT NOT NULL,
    idx BIGINT NOT NULL REFERENCES evidence_entries(idx),
    PRIMARY KEY (user_id, idx)
);

-- Hashes of complete subtrees: level 0 holds the leaves, level l the subtree of 2^l leaves
-- starting at leaf idx * 2^l. Proofs read O(log^2 n) of them.
CREATE TABLE evidence_nodes (
    level INTEGER NOT NULL,
    idx BIGINT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE evidence_checkpoints (
    size BIGINT PRIMARY KEY NOT NULL,
    root TEXT NOT NULL,
    at BIGINT NOT NULL,
    key_id TEXT NOT NULL,
    -- The signed body as canonical JSON, and the Ed25519 signature over it.
    body TEXT NOT NULL,
    signature TEXT NOT NULL
);
