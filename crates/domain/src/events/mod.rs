//! The vocabulary of what happens in Guildhall: one [`Event`] variant per kind, each with a
//! typed payload that names its parties (`client`, `member`, `referrer`, …).
//!
//! Every event is stored as [`Parts`]: who acted, the ids it concerns in a fixed order (the
//! feed's `subject_ids`, which nodes use to evict cached profiles), and a `data` object. Those
//! parts are what the change feed keeps and what an evidence entry's payload commits to, so
//! their encoding is a published format: a payload's [`Layout`] says which of its fields go
//! where, and the snapshot tests in `tests/events.rs` pin the bytes of every kind. Kinds
//! written in older shapes decode too: their extra or missing keys are optional fields that
//! are written back exactly as they were.

mod accounts;
mod communities;
mod conversations;
mod credentials;
mod erasure;
mod instance;
mod layout;
mod skills;
mod work;

pub use accounts::*;
pub use communities::*;
pub use conversations::*;
pub use credentials::*;
pub use instance::*;
pub use layout::{Layout, Parts, SYSTEM};
pub use skills::*;
pub use work::*;

use serde_json::{Value, json};

/// Why stored parts are not an event.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The kind is not in the vocabulary.
    #[error("no event is called {0:?}")]
    UnknownKind(String),
    /// The parts do not fit the kind's payload.
    #[error("a stored {kind} event does not fit its payload: {source}")]
    Shape {
        /// The kind.
        kind: &'static str,
        /// What did not fit.
        source: serde_json::Error,
    },
    /// An evidence payload lacks one of its envelope's keys.
    #[error("an evidence payload has no {0:?}")]
    Envelope(&'static str),
}

/// Declares the vocabulary: each variant, its stored kind name, and whether it is evidence.
macro_rules! vocabulary {
    ($( $(#[$doc:meta])* $variant:ident($payload:ty) = $kind:literal $(, $evidence:ident)?; )*) => {
        /// Everything that happens, as one typed value per kind.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Event {
            $( $(#[$doc])* $variant($payload), )*
        }

        impl Event {
            /// Every kind's stored name, in declaration order.
            pub const KINDS: &'static [&'static str] = &[$($kind),*];

            /// The stored name of this event's kind, such as `work.milestone_delivered`.
            pub fn kind(&self) -> &'static str {
                match self { $( Event::$variant(_) => $kind, )* }
            }

            /// Whether this kind is evidence: appended to the evidence log, which reputation
            /// and trust are computed from.
            pub fn is_evidence(&self) -> bool {
                match self { $( Event::$variant(_) => vocabulary!(@evidence $($evidence)?), )* }
            }

            /// The stored names of the kinds that are evidence.
            pub fn evidence_kinds() -> Vec<&'static str> {
                [$( ($kind, vocabulary!(@evidence $($evidence)?)) ),*]
                    .into_iter()
                    .filter_map(|(kind, evidence)| evidence.then_some(kind))
                    .collect()
            }

            /// The parts the event is stored as.
            pub fn parts(&self) -> Parts {
                match self { $( Event::$variant(p) => Parts::of(p), )* }
            }

            /// The event stored as `kind` with `parts`.
            pub fn from_parts(kind: &str, parts: &Parts) -> Result<Event, EventError> {
                match kind {
                    $( $kind => parts
                        .to_payload()
                        .map(Event::$variant)
                        .map_err(|source| EventError::Shape { kind: $kind, source }), )*
                    other => Err(EventError::UnknownKind(other.to_string())),
                }
            }
        }
    };
    (@evidence evidence) => { true };
    (@evidence) => { false };
}

vocabulary! {
    /// An account was created.
    AccountCreated(AccountCreated) = "account.created";
    /// A member erased their account.
    AccountErased(AccountErased) = "account.erased";
    /// A password was changed.
    PasswordChanged(PasswordChanged) = "account.password_changed";
    /// A member signed in (a new session).
    SignedIn(SignedIn) = "account.signed_in";
    /// A session ended.
    SignedOut(SignedOut) = "account.signed_out";
    /// An API token was created.
    TokenCreated(TokenCreated) = "token.created";
    /// An API token was revoked.
    TokenRevoked(TokenRevoked) = "token.revoked";
    /// A profile item was added.
    ItemAdded(ItemChanged) = "profile.item_added";
    /// A profile item was changed.
    ItemUpdated(ItemChanged) = "profile.item_updated";
    /// A profile item was removed.
    ItemRemoved(ItemRemoved) = "profile.item_removed";
    /// A persona was created.
    PersonaCreated(PersonaCreated) = "persona.created";
    /// A persona was changed.
    PersonaUpdated(PersonaUpdated) = "persona.updated";
    /// A persona was removed.
    PersonaRemoved(PersonaRemoved) = "persona.removed";
    /// A connection was requested.
    ConnectionRequested(ConnectionAnswered) = "connection.requested";
    /// A connection request was accepted.
    ConnectionAccepted(ConnectionAnswered) = "connection.accepted";
    /// A connection request was declined.
    ConnectionDeclined(ConnectionAnswered) = "connection.declined";
    /// A connection was removed, or a request withdrawn.
    ConnectionRemoved(ConnectionRemoved) = "connection.removed";
    /// A member changed who may suggest skills to them.
    SuggestionsSettingChanged(SuggestionsSettingChanged) = "settings.suggestions_changed";
    /// A member changed whether others' credentials may name them.
    CredentialNamingChanged(CredentialNamingChanged) = "settings.credential_naming_changed";

    /// A member's own tag entered the taxonomy.
    TagCreated(TagCreated) = "skill.tag_created";
    /// A member suggested a skill to another.
    SkillSuggested(SkillSuggested) = "skill.suggested";
    /// A member accepted a suggested skill: the suggester vouched for it.
    SuggestionAccepted(SuggestionAccepted) = "skill.suggestion_accepted", evidence;
    /// A member declined a suggested skill.
    SuggestionDeclined(SuggestionDeclined) = "skill.suggestion_declined";
    /// A member endorsed another's skill.
    SkillEndorsed(SkillEndorsed) = "skill.endorsed", evidence;
    /// A curator recorded their assessment of a member's skill.
    SkillAssessed(SkillAssessed) = "skill.assessed", evidence;
    /// An operator merged a member's tag into a taxonomy skill.
    SkillMerged(SkillMerged) = "skill.merged";
    /// An operator undid a merge.
    SkillUnmerged(SkillUnmerged) = "skill.unmerged";

    /// A community was created.
    CommunityCreated(CommunityCreated) = "community.created";
    /// A community's settings were changed.
    CommunityUpdated(CommunityUpdated) = "community.updated";
    /// Operators vetted a community: its staff seed trust.
    CommunityVetted(CommunityVetted) = "community.vetted";
    /// Operators withdrew a community's vetting.
    CommunityUnvetted(CommunityVetted) = "community.unvetted";
    /// A member joined a community.
    Joined(Joined) = "community.joined";
    /// A member left a community.
    Left(Left) = "community.left";
    /// A member's role in a community changed.
    RoleChanged(RoleChanged) = "community.role_changed";
    /// A member was removed from a community.
    MemberRemoved(MemberRemoved) = "community.member_removed";
    /// A member chose the persona a community sees.
    PersonaChosen(PersonaChosen) = "community.persona_chosen";
    /// A member applied to a curated community.
    Applied(Applied) = "community.applied";
    /// An applicant withdrew their application.
    ApplicationWithdrawn(Applied) = "community.application_withdrawn";
    /// A curator admitted an applicant.
    ApplicationApproved(ApplicationDecided) = "community.application_approved";
    /// A curator declined an application.
    ApplicationDeclined(ApplicationDecided) = "community.application_declined";
    /// A curator put an application on the waiting list.
    ApplicationWaitlisted(ApplicationDecided) = "community.application_waitlisted";
    /// A curator created an invitation.
    InvitationCreated(InvitationCreated) = "community.invitation_created";
    /// A curator revoked an invitation.
    InvitationRevoked(InvitationRevoked) = "community.invitation_revoked";
    /// A member started a discussion thread.
    ThreadStarted(ThreadStarted) = "community.thread_started";
    /// A member replied in a thread.
    Replied(Replied) = "community.replied";
    /// A curator hid, restored or locked a post.
    PostModerated(PostModerated) = "community.post_moderated";
    /// A member reported a post to the curators.
    PostReported(PostReported) = "community.post_reported";
    /// A member started a conversation, or opened the one of a job, proposal, contract or
    /// community.
    ConversationStarted(ConversationStarted) = "conversation.started";
    /// A member sent a message.
    MessageSent(MessageSent) = "conversation.message_sent";
    /// A member edited their message.
    MessageEdited(MessageChanged) = "conversation.message_edited";
    /// A member deleted their message.
    MessageDeleted(MessageChanged) = "conversation.message_deleted";
    /// A member reported a message.
    MessageReported(MessageReported) = "conversation.message_reported";
    /// A curator or operator removed a reported message.
    MessageRemoved(MessageRemoved) = "conversation.message_removed";
    /// A member blocked another.
    MemberBlocked(Blocked) = "account.blocked";
    /// A member unblocked another.
    MemberUnblocked(Blocked) = "account.unblocked";
    /// A member changed who may start conversations with them.
    MessagesSettingChanged(MessagesSettingChanged) = "settings.messages_changed";
    /// An event (a gathering) was scheduled.
    GatheringCreated(GatheringCreated) = "community.event_created";
    /// A gathering was changed or cancelled.
    GatheringUpdated(GatheringUpdated) = "community.event_updated";
    /// A member answered a gathering's invitation.
    Rsvp(Rsvp) = "community.rsvp";
    /// A place freed up and a waitlisted member got it.
    RsvpPromoted(RsvpChanged) = "community.rsvp_promoted";
    /// A member withdrew their answer.
    RsvpCancelled(RsvpChanged) = "community.rsvp_cancelled";
    /// A learning resource was added.
    ResourceAdded(ResourceAdded) = "community.resource_added";
    /// A learning resource was removed.
    ResourceRemoved(ResourceRemoved) = "community.resource_removed";
    /// A member completed a learning resource.
    ResourceCompleted(ResourceCompleted) = "community.resource_completed";
    /// A member offered mentoring.
    MentoringOffered(MentoringOffered) = "community.mentoring_offered";
    /// A mentor withdrew an offer.
    MentoringWithdrawn(MentoringWithdrawn) = "community.mentoring_withdrawn";
    /// A learner asked a mentor.
    MentoringRequested(MentoringRequested) = "community.mentoring_requested";
    /// A mentor took a learner on.
    MentoringAccepted(MentoringAnswered) = "community.mentoring_accepted";
    /// A mentor declined a request.
    MentoringDeclined(MentoringAnswered) = "community.mentoring_declined";
    /// One partner recorded a mentoring session.
    SessionRecorded(SessionRecorded) = "community.mentoring_session_recorded";
    /// The other partner confirmed a session: evidence of mentoring.
    MentoringSession(MentoringSession) = "community.mentoring_session", evidence;

    /// A client posted a job.
    JobPosted(JobPosted) = "work.job_posted";
    /// A job's status changed.
    JobStatusChanged(JobStatusChanged) = "work.job_status";
    /// A member proposed for a job.
    Proposed(Proposed) = "work.proposed";
    /// A member was invited to propose.
    InvitedToPropose(InvitedToPropose) = "work.invited";
    /// A member was referred to a job.
    Referred(Referred) = "work.referred";
    /// A curator put a member of their community forward for a client's job.
    Shortlisted(Shortlisted) = "work.shortlisted";
    /// A member was taken off a job's shortlist.
    Unshortlisted(Unshortlisted) = "work.unshortlisted";
    /// A client shortlisted or declined a proposal.
    ProposalReviewed(ProposalReviewed) = "work.proposal_reviewed";
    /// A referred member was hired: the referrer's evidence.
    ReferralHired(ReferralHired) = "work.referral_hired", evidence;
    /// A client offered a contract.
    ContractOffered(ContractOffered) = "work.contract_offered";
    /// The member accepted an offer.
    ContractStarted(OfferAnswered) = "work.contract_started", evidence;
    /// The member declined an offer.
    OfferDeclined(OfferAnswered) = "work.offer_declined", evidence;
    /// The client (or a suspension) withdrew an offer; not evidence about the member.
    OfferWithdrawn(OfferAnswered) = "work.offer_withdrawn";
    /// The learner of a paired offer accepted their part; the member starts the contract.
    LearnerJoined(OfferAnswered) = "work.learner_joined";
    /// A client put a milestone's amount into escrow.
    MilestoneFunded(MilestoneFunded) = "work.milestone_funded";
    /// The member delivered a milestone, on time or late.
    MilestoneDelivered(MilestoneDelivered) = "work.milestone_delivered", evidence;
    /// The client accepted a delivery.
    MilestoneAccepted(MilestoneAccepted) = "work.milestone_accepted", evidence;
    /// The client asked for changes to a delivery.
    ChangesRequested(ChangesRequested) = "work.changes_requested";
    /// A milestone's escrow was paid out.
    MilestoneReleased(MilestoneReleased) = "work.milestone_released", evidence;
    /// Every milestone was settled and at least one paid.
    ContractCompleted(ContractCompleted) = "work.contract_completed", evidence;
    /// A contract ended early.
    ContractCancelled(ContractCancelled) = "work.contract_cancelled", evidence;
    /// A party disputed a milestone in escrow.
    DisputeOpened(DisputeOpened) = "work.dispute_opened";
    /// An operator divided a disputed milestone.
    DisputeResolved(DisputeResolved) = "work.dispute_resolved", evidence;
    /// A party wrote their review (hidden until both are in or the time runs out).
    ReviewWritten(ReviewWritten) = "work.review_written";
    /// A review became visible.
    ReviewRevealed(ReviewRevealed) = "work.review_revealed", evidence;
    /// A member asked to deposit money.
    DepositRequested(DepositRequested) = "work.deposit_requested";
    /// An operator confirmed a deposit.
    DepositConfirmed(DepositConfirmed) = "work.deposit_confirmed";
    /// A deposit request was cancelled.
    DepositCancelled(DepositCancelled) = "work.deposit_cancelled";
    /// An operator recorded money arriving for a member, or paid out to them.
    TransferRecorded(TransferRecorded) = "work.transfer_recorded";
    /// A member asked for a payout; its amount is held until it is paid or fails.
    PayoutRequested(PayoutRequested) = "work.payout_requested";
    /// A payout was paid.
    PayoutPaid(PayoutPaid) = "work.payout_paid";
    /// A payout failed and its amount went back.
    PayoutFailed(PayoutFailed) = "work.payout_failed";
    /// A member logged time in a week of an hourly contract.
    TimeLogged(TimeLogged) = "work.time_logged";
    /// A member took logged time out of a week not yet submitted.
    TimeRemoved(TimeLogged) = "work.time_removed";
    /// A member's part of their community's member pool paid to them.
    ShareDistributed(ShareDistributed) = "work.share_distributed";
    /// An owner set the members' part of the community's share.
    RevenueShareSet(RevenueShareSet) = "community.revenue_share_set";
    /// A curator listed a perk.
    PerkAdded(PerkAdded) = "community.perk_added";
    /// A curator took a perk off the list.
    PerkRemoved(PerkRemoved) = "community.perk_removed";

    /// Money entered the ledger.
    LedgerDeposit(LedgerPosted) = "ledger.deposit";
    /// A client's money moved into a milestone's escrow.
    LedgerFund(LedgerPosted) = "ledger.fund";
    /// A milestone's escrow was paid out, shares split off.
    LedgerRelease(LedgerPosted) = "ledger.release";
    /// Escrow went back to the client.
    LedgerRefund(LedgerPosted) = "ledger.refund";
    /// Money left the ledger to a member.
    LedgerPayout(LedgerPosted) = "ledger.payout";
    /// A payout's amount was held until it is paid or fails.
    LedgerPayoutHeld(LedgerPosted) = "ledger.payout_held";
    /// A failed payout's amount went back where it came from.
    LedgerPayoutReturned(LedgerPosted) = "ledger.payout_returned";
    /// A community's member pool shared out.
    LedgerDistribution(LedgerPosted) = "ledger.distribution";

    /// Evidence payloads about a member were erased (their proofs stay valid).
    EvidenceErased(EvidenceErased) = "evidence.erased";
    /// The instance issued a credential to a member.
    CredentialIssued(CredentialIssued) = "credential.issued", evidence;
    /// A credential was revoked; its status bit is set.
    CredentialRevoked(CredentialRevoked) = "credential.revoked", evidence;
    /// Reference skills were imported into the taxonomy.
    TaxonomyImported(TaxonomyImported) = "taxonomy.imported";
    /// An operator changed the instance's policy.
    PolicyChanged(PolicyChanged) = "instance.policy_changed";
    /// A benchmark's baseline write (`guildhall bench contracts`); never written by a server.
    BenchBaseline(BenchBaseline) = "bench.baseline";
}

impl Event {
    /// The payload an evidence entry commits to: the event's id, kind and parts, with the
    /// parties as the `members` who may see it and erase it.
    pub fn evidence_payload(&self, event_id: &str, parts: &Parts) -> Value {
        json!({"event": event_id, "kind": self.kind(), "actor": parts.actor,
               "subjects": parts.subjects, "members": parts.parties, "data": parts.data})
    }

    /// The event an evidence payload of `kind` holds.
    pub fn from_evidence(kind: &str, payload: &Value) -> Result<Event, EventError> {
        let subjects = payload
            .get("subjects")
            .and_then(Value::as_array)
            .ok_or(EventError::Envelope("subjects"))?
            .iter()
            .map(|s| s.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or(EventError::Envelope("subjects"))?;
        let parts = Parts {
            actor: payload
                .get("actor")
                .and_then(Value::as_str)
                .map(str::to_string),
            subjects,
            data: payload
                .get("data")
                .cloned()
                .ok_or(EventError::Envelope("data"))?,
            parties: Vec::new(),
        };
        Event::from_parts(kind, &parts)
    }
}
