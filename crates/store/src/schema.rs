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
        email_verified_at -> Nullable<BigInt>,
        erased_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        device -> Text,
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
    instance_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> BigInt,
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
    feed_followers (name) {
        name -> Text,
        seq -> BigInt,
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
        created_by -> Nullable<Text>,
        shared -> Bool,
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
        messages_from -> Text,
        named_in_credentials -> Bool,
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
        questions -> Text,
        focus_skills -> Text,
        feed_token -> Text,
        vetted -> Bool,
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

diesel::table! {
    community_applications (id) {
        id -> Text,
        community_id -> Text,
        user_id -> Text,
        persona_id -> Nullable<Text>,
        answers -> Text,
        status -> Text,
        reason -> Text,
        decided_by -> Nullable<Text>,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    community_invitations (id) {
        id -> Text,
        community_id -> Text,
        token_hash -> Text,
        note -> Text,
        created_by -> Text,
        expires_at -> BigInt,
        max_uses -> Integer,
        uses -> Integer,
        revoked_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    community_posts (id) {
        id -> Text,
        community_id -> Text,
        thread_id -> Nullable<Text>,
        author_id -> Text,
        title -> Text,
        body -> Text,
        body_html -> Text,
        pinned -> Bool,
        locked -> Bool,
        hidden_at -> Nullable<BigInt>,
        hidden_by -> Nullable<Text>,
        hidden_reason -> Text,
        created_at -> BigInt,
        last_activity_at -> BigInt,
    }
}

diesel::table! {
    post_mentions (post_id, user_id) {
        post_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    post_reports (id) {
        id -> Text,
        post_id -> Text,
        reporter_id -> Text,
        reason -> Text,
        created_at -> BigInt,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    community_events (id) {
        id -> Text,
        community_id -> Text,
        title -> Text,
        description -> Text,
        starts_at -> BigInt,
        ends_at -> BigInt,
        timezone -> Text,
        online_url -> Nullable<Text>,
        place -> Nullable<Text>,
        capacity -> Nullable<Integer>,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        sequence -> BigInt,
        cancelled -> Bool,
    }
}

diesel::table! {
    event_rsvps (event_id, user_id) {
        event_id -> Text,
        user_id -> Text,
        status -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    mentoring_offers (id) {
        id -> Text,
        community_id -> Text,
        mentor_id -> Text,
        skills -> Text,
        note -> Text,
        on_real_work -> Bool,
        active -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    mentorships (id) {
        id -> Text,
        community_id -> Text,
        offer_id -> Text,
        mentor_id -> Text,
        learner_id -> Text,
        goal -> Text,
        skills -> Text,
        format -> Text,
        work -> Text,
        status -> Text,
        decided_by -> Nullable<Text>,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mentoring_sessions (id) {
        id -> Text,
        mentorship_id -> Text,
        held_on -> Text,
        minutes -> Integer,
        skills -> Text,
        notes -> Text,
        recorded_by -> Text,
        created_at -> BigInt,
        confirmed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    learning_resources (id) {
        id -> Text,
        community_id -> Text,
        title -> Text,
        url -> Text,
        provider -> Text,
        skills -> Text,
        cost_minor -> BigInt,
        currency -> Text,
        duration_minutes -> Nullable<Integer>,
        created_by -> Text,
        created_at -> BigInt,
        removed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    resource_completions (resource_id, user_id) {
        resource_id -> Text,
        user_id -> Text,
        completed_on -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    ledger_accounts (id) {
        id -> Text,
        kind -> Text,
        owner_id -> Text,
        currency -> Text,
        created_at -> BigInt,
        balance -> BigInt,
    }
}

diesel::table! {
    ledger_transactions (id) {
        id -> Text,
        kind -> Text,
        requested_by -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        memo -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    ledger_postings (transaction_id, line) {
        transaction_id -> Text,
        line -> Integer,
        account_id -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    contracts (id) {
        id -> Text,
        client_id -> Text,
        member_id -> Text,
        community_id -> Nullable<Text>,
        referrer_id -> Nullable<Text>,
        title -> Text,
        currency -> Text,
        status -> Text,
        platform_bps -> Integer,
        community_bps -> Integer,
        referral_bps -> Integer,
        review_period_ms -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
        job_id -> Nullable<Text>,
        learner_id -> Nullable<Text>,
        learner_accepted_at -> Nullable<BigInt>,
        hourly -> Bool,
        has_disputes -> Bool,
    }
}

diesel::table! {
    milestones (id) {
        id -> Text,
        contract_id -> Text,
        position -> Integer,
        title -> Text,
        amount -> BigInt,
        due_on -> Text,
        status -> Text,
        submitted_at -> Nullable<BigInt>,
        auto_release_at -> Nullable<BigInt>,
        on_time -> Nullable<Bool>,
        updated_at -> BigInt,
        change_note -> Nullable<Text>,
        by_learner -> Bool,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        client_id -> Text,
        organisation -> Text,
        title -> Text,
        description -> Text,
        skills -> Text,
        pricing -> Text,
        budget_min -> BigInt,
        budget_max -> BigInt,
        currency -> Text,
        starts_on -> Text,
        ends_on -> Text,
        hours_per_week -> Nullable<Integer>,
        remote -> Bool,
        place -> Text,
        tz_min_offset -> Integer,
        tz_max_offset -> Integer,
        community_id -> Nullable<Text>,
        status -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        occupation -> Nullable<Text>,
    }
}

diesel::table! {
    proposals (id) {
        id -> Text,
        job_id -> Text,
        member_id -> Text,
        note -> Text,
        rate_minor -> BigInt,
        availability -> Text,
        status -> Text,
        invited_by -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        job_id -> Text,
        referrer_id -> Text,
        member_id -> Text,
        note -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    reviews (id) {
        id -> Text,
        contract_id -> Text,
        author_id -> Text,
        subject_id -> Text,
        side -> Text,
        overall -> Integer,
        criteria -> Text,
        body -> Text,
        created_at -> BigInt,
        reveal_at -> BigInt,
        revealed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    disputes (id) {
        id -> Text,
        contract_id -> Text,
        milestone_id -> Text,
        opened_by -> Text,
        reason -> Text,
        opened_at -> BigInt,
        member_amount -> Nullable<BigInt>,
        resolution -> Text,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    deposit_requests (id) {
        id -> Text,
        user_id -> Text,
        provider -> Text,
        amount -> BigInt,
        currency -> Text,
        reference -> Text,
        status -> Text,
        created_at -> BigInt,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    deliveries (id) {
        id -> Text,
        contract_id -> Text,
        milestone_id -> Text,
        member_id -> Text,
        message -> Text,
        links -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    contract_files (id) {
        id -> Text,
        contract_id -> Text,
        uploaded_by -> Text,
        delivery_id -> Nullable<Text>,
        name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    message_files (id) {
        id -> Text,
        conversation_id -> Text,
        uploaded_by -> Text,
        message_id -> Nullable<Text>,
        name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    payout_methods (id) {
        id -> Text,
        user_id -> Text,
        label -> Text,
        details -> Text,
        created_at -> BigInt,
        removed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    payouts (id) {
        id -> Text,
        payee -> Text,
        source -> Text,
        requested_by -> Text,
        method_label -> Text,
        method_details -> Text,
        provider -> Text,
        amount -> BigInt,
        currency -> Text,
        status -> Text,
        hold_transaction -> Text,
        reference -> Nullable<Text>,
        reason -> Nullable<Text>,
        created_at -> BigInt,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    evidence_entries (idx) {
        idx -> BigInt,
        kind -> Text,
        at -> BigInt,
        payload_sha256 -> Text,
        leaf_hash -> Text,
        event_id -> Text,
    }
}

diesel::table! {
    evidence_payloads (idx) {
        idx -> BigInt,
        payload -> Text,
    }
}

diesel::table! {
    evidence_subjects (user_id, idx) {
        user_id -> Text,
        idx -> BigInt,
    }
}

diesel::table! {
    evidence_nodes (level, idx) {
        level -> Integer,
        idx -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    evidence_checkpoints (size) {
        size -> BigInt,
        root -> Text,
        at -> BigInt,
        key_id -> Text,
        body -> Text,
        signature -> Text,
    }
}

diesel::table! {
    suspensions (user_id) {
        user_id -> Text,
        suspended_at -> BigInt,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    operator_actions (id) {
        id -> Text,
        at -> BigInt,
        operator_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        subject -> Text,
        reason -> Text,
    }
}

diesel::joinable!(skill_labels -> skills (skill_id));
diesel::joinable!(milestones -> contracts (contract_id));

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        topic -> Text,
        event_id -> Text,
        created_at -> BigInt,
        read_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    notification_preferences (user_id, topic) {
        user_id -> Text,
        topic -> Text,
        delivery -> Text,
    }
}

diesel::table! {
    tasks (id) {
        id -> Text,
        kind -> Text,
        payload -> Text,
        state -> Text,
        attempts -> Integer,
        run_at -> BigInt,
        leased_until -> Nullable<BigInt>,
        last_error -> Text,
        created_at -> BigInt,
        finished_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    email_verifications (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        email -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    reset_requests (email_key, address, at) {
        email_key -> Text,
        address -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    conversations (id) {
        id -> Text,
        subject_kind -> Text,
        subject_id -> Nullable<Text>,
        unique_key -> Nullable<Text>,
        title -> Text,
        created_by -> Text,
        created_at -> BigInt,
        last_message_at -> BigInt,
    }
}

diesel::table! {
    conversation_members (conversation_id, user_id) {
        conversation_id -> Text,
        user_id -> Text,
        joined_at -> BigInt,
        last_read_id -> Text,
        muted -> Bool,
    }
}

diesel::table! {
    messages (id) {
        id -> Text,
        conversation_id -> Text,
        author_id -> Text,
        body -> Text,
        body_html -> Text,
        created_at -> BigInt,
        edited_at -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
        removed_by -> Nullable<Text>,
    }
}

diesel::table! {
    member_blocks (blocker_id, blocked_id) {
        blocker_id -> Text,
        blocked_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    message_reports (id) {
        id -> Text,
        message_id -> Text,
        reporter_id -> Text,
        community_id -> Nullable<Text>,
        reason -> Text,
        created_at -> BigInt,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    user_emails (user_id, email_key) {
        user_id -> Text,
        email -> Text,
        email_key -> Text,
        created_at -> BigInt,
        verified_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    second_factors (user_id) {
        user_id -> Text,
        secret -> Text,
        created_at -> BigInt,
        enabled_at -> Nullable<BigInt>,
        last_step -> BigInt,
    }
}

diesel::table! {
    recovery_codes (user_id, code_hash) {
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    pending_sign_ins (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    digest_settings (user_id) {
        user_id -> Text,
        enabled -> Bool,
        hour -> Integer,
        time_zone -> Text,
        last_sent_on -> Nullable<Text>,
        unsubscribe_key -> Text,
    }
}

diesel::table! {
    calendars (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        url -> Nullable<Text>,
        ics -> Text,
        events -> Integer,
        fetched_at -> BigInt,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    availability_feeds (user_id) {
        user_id -> Text,
        feed_key -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    saved_searches (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        wanted -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    shortlist_entries (id) {
        id -> Text,
        job_id -> Text,
        member_id -> Text,
        community_id -> Text,
        curator_id -> Text,
        note -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    exports (id) {
        id -> Text,
        user_id -> Text,
        status -> Text,
        progress -> Integer,
        step -> Text,
        file_key -> Nullable<Text>,
        size -> Nullable<BigInt>,
        error -> Nullable<Text>,
        created_at -> BigInt,
        finished_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    credentials (id) {
        id -> Text,
        holder_id -> Text,
        kind -> Text,
        subject_ref -> Text,
        status_index -> BigInt,
        document -> Text,
        issued_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
        revoked_by -> Nullable<Text>,
        revoked_reason -> Nullable<Text>,
        share_token -> Nullable<Text>,
    }
}

diesel::table! {
    contribution_credits (subject_id) {
        subject_id -> Text,
        community_id -> Text,
        user_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    revenue_shares (community_id) {
        community_id -> Text,
        share_bps -> Integer,
        period_days -> Integer,
        period_from -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    distributions (id) {
        id -> Text,
        community_id -> Text,
        period_from -> BigInt,
        period_to -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    distribution_shares (distribution_id, user_id, currency) {
        distribution_id -> Text,
        user_id -> Text,
        currency -> Text,
        points -> BigInt,
        amount -> BigInt,
    }
}

diesel::table! {
    perks (id) {
        id -> Text,
        community_id -> Text,
        title -> Text,
        description -> Text,
        min_points -> Nullable<BigInt>,
        active_contract -> Bool,
        created_by -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(distribution_shares -> distributions (distribution_id));

diesel::table! {
    hourly_terms (contract_id) {
        contract_id -> Text,
        rate -> BigInt,
        weekly_cap_hours -> Integer,
    }
}

diesel::table! {
    hourly_weeks (milestone_id) {
        milestone_id -> Text,
        contract_id -> Text,
        week_of -> Text,
    }
}

diesel::table! {
    time_entries (id) {
        id -> Text,
        contract_id -> Text,
        milestone_id -> Text,
        worked_on -> Text,
        minutes -> Integer,
        note -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    liquidity_snapshots (taken_on, scope, skill_id) {
        taken_on -> Text,
        scope -> Text,
        skill_id -> Text,
        demand_tenths -> BigInt,
        jobs -> Integer,
        supply_tenths -> BigInt,
        members -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    feed_followers,
    hourly_terms,
    liquidity_snapshots,
    hourly_weeks,
    time_entries,
    revenue_shares,
    distributions,
    distribution_shares,
    perks,
    saved_searches,
    shortlist_entries,
    calendars,
    availability_feeds,
    digest_settings,
    second_factors,
    recovery_codes,
    pending_sign_ins,
    user_emails,
    conversations,
    conversation_members,
    messages,
    member_blocks,
    message_reports,
    email_verifications,
    reset_requests,
    tasks,
    notifications,
    notification_preferences,
    credentials,
    exports,
    evidence_entries,
    evidence_payloads,
    evidence_subjects,
    evidence_nodes,
    evidence_checkpoints,
    disputes,
    deposit_requests,
    payout_methods,
    payouts,
    deliveries,
    contract_files,
    message_files,
    reviews,
    jobs,
    proposals,
    referrals,
    contracts,
    milestones,
    ledger_accounts,
    ledger_transactions,
    ledger_postings,
    community_applications,
    community_invitations,
    community_posts,
    post_mentions,
    post_reports,
    community_events,
    event_rsvps,
    mentoring_offers,
    mentorships,
    mentoring_sessions,
    learning_resources,
    resource_completions,
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
    instance_settings,
    suspensions,
    password_resets,
    operator_actions,
    sign_in_failures,
    trusted_devices,
    profile_items,
    personas,
    persona_items,
    connections,
    domain_events,
);
