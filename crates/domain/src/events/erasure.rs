//! Erasure in the change feed: a feed row about an erased account keeps its ids, amounts and
//! dates, which others' records and the evidence log point at, and loses the words a person
//! wrote or that describe them.

use super::Event;

impl Event {
    /// Takes out of this event the free text written by or about a person, and puts `handle`
    /// in place of an erased account's handle. Every kind is named below, so a new kind with
    /// words in it cannot be forgotten: the compiler asks where it goes.
    pub fn scrub(&mut self, handle: &str) {
        match self {
            Event::AccountCreated(e) => e.handle = handle.to_string(),
            Event::TokenCreated(e) => e.name.clear(),
            Event::PersonaCreated(e) => e.name.clear(),
            Event::TagCreated(e) => e.label.clear(),
            Event::SkillAssessed(e) => e.note.clear(),
            Event::SkillMerged(e) => e.tag.clear(),
            Event::MemberRemoved(e) => e.reason.clear(),
            Event::ApplicationApproved(e) => e.reason.clear(),
            Event::ApplicationDeclined(e) => e.reason.clear(),
            Event::ApplicationWaitlisted(e) => e.reason.clear(),
            Event::PostModerated(e) => e.reason.clear(),
            Event::CredentialRevoked(e) => e.reason.clear(),
            Event::Referred(e) => e.note.clear(),
            Event::ChangesRequested(e) => e.note.clear(),
            Event::ContractCancelled(e) => e.reason.clear(),
            Event::DisputeOpened(e) => e.reason.clear(),
            Event::DisputeResolved(e) => e.note.clear(),
            Event::PayoutFailed(e) => e.reason.clear(),
            Event::PasswordChanged(_)
            | Event::SignedIn(_)
            | Event::SignedOut(_)
            | Event::TokenRevoked(_)
            | Event::ItemAdded(_)
            | Event::ItemUpdated(_)
            | Event::ItemRemoved(_)
            | Event::PersonaUpdated(_)
            | Event::PersonaRemoved(_)
            | Event::ConnectionRequested(_)
            | Event::ConnectionAccepted(_)
            | Event::ConnectionDeclined(_)
            | Event::ConnectionRemoved(_)
            | Event::SuggestionsSettingChanged(_)
            | Event::CredentialNamingChanged(_)
            | Event::SkillSuggested(_)
            | Event::SuggestionAccepted(_)
            | Event::SuggestionDeclined(_)
            | Event::SkillEndorsed(_)
            | Event::SkillUnmerged(_)
            | Event::CommunityCreated(_)
            | Event::CommunityUpdated(_)
            | Event::CommunityVetted(_)
            | Event::CommunityUnvetted(_)
            | Event::Joined(_)
            | Event::Left(_)
            | Event::RoleChanged(_)
            | Event::PersonaChosen(_)
            | Event::Applied(_)
            | Event::ApplicationWithdrawn(_)
            | Event::InvitationCreated(_)
            | Event::InvitationRevoked(_)
            | Event::ThreadStarted(_)
            | Event::Replied(_)
            | Event::PostReported(_)
            | Event::ConversationStarted(_)
            | Event::MessageSent(_)
            | Event::MessageEdited(_)
            | Event::MessageDeleted(_)
            | Event::MessageReported(_)
            | Event::MessageRemoved(_)
            | Event::MemberBlocked(_)
            | Event::MemberUnblocked(_)
            | Event::MessagesSettingChanged(_)
            | Event::GatheringCreated(_)
            | Event::GatheringUpdated(_)
            | Event::Rsvp(_)
            | Event::RsvpPromoted(_)
            | Event::RsvpCancelled(_)
            | Event::ResourceAdded(_)
            | Event::ResourceRemoved(_)
            | Event::ResourceCompleted(_)
            | Event::MentoringOffered(_)
            | Event::MentoringWithdrawn(_)
            | Event::MentoringRequested(_)
            | Event::MentoringAccepted(_)
            | Event::MentoringDeclined(_)
            | Event::SessionRecorded(_)
            | Event::MentoringSession(_)
            | Event::JobPosted(_)
            | Event::JobStatusChanged(_)
            | Event::Proposed(_)
            | Event::InvitedToPropose(_)
            | Event::Shortlisted(_)
            | Event::Unshortlisted(_)
            | Event::ProposalReviewed(_)
            | Event::ReferralHired(_)
            | Event::ContractOffered(_)
            | Event::ContractStarted(_)
            | Event::OfferDeclined(_)
            | Event::OfferWithdrawn(_)
            | Event::LearnerJoined(_)
            | Event::MilestoneFunded(_)
            | Event::MilestoneDelivered(_)
            | Event::MilestoneAccepted(_)
            | Event::MilestoneReleased(_)
            | Event::ContractCompleted(_)
            | Event::ReviewWritten(_)
            | Event::ReviewRevealed(_)
            | Event::DepositRequested(_)
            | Event::DepositConfirmed(_)
            | Event::DepositCancelled(_)
            | Event::TransferRecorded(_)
            | Event::PayoutRequested(_)
            | Event::PayoutPaid(_)
            | Event::TimeLogged(_)
            | Event::TimeRemoved(_)
            | Event::ShareDistributed(_)
            | Event::RevenueShareSet(_)
            | Event::PerkAdded(_)
            | Event::PerkRemoved(_)
            | Event::LedgerDeposit(_)
            | Event::LedgerFund(_)
            | Event::LedgerRelease(_)
            | Event::LedgerRefund(_)
            | Event::LedgerPayout(_)
            | Event::LedgerPayoutHeld(_)
            | Event::LedgerPayoutReturned(_)
            | Event::LedgerDistribution(_)
            | Event::EvidenceErased(_)
            | Event::CredentialIssued(_)
            | Event::TaxonomyImported(_)
            | Event::PolicyChanged(_)
            | Event::BenchBaseline(_)
            | Event::AccountErased(_) => {}
        }
    }
}
