-- Skills: the taxonomy (ESCO, programming languages) and members' own tags, their labels and
-- relations. Keep in step with ../postgres.
CREATE TABLE skills (
    id TEXT PRIMARY KEY NOT NULL,
    -- Where the skill comes from and its key there ("esco:<uri>", "linguist:<name>"); NULL for
    -- members' tags. Re-imports find skills by it, so ids and claims survive.
    source_key TEXT UNIQUE,
    uri TEXT,
    preferred_label TEXT NOT NULL,
    norm TEXT NOT NULL,
    -- skill, knowledge, language or tag.
    kind TEXT NOT NULL,
    -- esco, esco-derived (labels guessed from merged text), linguist, member.
    source TEXT NOT NULL,
    merged_into TEXT REFERENCES skills(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX skills_norm ON skills(norm);

CREATE TABLE skill_labels (
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    norm TEXT NOT NULL,
    label TEXT NOT NULL,
    -- preferred, alt, alias (from a merge).
    kind TEXT NOT NULL,
    PRIMARY KEY (skill_id, norm)
);
CREATE INDEX skill_labels_norm ON skill_labels(norm);

CREATE TABLE skill_relations (
    from_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    to_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    -- broader (from is narrower than to) or related.
    kind TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id, kind)
);
CREATE INDEX skill_relations_to ON skill_relations(to_id);
