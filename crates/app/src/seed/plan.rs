//! What `guildhall seed` generates, in order: members with profiles, communities and who
//! joins them, connections, clients with money and their open jobs, and finished contracts
//! with reviews. Every choice comes from one generator seeded by the caller, drawn in a fixed
//! order, so the same seed makes the same instance.

use super::corpus::{FAMILY_NAMES, GIVEN_NAMES, PLACES, SkillRanks, Wages, Zipf};
use super::{NewMember, Rng};
use crate::AppError;
use crate::accounts::Account;
use crate::communities::CommunityInput;
use crate::profiles::ItemInput;
use crate::taxonomy::Occupation;
use crate::work::MilestoneInput;
use crate::work::jobs::{JobInput, JobSkill, Pricing, ProposalInput};
use crate::work::reviews::ReviewInput;
use guildhall_domain::availability::{Day, WorkingHours};
use guildhall_domain::community::{Admission, Visibility};
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_domain::skills::normalize;
use guildhall_store::repo::{skills, users};
use std::collections::{BTreeMap, BTreeSet};

/// Members written per transaction.
const MEMBERS_PER_BATCH: usize = 250;
/// Joins or connections written per transaction.
const LINKS_PER_BATCH: usize = 1000;
/// One member in this many is also a client with an open job.
const CLIENT_EVERY: usize = 25;
/// One member in this many has finished a contract.
const CONTRACT_EVERY: usize = 100;
/// Members per community, roughly.
const MEMBERS_PER_COMMUNITY: usize = 200;
/// The fewest members worth generating: enough for three communities with an owner each.
pub const FEWEST_MEMBERS: usize = 10;

/// What to generate.
#[derive(Clone, Debug)]
pub struct SeedOptions {
    /// How many members.
    pub members: usize,
    /// The generator's seed: the same seed makes the same members, links, jobs and contracts.
    pub seed: u64,
    /// The password every generated member signs in with.
    pub password: String,
}

/// A stage of the work, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Members and their profiles.
    Members,
    /// Communities and who joins them.
    Communities,
    /// Connections between members.
    Connections,
    /// Clients' money and open jobs.
    Jobs,
    /// Finished contracts with reviews.
    Contracts,
    /// The evidence log catching up with the contracts.
    Evidence,
}

impl Stage {
    /// The stage in words.
    pub fn words(self) -> &'static str {
        match self {
            Stage::Members => "members",
            Stage::Communities => "communities",
            Stage::Connections => "connections",
            Stage::Jobs => "jobs",
            Stage::Contracts => "contracts",
            Stage::Evidence => "evidence log",
        }
    }
}

/// What was generated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    /// Members made.
    pub members: usize,
    /// Communities made.
    pub communities: usize,
    /// Memberships, owners included.
    pub joins: usize,
    /// Accepted connections.
    pub connections: usize,
    /// Open jobs posted.
    pub jobs: usize,
    /// Contracts finished, each with a review from both sides.
    pub contracts: usize,
    /// Entries appended to the evidence log.
    pub evidence: usize,
    /// The first member's handle, to sign in with.
    pub first_handle: String,
}

/// How far a stage is: the stage, done, and the total.
pub type SeedProgress<'a> = &'a dyn Fn(Stage, u64, u64);

/// A generated member as the later stages need them.
struct Person {
    account: Account,
    occupation: usize,
    place: usize,
}

/// The reference data every stage draws from.
struct Corpus {
    ranks: SkillRanks,
    zipf: Zipf,
    wages: Wages,
}

impl crate::facades::Seed<'_> {
    /// Generates an instance's worth of demo data; see [`SeedOptions`]. Loads the default
    /// taxonomy first if the instance has none.
    pub fn run(&self, options: &SeedOptions, progress: SeedProgress) -> Result<Seeded, AppError> {
        if options.members < FEWEST_MEMBERS {
            return Err(AppError::field(
                "/members",
                format!("must be at least {FEWEST_MEMBERS}"),
            ));
        }
        // Generated handles and community addresses would meet those of any earlier members
        // halfway through: only an instance with nobody but its operators is seeded.
        let (accounts, operators) =
            self.read(|c| Ok((users::count(c)?, users::operator_ids(c)?.len())))?;
        if accounts > operators as i64 {
            return Err(AppError::conflict(
                None,
                "this instance already has members: seed a new, empty one (its operators may be there already)",
            ));
        }
        let hash = self.password_hash(&options.password)?;
        self.skills().ensure_default_taxonomy(&|_, _| {})?;
        let ranks = SkillRanks::of(&self.known_occupations()?);
        let corpus = Corpus {
            zipf: Zipf::new(ranks.labels.len()),
            ranks,
            wages: Wages::new()?,
        };
        let mut rng = Rng::new(options.seed);
        let people = self.generate_members(options.members, &hash, &corpus, &mut rng, progress)?;
        let (slugs, joined) = self.generate_communities(&people, &corpus, &mut rng, progress)?;
        let connections = self.generate_connections(&people, &joined, &mut rng, progress)?;
        let jobs = self.generate_jobs(&people, &slugs, &corpus, &mut rng, progress)?;
        let contracts = self.generate_contracts(&people, &jobs, &mut rng, progress)?;
        progress(Stage::Evidence, 0, 1);
        let evidence = self.evidence().catch_up()?;
        progress(Stage::Evidence, 1, 1);
        Ok(Seeded {
            members: people.len(),
            communities: slugs.len(),
            joins: joined.iter().map(Vec::len).sum(),
            connections,
            jobs: jobs.len(),
            contracts,
            evidence,
            first_handle: people[0].account.handle.clone(),
        })
    }

    /// ESCO's ICT occupations with only the skills the instance's taxonomy holds under their
    /// preferred labels, so every generated claim and job names a shared skill, never a
    /// member's tag; occupations left with fewer than three are dropped.
    fn known_occupations(&self) -> Result<Vec<Occupation>, AppError> {
        let mut occupations = crate::taxonomy::ict_occupations()?;
        let norms: BTreeSet<String> = occupations
            .iter()
            .flat_map(|o| &o.skills)
            .map(|label| normalize(label))
            .collect();
        let norms: Vec<String> = norms.into_iter().collect();
        let known: BTreeSet<String> = self
            .read(|c| Ok(skills::preferred_by_norms(c, &norms)?))?
            .into_iter()
            .map(|(norm, _)| norm)
            .collect();
        for occupation in &mut occupations {
            occupation.skills.retain(|s| known.contains(&normalize(s)));
        }
        occupations.retain(|o| o.skills.len() >= 3);
        Ok(occupations)
    }

    fn generate_members(
        &self,
        count: usize,
        hash: &str,
        corpus: &Corpus,
        rng: &mut Rng,
        progress: SeedProgress,
    ) -> Result<Vec<Person>, AppError> {
        let mut handles: BTreeMap<String, usize> = BTreeMap::new();
        let mut people = Vec::with_capacity(count);
        let mut refresh = Refresh::default();
        while people.len() < count {
            let batch = MEMBERS_PER_BATCH.min(count - people.len());
            let planned: Vec<(NewMember, usize, usize)> = (0..batch)
                .map(|_| member(corpus, rng, &mut handles))
                .collect();
            let members: Vec<NewMember> = planned.iter().map(|p| p.0.clone()).collect();
            let accounts = self.members(hash, &members)?;
            refresh.after(self, people.len() + batch)?;
            people.extend(accounts.into_iter().zip(planned).map(
                |(account, (_, occupation, place))| Person {
                    account,
                    occupation,
                    place,
                },
            ));
            progress(Stage::Members, people.len() as u64, count as u64);
        }
        Ok(people)
    }

    /// Communities, one per occupation of the first few, each owned by its first member; every
    /// member joins the community of their occupation, and some a second. Returns the slugs
    /// and, per community, who is in it.
    fn generate_communities(
        &self,
        people: &[Person],
        corpus: &Corpus,
        rng: &mut Rng,
        progress: SeedProgress,
    ) -> Result<(Vec<String>, Vec<Vec<usize>>), AppError> {
        let count = (people.len() / MEMBERS_PER_COMMUNITY).clamp(3, corpus.ranks.occupations.len());
        // A member's first community: the one of their occupation, folded onto those made.
        let home = |p: &Person| p.occupation % count;
        let mut joined: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut slugs = Vec::with_capacity(count);
        for (c, members) in joined.iter_mut().enumerate() {
            let owner = (0..people.len())
                .find(|&i| home(&people[i]) == c)
                .unwrap_or(c);
            let (label, skills) = &corpus.ranks.occupations[c];
            let input = CommunityInput {
                name: format!("{} guild", capitalised(label)),
                slug: slug_of(label, &slugs),
                description: format!(
                    "Independent people who work as {}: they find work, learn from each other and vouch for each other's work.",
                    article(label)
                ),
                visibility: Some(Visibility::Public),
                admission: Some(Admission::Open),
                member_cap: None,
                questions: Vec::new(),
                focus_skills: skills
                    .iter()
                    .take(5)
                    .map(|&s| corpus.ranks.labels[s].clone())
                    .collect(),
            };
            let made = self
                .communities()
                .create_community(&people[owner].account, input)?;
            slugs.push(made.slug);
            members.push(owner);
            progress(Stage::Communities, c as u64 + 1, count as u64);
        }
        let mut joins: Vec<(usize, usize)> = Vec::new();
        for (i, person) in people.iter().enumerate() {
            let first = home(person);
            let second = (rng.below(4) == 0).then(|| rng.below(count));
            for c in [Some(first), second.filter(|&s| s != first)]
                .into_iter()
                .flatten()
            {
                if !joined[c].contains(&i) {
                    joined[c].push(i);
                    joins.push((i, c));
                }
            }
        }
        self.in_batches(&joins, (Stage::Communities, progress), |chunk| {
            let batch: Vec<(&Account, &str)> = chunk
                .iter()
                .map(|&(i, c)| (&people[i].account, slugs[c].as_str()))
                .collect();
            self.join(&batch)
        })?;
        Ok((slugs, joined))
    }

    /// Each member asks two members of their first community and one member anywhere; every
    /// request is accepted. Returns how many connections there are.
    fn generate_connections(
        &self,
        people: &[Person],
        joined: &[Vec<usize>],
        rng: &mut Rng,
        progress: SeedProgress,
    ) -> Result<usize, AppError> {
        let mut pairs = BTreeSet::new();
        for (i, person) in people.iter().enumerate() {
            // Everyone is in their first community, so the circle is never empty.
            let circle = &joined[person.occupation % joined.len()];
            let picks = [
                circle[rng.below(circle.len())],
                circle[rng.below(circle.len())],
                rng.below(people.len()),
            ];
            for j in picks.into_iter().filter(|&j| j != i) {
                pairs.insert((i.min(j), i.max(j)));
            }
        }
        let pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
        self.in_batches(&pairs, (Stage::Connections, progress), |chunk| {
            let batch: Vec<(&Account, &Account)> = chunk
                .iter()
                .map(|&(a, b)| (&people[a].account, &people[b].account))
                .collect();
            self.connect(&batch)
        })?;
        Ok(pairs.len())
    }

    /// One member in [`CLIENT_EVERY`] is also a client: money in, and one open job built from
    /// an ESCO occupation's skills. Returns each job with its client, occupation and scope.
    fn generate_jobs(
        &self,
        people: &[Person],
        slugs: &[String],
        corpus: &Corpus,
        rng: &mut Rng,
        progress: SeedProgress,
    ) -> Result<Vec<Posted>, AppError> {
        let usd = Currency::parse("USD").map_err(AppError::internal)?;
        let today = jiff::Timestamp::from_millisecond(self.now())
            .map_err(|e| AppError::caused("reading the clock", e))?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        let clients: Vec<usize> = (0..people.len()).step_by(CLIENT_EVERY).collect();
        let mut posted = Vec::with_capacity(clients.len());
        for (done, &i) in clients.iter().enumerate() {
            let client = &people[i].account;
            self.work().confirm_deposit_from_command_line(
                &client.handle,
                Money::new(100_000_000, usd),
                &format!("seed-deposit-{}", client.handle),
            )?;
            let occupation = rng.below(corpus.ranks.occupations.len());
            let scoped = rng.below(5) == 0;
            let input = job(corpus, occupation, people[i].place, today, rng);
            let input = JobInput {
                community: scoped.then(|| slugs[people[i].occupation % slugs.len()].clone()),
                ..input
            };
            let made = self.work().post_job(client, input.clone())?;
            posted.push(Posted {
                id: made.id,
                client: i,
                occupation,
                scoped,
                input,
            });
            progress(Stage::Jobs, done as u64 + 1, clients.len() as u64);
        }
        Ok(posted)
    }

    /// For one member in [`CONTRACT_EVERY`], a job open to everyone is taken by a member of its
    /// occupation (or anyone), delivered, paid and reviewed by both sides.
    fn generate_contracts(
        &self,
        people: &[Person],
        jobs: &[Posted],
        rng: &mut Rng,
        progress: SeedProgress,
    ) -> Result<usize, AppError> {
        let open: Vec<&Posted> = jobs.iter().filter(|j| !j.scoped).collect();
        let count = (people.len() / CONTRACT_EVERY).max(1).min(open.len());
        for (n, posted) in open.into_iter().take(count).enumerate() {
            let fitting: Vec<usize> = (0..people.len())
                .filter(|&m| m != posted.client && people[m].occupation == posted.occupation)
                .collect();
            let member = match fitting.len() {
                0 => (posted.client + 1 + rng.below(people.len() - 1)) % people.len(),
                k => fitting[rng.below(k)],
            };
            self.finish_contract(
                &people[posted.client].account,
                &people[member].account,
                posted,
                n,
                rng,
            )?;
            progress(Stage::Contracts, n as u64 + 1, count as u64);
        }
        Ok(count)
    }

    /// Writes `links` [`LINKS_PER_BATCH`] to a transaction with `write`, keeping the
    /// database's statistics fresh and reporting progress as `stage`.
    fn in_batches<T>(
        &self,
        links: &[T],
        (stage, progress): (Stage, SeedProgress),
        write: impl Fn(&[T]) -> Result<(), AppError>,
    ) -> Result<(), AppError> {
        let mut refresh = Refresh::default();
        for (done, chunk) in links.chunks(LINKS_PER_BATCH).enumerate() {
            refresh.after(self, done * LINKS_PER_BATCH)?;
            write(chunk)?;
            let done = done * LINKS_PER_BATCH + chunk.len();
            progress(stage, done as u64, links.len() as u64);
        }
        Ok(())
    }

    /// An hourly contract's work: this week funded, a working day logged, submitted, approved,
    /// and the contract ended.
    fn pay_a_week(
        &self,
        client: &Account,
        member: &Account,
        contract: &str,
        n: usize,
    ) -> Result<(), AppError> {
        use crate::work::hourly::TimeEntryInput;
        let work = self.work();
        let today = guildhall_domain::hourly::today_utc(self.now());
        let monday = guildhall_domain::hourly::monday_of(today).to_string();
        let k = work.fund_week(client, contract, &monday, &format!("seed-fund-{n}"))?;
        let entry = TimeEntryInput {
            worked_on: today.to_string(),
            minutes: 8 * 60,
            note: "The work, delivered".into(),
        };
        work.log_time(member, contract, &entry)?;
        let week = k
            .hourly
            .and_then(|h| h.weeks.into_iter().next())
            .ok_or_else(|| AppError::internal("a funded week is missing"))?;
        work.submit_milestone(member, contract, &week.milestone)?;
        work.accept_milestone(
            client,
            contract,
            &week.milestone,
            &format!("seed-accept-{n}"),
        )?;
        work.end_hourly_contract(client, contract)?;
        Ok(())
    }

    fn finish_contract(
        &self,
        client: &Account,
        member: &Account,
        posted: &Posted,
        n: usize,
        rng: &mut Rng,
    ) -> Result<(), AppError> {
        let rate = (posted.input.budget_min + posted.input.budget_max) / 2;
        let work = self.work();
        let proposal = work.propose(
            member,
            &posted.id,
            ProposalInput {
                note: "I have done this kind of work before and can start on the date you give."
                    .into(),
                rate,
                availability: "20 hours a week".into(),
            },
        )?;
        let contract = work.offer_from_proposal(
            client,
            &proposal.id,
            vec![MilestoneInput {
                title: "The work, delivered".into(),
                amount: rate * 20,
                due_on: posted.input.ends_on.clone(),
                by_learner: false,
            }],
            None,
        )?;
        work.answer_offer(member, &contract.id, true)?;
        if contract.hourly.is_some() {
            self.pay_a_week(client, member, &contract.id, n)?;
        } else {
            let milestone = &contract.milestones[0].id;
            work.fund_milestone(client, &contract.id, milestone, &format!("seed-fund-{n}"))?;
            work.submit_milestone(member, &contract.id, milestone)?;
            work.accept_milestone(client, &contract.id, milestone, &format!("seed-accept-{n}"))?;
        }
        let score = |rng: &mut Rng| 3 + rng.below(3) as i32;
        let review = |criteria: [&str; 3], text: &str, rng: &mut Rng| ReviewInput {
            overall: score(rng),
            criteria: criteria
                .iter()
                .map(|c| (c.to_string(), score(rng)))
                .collect(),
            text: text.into(),
        };
        let by_client = review(
            ["quality", "communication", "timeliness"],
            "Clear updates throughout, and the work did what we needed.",
            rng,
        );
        let by_member = review(
            ["clarity", "communication", "payment"],
            "A well-described job and prompt payment.",
            rng,
        );
        work.write_review(client, &contract.id, by_client)?;
        work.write_review(member, &contract.id, by_member)?;
        Ok(())
    }
}

/// When to refresh the database's statistics while a stage writes: whenever what it wrote has
/// doubled since the last time, so the planner never takes a table that grew by thousands of
/// rows for the empty one it saw (a search by key would become a scan of the whole table).
#[derive(Default)]
struct Refresh {
    next: usize,
}

impl Refresh {
    fn after(&mut self, seed: &crate::facades::Seed<'_>, written: usize) -> Result<(), AppError> {
        if written >= self.next {
            seed.read(|c| Ok(guildhall_store::refresh_statistics(c)?))?;
            self.next = (written * 2).max(MEMBERS_PER_BATCH);
        }
        Ok(())
    }
}

/// A job posted, as the contracts stage needs it.
struct Posted {
    id: String,
    client: usize,
    occupation: usize,
    scoped: bool,
    input: JobInput,
}

/// Draws `n` distinct values from `draw`.
fn distinct(n: usize, mut draw: impl FnMut() -> usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(n);
    while out.len() < n {
        let v = draw();
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Who sees a generated item: mostly everyone, some only members, a few only connections.
fn audiences(rng: &mut Rng, public_percent: usize) -> Vec<String> {
    let roll = rng.below(100);
    let audience = if roll < public_percent {
        "public"
    } else if roll < 95 {
        "members"
    } else {
        "connections"
    };
    vec![audience.to_string()]
}

/// A member: their sign-up, profile items, occupation and place.
fn member(
    corpus: &Corpus,
    rng: &mut Rng,
    handles: &mut BTreeMap<String, usize>,
) -> (NewMember, usize, usize) {
    let (given, family) = (
        GIVEN_NAMES[rng.below(GIVEN_NAMES.len())],
        FAMILY_NAMES[rng.below(FAMILY_NAMES.len())],
    );
    let base = format!("{}_{}", given, family).to_ascii_lowercase();
    let seen = handles.entry(base.clone()).or_default();
    *seen += 1;
    let handle = match *seen {
        1 => base,
        n => format!("{base}{n}"),
    };
    let occupation = rng.below(corpus.ranks.occupations.len());
    let place = rng.below(PLACES.len());
    let (town, zone, _) = PLACES[place];
    let (label, own) = &corpus.ranks.occupations[occupation];
    let item = |data: ItemData, audiences: Vec<String>| ItemInput { audiences, data };
    let mut items = vec![
        item(
            ItemData::Headline {
                text: capitalised(label),
            },
            vec!["public".into()],
        ),
        item(
            ItemData::Location {
                place: town.into(),
                timezone: zone.into(),
            },
            audiences(rng, 70),
        ),
    ];
    let claimed = distinct(3 + rng.below(8), || {
        if rng.below(10) < 6 {
            own[rng.below(own.len())]
        } else {
            corpus.zipf.draw(rng)
        }
    });
    for skill in claimed {
        let data = ItemData::Skill {
            skill_id: None,
            label: corpus.ranks.labels[skill].clone(),
            level: 1 + rng.below(5) as u8,
            years: Some(1 + rng.below(12) as u8),
            note: String::new(),
            source: ClaimSource::default(),
            suggested_by: None,
        };
        let shown = audiences(rng, 80);
        items.push(item(data, shown));
    }
    if rng.below(10) < 8 {
        let min_minor = corpus.wages.rate(rng);
        let data = ItemData::Rate {
            min_minor,
            max_minor: min_minor * (100 + rng.below(40) as i64) / 100,
            currency: "USD".into(),
        };
        let shown = audiences(rng, 50);
        items.push(item(data, shown));
    }
    if rng.below(10) < 8 {
        let data = ItemData::Availability {
            timezone: zone.into(),
            weekly: week(rng.below(4)),
            days_off: Vec::new(),
            hours_per_week: [10, 20, 30, 40][rng.below(4)],
        };
        let shown = audiences(rng, 30);
        items.push(item(data, shown));
    }
    let new = NewMember {
        email: format!("{handle}@example.org"),
        handle,
        display_name: format!("{given} {family}"),
        items,
    };
    (new, occupation, place)
}

/// One of four weekly patterns: office hours, a four-day week, afternoons, Tuesday to
/// Saturday.
fn week(pattern: usize) -> Vec<WorkingHours> {
    use Day::*;
    let (days, start, end): (&[Day], &str, &str) = match pattern {
        0 => (
            &[Monday, Tuesday, Wednesday, Thursday, Friday],
            "09:00",
            "17:00",
        ),
        1 => (&[Monday, Tuesday, Wednesday, Thursday], "08:00", "16:00"),
        2 => (
            &[Monday, Tuesday, Wednesday, Thursday, Friday],
            "13:00",
            "18:00",
        ),
        _ => (
            &[Tuesday, Wednesday, Thursday, Friday, Saturday],
            "10:00",
            "18:00",
        ),
    };
    days.iter()
        .map(|&day| WorkingHours {
            day,
            start: start.into(),
            end: end.into(),
        })
        .collect()
}

/// What a generated job is for.
const PROJECTS: [&str; 8] = [
    "a product launch",
    "a security review",
    "a data migration",
    "a new customer portal",
    "an overhaul of internal tools",
    "a review of cloud costs",
    "a reporting dashboard",
    "an accessibility audit",
];

/// An open, hourly job for someone of `occupation`, asking 3 to 8 of its skills.
fn job(
    corpus: &Corpus,
    occupation: usize,
    place: usize,
    today: jiff::civil::Date,
    rng: &mut Rng,
) -> JobInput {
    let (label, own) = &corpus.ranks.occupations[occupation];
    let project = PROJECTS[rng.below(PROJECTS.len())];
    let asked = distinct((3 + rng.below(6)).min(own.len()), || {
        own[rng.below(own.len())]
    });
    let skills = asked
        .into_iter()
        .enumerate()
        .map(|(i, s)| JobSkill {
            label: corpus.ranks.labels[s].clone(),
            weight: 1 + rng.below(5) as u8,
            min_level: 1 + rng.below(4) as u8,
            // A job requires one skill at least.
            required: i == 0 || rng.below(10) < 7,
            skill_id: None,
        })
        .collect();
    let rate = corpus.wages.rate(rng);
    let starts = today.saturating_add(jiff::Span::new().days(7 + rng.below(50) as i64));
    let ends = starts.saturating_add(jiff::Span::new().days(28 + rng.below(155) as i64));
    let offset = PLACES[place].2;
    let anywhere = rng.below(2) == 0;
    JobInput {
        title: format!("{} for {project}", capitalised(label)),
        description: format!(
            "We are looking for {} to help with {project}. Tell us about similar work you have done.",
            article(label)
        ),
        organisation: String::new(),
        skills,
        pricing: Pricing::Hourly,
        budget_min: rate * 8 / 10,
        budget_max: rate * 13 / 10,
        currency: "USD".into(),
        starts_on: starts.to_string(),
        ends_on: ends.to_string(),
        hours_per_week: Some([10, 20, 30, 40][rng.below(4)]),
        remote: true,
        place: String::new(),
        tz_min_offset: if anywhere {
            -720
        } else {
            (offset - 180).max(-720)
        },
        tz_max_offset: if anywhere {
            840
        } else {
            (offset + 180).min(840)
        },
        community: None,
        publish: true,
        occupation: crate::insights::occupations::id_by_label(label),
    }
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "an ICT analyst", "a software developer".
fn article(label: &str) -> String {
    let vowel = label.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} {label}", if vowel { "an" } else { "a" })
}

/// A community's address from an occupation's label: lowercase words joined by `-`, at most
/// 40 characters, made unique among `taken`.
fn slug_of(label: &str, taken: &[String]) -> String {
    let words: Vec<String> = label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 > 34 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    let mut unique = slug.clone();
    let mut n = 1;
    while taken.contains(&unique) {
        n += 1;
        unique = format!("{slug}-{n}");
    }
    unique
}
