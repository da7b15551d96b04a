//! Diesel table definitions, the one schema both backends share. Kept by hand in step with
//! `migrations/sqlite` and `migrations/postgres`; `tests/migrations.rs` checks all three agree.

diesel::table! {
    users (id) {
        id -> Text,
        handle -> Text,
        email -> Text,
        email_key -> Text,
        password_hash -> Text,
        is_operator -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        prefix -> Text,
        created_at -> BigInt,
        last_used_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Text,
        account_key -> Text,
        address -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    trusted_devices (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    profile_items (id) {
        id -> Text,
        owner_id -> Text,
        kind -> Text,
        position -> Integer,
        audiences -> Text,
        data -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    personas (id) {
        id -> Text,
        owner_id -> Text,
        name -> Text,
        headline -> Text,
        summary -> Text,
        link_token -> Text,
        link_audience -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    persona_items (persona_id, item_id) {
        persona_id -> Text,
        item_id -> Text,
        position -> Integer,
    }
}

diesel::table! {
    connections (id) {
        id -> Text,
        requester_id -> Text,
        addressee_id -> Text,
        pair_key -> Text,
        status -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    domain_events (seq) {
        seq -> BigInt,
        id -> Text,
        event_type -> Text,
        actor_id -> Nullable<Text>,
        subject_ids -> Text,
        occurred_at -> BigInt,
        payload -> Text,
    }
}

diesel::table! {
    skills (id) {
        id -> Text,
        source_key -> Nullable<Text>,
        uri -> Nullable<Text>,
        preferred_label -> Text,
        norm -> Text,
        kind -> Text,
        source -> Text,
        merged_into -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    skill_labels (skill_id, norm) {
        skill_id -> Text,
        norm -> Text,
        label -> Text,
        kind -> Text,
    }
}

diesel::table! {
    skill_relations (from_id, to_id, kind) {
        from_id -> Text,
        to_id -> Text,
        kind -> Text,
    }
}

diesel::table! {
    skill_suggestions (id) {
        id -> Text,
        member_id -> Text,
        suggester_id -> Text,
        skill_id -> Text,
        note -> Text,
        status -> Text,
        item_id -> Nullable<Text>,
        created_at -> BigInt,
        answered_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    endorsements (id) {
        id -> Text,
        item_id -> Text,
        endorser_id -> Text,
        relation -> Text,
        note -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    member_settings (user_id) {
        user_id -> Text,
        suggestions_from -> Text,
    }
}

diesel::table! {
    skill_merges (id) {
        id -> Text,
        tag_id -> Text,
        skill_id -> Text,
        moved -> Text,
        merged_by -> Text,
        merged_at -> BigInt,
        undone_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    search_docs (item_id) {
        item_id -> Text,
        owner_id -> Text,
        kind -> Text,
        audiences -> Text,
        skill_id -> Nullable<Text>,
        body -> Text,
    }
}

diesel::table! {
    communities (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        description -> Text,
        visibility -> Text,
        admission -> Text,
        member_cap -> Nullable<Integer>,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    community_members (community_id, user_id) {
        community_id -> Text,
        user_id -> Text,
        role -> Text,
        persona_id -> Nullable<Text>,
        joined_at -> BigInt,
    }
}

diesel::joinable!(skill_labels -> skills (skill_id));

diesel::allow_tables_to_appear_in_same_query!(
    communities,
    community_members,
    search_docs,
    skill_merges,
    skill_suggestions,
    endorsements,
    member_settings,
    skills,
    skill_labels,
    skill_relations,
    users,
    sessions,
    api_tokens,
    sign_in_failures,
    trusted_devices,
    profile_items,
    personas,
    persona_items,
    connections,
    domain_events,
);
