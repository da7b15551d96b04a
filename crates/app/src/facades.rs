//! The application's façades: one per area of Guildhall, each owning that area's use cases.
//! Callers pick the area first — `app.work().fund_milestone(…)`, `app.accounts().sign_in(…)` —
//! so an area's whole surface is one `impl` away, and a new feature gets a façade of its own
//! instead of more methods on one type.
//!
//! A façade is a borrowed view of the [`App`], the context every area shares (the pool, the
//! clock, the settings and the caches); it dereferences to it, so a use case reaches the
//! context as `self.now()` or `self.write(…)`, and another area as `self.accounts()`. The
//! context's transactions are private to this crate: no façade hands a connection out.

use crate::App;

macro_rules! facades {
    ($($(#[$doc:meta])* $name:ident => $method:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy)]
            pub struct $name<'a>(&'a App);

            impl std::ops::Deref for $name<'_> {
                type Target = App;

                fn deref(&self) -> &App {
                    self.0
                }
            }

            impl App {
                $(#[$doc])*
                pub fn $method(&self) -> $name<'_> {
                    $name(self)
                }
            }
        )*
    };
}

facades! {
    /// Accounts: sign-up, sign-in and sessions, throttling of failed sign-ins, passwords, API
    /// tokens, and a member's own activity feed.
    Accounts => accounts;
    /// Profiles: items and their audiences, personas, connections, the member directory's
    /// search, and what waits for a member on the home page.
    Profiles => profiles;
    /// Availability: working hours, imported calendars, the free/busy feed and free hours.
    Availability => availability;
    /// Matching: the members who fit a job, ranked and explained.
    Matching => matching;
    /// Skills: the taxonomy, a member's skills, suggestions from peers, and endorsements.
    Skills => skills;
    /// Communities: admission, members and roles, discussions, gatherings, mentoring,
    /// learning resources and the directory of communities.
    Communities => communities;
    /// Work and money: jobs, proposals, referrals, contracts and milestones, reviews,
    /// disputes, statements, deposits and the ledger.
    Work => work;
    /// Conversations: messages between members, blocks, who may write to whom, and reports.
    Conversations => conversations;
    /// Notifications: the inbox, its unread count, and how a member hears of each topic.
    Notifications => notifications;
    /// The durable queue of background work, and the workers that send its mail.
    Queue => queue;
    /// Evidence and reputation: the signed evidence log, its bundles and checkpoints, and the
    /// figures and trust computed from it.
    Evidence => evidence;
    /// Credentials: Open Badges the instance issues from its records and evidence, their
    /// shared links, revocation and status lists, and verifying a credential.
    Credentials => credentials;
    /// Insights: skills gaps with the ways across them, for a member and for a community.
    Insights => insights;
    /// Demo data: members, communities, connections, jobs and contracts generated in bulk.
    Seed => seed;
    /// The instance and its operators: its policy, operators and their audit log, suspensions
    /// and password-reset links, vetting of trusted communities, merging members' tags into the
    /// taxonomy, and the site's own texts.
    Instance => instance;
}
