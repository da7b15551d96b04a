//! Who is told about what. Every event someone else should know about names the people to
//! tell and a [`Topic`], by variant: the use case that records the event creates their
//! notifications in the same transaction. Members choose per topic how they hear of it
//! ([`Delivery`]). Nobody is told of their own act.

use crate::events::Event;

/// What a notification is about, as a member sets how to hear of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    /// Someone asked to connect.
    ConnectionRequests,
    /// Someone accepted my request to connect.
    ConnectionsAccepted,
    /// A peer suggested a skill for my profile.
    SkillSuggestions,
    /// A peer endorsed one of my skills.
    Endorsements,
    /// Someone applied to a community I curate.
    Applications,
    /// A community decided on my application.
    ApplicationDecisions,
    /// A new message in one of my conversations.
    Messages,
    /// Someone mentioned me in a discussion or a conversation.
    Mentions,
    /// Someone replied in a discussion I took part in.
    Replies,
    /// An event I am going to changed, or a place opened for me.
    EventChanges,
    /// Mentoring asked of me, or answers to what I asked.
    Mentoring,
    /// Proposals for my jobs, and answers to my proposals.
    Proposals,
    /// I was invited or referred to propose for a job.
    Invitations,
    /// Contracts offered to me, answers to my offers, contracts ended early.
    Offers,
    /// A client funded a milestone of my contract.
    MilestonesFunded,
    /// Work delivered for me to accept.
    Deliveries,
    /// My delivery accepted, or changes asked.
    Acceptances,
    /// Money released to me.
    Payments,
    /// A review of me became visible.
    Reviews,
    /// Disputes over my contracts.
    Disputes,
    /// Money I deposited arrived.
    Deposits,
    /// A payout I asked for was paid, or failed.
    Payouts,
    /// A new open job fits my skills.
    WorkThatFits,
}

named_values!(Topic {
    ConnectionRequests => "connection_requests",
    ConnectionsAccepted => "connections_accepted",
    SkillSuggestions => "skill_suggestions",
    Endorsements => "endorsements",
    Applications => "applications",
    ApplicationDecisions => "application_decisions",
    Messages => "messages",
    Mentions => "mentions",
    Replies => "replies",
    EventChanges => "event_changes",
    Mentoring => "mentoring",
    Proposals => "proposals",
    Invitations => "invitations",
    Offers => "offers",
    MilestonesFunded => "milestones_funded",
    Deliveries => "deliveries",
    Acceptances => "acceptances",
    Payments => "payments",
    Reviews => "reviews",
    Disputes => "disputes",
    Deposits => "deposits",
    Payouts => "payouts",
    WorkThatFits => "work_that_fits",
});

impl Topic {
    /// Every topic, in the order the preferences page lists them.
    pub const ALL: &'static [Topic] = &[
        Topic::Offers,
        Topic::MilestonesFunded,
        Topic::Deliveries,
        Topic::Acceptances,
        Topic::Payments,
        Topic::Disputes,
        Topic::Reviews,
        Topic::Deposits,
        Topic::Payouts,
        Topic::Proposals,
        Topic::Invitations,
        Topic::WorkThatFits,
        Topic::Messages,
        Topic::ConnectionRequests,
        Topic::ConnectionsAccepted,
        Topic::SkillSuggestions,
        Topic::Endorsements,
        Topic::Applications,
        Topic::ApplicationDecisions,
        Topic::Mentions,
        Topic::Replies,
        Topic::EventChanges,
        Topic::Mentoring,
    ];

    /// The topic in a member's words, for the preferences page.
    pub fn label(self) -> &'static str {
        match self {
            Topic::ConnectionRequests => "Requests to connect",
            Topic::ConnectionsAccepted => "Accepted requests to connect",
            Topic::SkillSuggestions => "Skills suggested for your profile",
            Topic::Endorsements => "Endorsements of your skills",
            Topic::Applications => "Applications to communities you curate",
            Topic::ApplicationDecisions => "Decisions on your applications",
            Topic::Messages => "New messages in your conversations",
            Topic::Mentions => "Mentions of you",
            Topic::Replies => "Replies in discussions you took part in",
            Topic::EventChanges => "Changes to events you are going to",
            Topic::Mentoring => "Mentoring requests and answers",
            Topic::Proposals => "Proposals for your jobs and answers to yours",
            Topic::Invitations => "Invitations and referrals to jobs",
            Topic::Offers => "Contract offers, answers and cancellations",
            Topic::MilestonesFunded => "Milestones funded",
            Topic::Deliveries => "Work delivered for you to accept",
            Topic::Acceptances => "Your deliveries accepted or returned",
            Topic::Payments => "Payments released to you",
            Topic::Reviews => "Reviews of you made visible",
            Topic::Disputes => "Disputes",
            Topic::Deposits => "Deposits credited",
            Topic::Payouts => "Payouts paid or failed",
            Topic::WorkThatFits => "New jobs that fit your skills",
        }
    }

    /// How a member hears of the topic until they choose: by email where something waits
    /// for their answer or money is at stake, in the app otherwise.
    pub fn default_delivery(self) -> Delivery {
        match self {
            Topic::Offers
            | Topic::Deliveries
            | Topic::Disputes
            | Topic::Payments
            | Topic::Payouts
            | Topic::Messages => Delivery::Email,
            // Several a day would crowd the inbox: they come together in the daily digest.
            Topic::WorkThatFits => Delivery::Digest,
            _ => Delivery::InApp,
        }
    }
}

/// How a member hears of a topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// In the app's inbox only.
    InApp,
    /// In the inbox, and by email at once.
    Email,
    /// In the inbox, and in the daily digest.
    Digest,
    /// Not at all.
    Off,
}

named_values!(Delivery {
    InApp => "in_app",
    Email => "email",
    Digest => "digest",
    Off => "off",
});

impl Delivery {
    /// Every choice, in the order a form offers them.
    pub const ALL: &'static [Delivery] = &[
        Delivery::InApp,
        Delivery::Email,
        Delivery::Digest,
        Delivery::Off,
    ];

    /// The choice in a member's words.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::InApp => "In the app",
            Delivery::Email => "Email me at once",
            Delivery::Digest => "In the daily digest",
            Delivery::Off => "Off",
        }
    }
}

/// Who is told: an account, or a group the store resolves when the event is recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    /// One account, by id.
    Account(String),
    /// The owners and curators of a community, by id.
    Curators(String),
    /// The members going to (or waiting for) a community's event, by id.
    Attendees(String),
    /// Everyone who wrote in a discussion thread, by id.
    Participants(String),
    /// The client and the member of a contract, by id.
    ContractParties(String),
    /// The members of a conversation who hear of its new message: not those who muted it or
    /// blocked its author, and not those who have yet to read an earlier one (they were told
    /// already).
    Conversation {
        /// The conversation's id.
        conversation: String,
        /// The new message's id.
        message: String,
    },
}

/// One notice an event gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Who.
    pub to: Recipient,
    /// About what.
    pub topic: Topic,
}

/// The notices an event gives, before its actor is taken out (a member is never told of
/// their own act) and before recipients' preferences apply. Mentions come before replies, so
/// a participant who is also mentioned is told once, of the mention.
pub fn notices(event: &Event) -> Vec<Notice> {
    use Recipient::{Account, Attendees, Curators, Participants};
    let one = |to: &str, topic| vec![notice(Account(to.to_string()), topic)];
    let both = |a: &str, b: &str, topic| {
        vec![
            notice(Account(a.to_string()), topic),
            notice(Account(b.to_string()), topic),
        ]
    };
    match event {
        Event::ConnectionRequested(e) => one(&e.other, Topic::ConnectionRequests),
        Event::ConnectionAccepted(e) => one(&e.other, Topic::ConnectionsAccepted),
        Event::SkillSuggested(e) => one(&e.member, Topic::SkillSuggestions),
        Event::SkillEndorsed(e) => one(&e.owner, Topic::Endorsements),
        Event::Applied(e) => vec![notice(Curators(e.community.clone()), Topic::Applications)],
        Event::ApplicationApproved(e)
        | Event::ApplicationDeclined(e)
        | Event::ApplicationWaitlisted(e) => one(&e.applicant, Topic::ApplicationDecisions),
        Event::ThreadStarted(e) => mentions(&e.mentions),
        Event::Replied(e) => {
            let mut all = mentions(&e.mentions);
            all.push(notice(Participants(e.thread.clone()), Topic::Replies));
            all
        }
        Event::MessageSent(e) => {
            let mut all = mentions(&e.mentions);
            all.push(notice(
                Recipient::Conversation {
                    conversation: e.conversation.clone(),
                    message: e.message.clone(),
                },
                Topic::Messages,
            ));
            all
        }
        Event::GatheringUpdated(e) => {
            vec![notice(Attendees(e.gathering.clone()), Topic::EventChanges)]
        }
        Event::RsvpPromoted(e) => one(&e.member, Topic::EventChanges),
        Event::MentoringRequested(e) => one(&e.mentor, Topic::Mentoring),
        Event::MentoringAccepted(e) | Event::MentoringDeclined(e) => {
            one(&e.learner, Topic::Mentoring)
        }
        Event::Proposed(e) => one(&e.client, Topic::Proposals),
        Event::ProposalReviewed(e) => one(&e.member, Topic::Proposals),
        Event::InvitedToPropose(e) => one(&e.member, Topic::Invitations),
        Event::Referred(e) => one(&e.member, Topic::Invitations),
        Event::Shortlisted(e) => one(&e.client, Topic::Proposals),
        Event::ContractOffered(e) => {
            let mut all = one(&e.member, Topic::Offers);
            all.extend(e.learner.iter().flat_map(|l| one(l, Topic::Offers)));
            all
        }
        Event::ContractStarted(e) | Event::OfferDeclined(e) | Event::OfferWithdrawn(e) => {
            let mut all = both(&e.client, &e.member, Topic::Offers);
            all.extend(e.mentor.iter().flat_map(|m| one(m, Topic::Offers)));
            all
        }
        // The member starts the contract once their learner has accepted: tell them.
        Event::LearnerJoined(e) => both(
            &e.client,
            e.mentor.as_deref().unwrap_or(&e.member),
            Topic::Offers,
        ),
        Event::ContractCancelled(e) => both(&e.client, &e.member, Topic::Offers),
        // The funding event names only the client; the contract names the member.
        Event::MilestoneFunded(e) => vec![notice(
            Recipient::ContractParties(e.contract.clone()),
            Topic::MilestonesFunded,
        )],
        Event::MilestoneDelivered(e) => one(&e.client, Topic::Deliveries),
        Event::MilestoneAccepted(e) => one(&e.member, Topic::Acceptances),
        Event::ChangesRequested(e) => one(&e.member, Topic::Acceptances),
        Event::MilestoneReleased(e) => {
            let mut all = both(&e.member, &e.client, Topic::Payments);
            all.extend(e.mentor.iter().flat_map(|m| one(m, Topic::Payments)));
            all.extend(
                e.referrer
                    .iter()
                    .map(|r| notice(Account(r.clone()), Topic::Payments)),
            );
            all
        }
        Event::ReviewRevealed(e) => one(&e.subject, Topic::Reviews),
        Event::DisputeOpened(e) => both(&e.client, &e.member, Topic::Disputes),
        Event::DisputeResolved(e) => both(&e.client, &e.member, Topic::Disputes),
        Event::DepositConfirmed(e) => one(&e.member, Topic::Deposits),
        Event::TransferRecorded(e) => {
            let topic = match e.direction.as_str() {
                "in" => Topic::Deposits,
                _ => Topic::Payouts,
            };
            one(&e.member, topic)
        }
        Event::PayoutPaid(e) => one(&e.member, Topic::Payouts),
        Event::ShareDistributed(e) => one(&e.member, Topic::Payments),
        Event::PayoutFailed(e) => one(&e.member, Topic::Payouts),
        _ => Vec::new(),
    }
}

fn notice(to: Recipient, topic: Topic) -> Notice {
    Notice { to, topic }
}

fn mentions(ids: &[String]) -> Vec<Notice> {
    ids.iter()
        .map(|id| notice(Recipient::Account(id.clone()), Topic::Mentions))
        .collect()
}
