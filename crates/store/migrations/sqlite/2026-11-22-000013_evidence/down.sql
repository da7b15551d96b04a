DROP TABLE evidence_checkpoints;
DROP TABLE evidence_nodes;
DROP TABLE evidence_subjects;
DROP TABLE evidence_payloads;
DROP TABLE evidence_entries;
