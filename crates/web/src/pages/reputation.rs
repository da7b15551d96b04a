//! Reputation on pages: the panel of figures with their confidence and "why", the member's
//! evidence timeline with a proof to download per entry, and the log's public checkpoint page.

use super::render::{Layout, PageResult, html};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_app::evidence::bundles::MyEntry;
use guildhall_app::reputation::Reputation;
use guildhall_domain::calendar::format_local;
use guildhall_domain::events::Event;
use guildhall_domain::evidence::{Checkpoint, key_id};
use guildhall_domain::reputation::Figure;

pub use guildhall_domain::reputation::figure_words;

/// One figure, ready to show.
pub struct FigureRow {
    /// In words.
    pub words: &'static str,
    /// The estimate, e.g. "83 %" or "4.3 / 5".
    pub value: String,
    /// The 90 % interval, e.g. "67–95 %".
    pub interval: String,
    /// Mostly the prior: too little evidence yet.
    pub new: bool,
    /// The formula.
    pub formula: String,
    /// Its terms, formatted.
    pub terms: Vec<(String, String)>,
    /// The log entries behind it.
    pub entries: Vec<u64>,
    /// What happened, plainly: "2 of 2 on time", "5/5 from 1 review".
    pub happened: String,
    /// The "why", opening with a plain sentence before the formula.
    pub why: &'static str,
}

/// A mark without a needless ".0": 5 → "5", 4.5 → "4.5".
fn mark(x: f64) -> String {
    let text = format!("{x:.1}");
    text.strip_suffix(".0").unwrap_or(&text).to_string()
}

/// What the evidence behind a figure says, before any prior or ageing.
fn happened(f: &Figure) -> String {
    let n = f.count;
    let hits = (f.observed * f64::from(n)).round() as u32;
    let plural = |one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            many.to_string()
        }
    };
    match (f.name.as_str(), n) {
        ("review_score", 0) => "no reviews yet".into(),
        ("review_score", _) => format!(
            "{}/5 from {n} {}",
            mark(f.observed),
            plural("review", "reviews")
        ),
        ("on_time", 0) => "no deliveries yet".into(),
        ("on_time", _) => format!("{hits} of {n} on time"),
        ("completion", 0) => "no contracts ended yet".into(),
        ("completion", _) => format!("{hits} of {n} completed"),
        ("responsiveness", 0) => "no offers answered yet".into(),
        ("responsiveness", _) => format!("{hits} of {n} answered within two days"),
        ("repeat_clients", 0) => "no clients yet".into(),
        ("repeat_clients", _) => format!("{hits} of {n} {} came back", plural("client", "clients")),
        (_, _) => format!("{n} pieces of evidence"),
    }
}

/// The plain sentence that opens a figure's "why".
fn why(name: &str) -> &'static str {
    if name == "review_score" {
        "The estimate starts at 4 out of 5, as if from three average reviews, and moves towards          the marks clients give; older reviews count less."
    } else {
        "The estimate starts cautious, as if from a few pieces of evidence, and moves with each          new one; older evidence counts less."
    }
}

impl FigureRow {
    fn of(f: &Figure) -> Self {
        let (value, interval) = if f.name == "review_score" {
            (
                format!("{:.1} / 5", f.value),
                format!("{:.1}–{:.1}", f.low, f.high),
            )
        } else {
            (
                format!("{:.0} %", f.value * 100.0),
                format!("{:.0}–{:.0} %", f.low * 100.0, f.high * 100.0),
            )
        };
        FigureRow {
            words: figure_words(&f.name),
            value,
            interval,
            new: f.new,
            formula: f.formula.clone(),
            terms: f
                .terms
                .iter()
                .map(|t| (t.name.replace('_', " "), format!("{:.2}", t.value)))
                .collect(),
            entries: f.entries.clone(),
            happened: happened(f),
            why: why(&f.name),
        }
    }
}

/// Trust in one skill, ready to show.
pub struct SkillTrustRow {
    /// Skill id, for its page.
    pub skill_id: String,
    /// The skill.
    pub label: String,
    /// "2.4× the average member".
    pub value: String,
    /// (who, what, entry, amount) for the edges that carried most; who is absent where a
    /// line sums up edges of one kind.
    pub because: Vec<(Option<String>, String, Option<u64>, String)>,
}

/// The reputation panel.
pub struct ReputationPanel {
    /// Figures shown.
    pub figures: Vec<FigureRow>,
    /// Overall trust in words, when shown.
    pub trust: Option<String>,
    /// Trust per skill, when shown.
    pub skills: Vec<SkillTrustRow>,
}

fn times_average(x: f64) -> String {
    format!("{x:.2}× the average member")
}

impl ReputationPanel {
    /// The panel for `r`.
    pub fn of(r: &Reputation) -> Self {
        ReputationPanel {
            figures: r.figures.iter().map(FigureRow::of).collect(),
            trust: r.trust.as_ref().map(|t| {
                if t.overall > 0.0 {
                    times_average(t.overall)
                } else {
                    "none yet: no evidence links this member to a curator".into()
                }
            }),
            skills: r
                .trust
                .iter()
                .flat_map(|t| &t.skills)
                .map(|s| SkillTrustRow {
                    skill_id: s.skill_id.clone(),
                    label: s.label.clone(),
                    value: times_average(s.value),
                    because: s
                        .because
                        .iter()
                        .map(|c| {
                            (
                                c.from.clone(),
                                c.why.clone(),
                                c.entry,
                                format!("{:.2}", c.amount),
                            )
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One entry of the timeline.
pub struct EntryRow {
    /// Position in the log.
    pub index: u64,
    /// When, in UTC.
    pub when: String,
    /// What happened, in words.
    pub what: String,
    /// The payload was erased.
    pub erased: bool,
}

/// An evidence kind in words.
fn kind_words(kind: &str) -> &'static str {
    match kind {
        "work.contract_started" => "Offer accepted",
        "work.offer_declined" => "Offer declined",
        "work.milestone_delivered" => "Milestone delivered",
        "work.milestone_accepted" => "Milestone accepted",
        "work.milestone_released" => "Milestone paid",
        "work.contract_completed" => "Contract completed",
        "work.contract_cancelled" => "Contract cancelled",
        "work.dispute_resolved" => "Dispute resolved",
        "work.review_revealed" => "Review revealed",
        "work.referral_hired" => "Referral hired",
        "skill.suggestion_accepted" => "Skill suggestion accepted",
        "skill.endorsed" => "Skill endorsed",
        "community.mentoring_session" => "Mentoring session",
        _ => "Evidence",
    }
}

impl EntryRow {
    fn of(e: &MyEntry) -> Self {
        let event = e
            .payload
            .as_ref()
            .and_then(|p| Event::from_evidence(&e.header.kind, p).ok());
        let detail = match event {
            Some(Event::MilestoneDelivered(d)) => match d.on_time {
                Some(true) => " on time",
                Some(false) => " late",
                None => "",
            },
            _ => "",
        };
        EntryRow {
            index: e.header.index,
            when: format_local(e.header.at, "UTC"),
            what: format!("{}{detail}", kind_words(&e.header.kind)),
            erased: e.payload.is_none(),
        }
    }
}

#[derive(Template)]
#[template(path = "evidence.html")]
struct EvidencePage {
    layout: Layout,
    panel: ReputationPanel,
    entries: Vec<EntryRow>,
}

/// Your evidence: the reputation computed from it, and every entry with its proof.
pub async fn mine(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let account = caller.account.clone();
    let (reputation, entries) = state
        .run(move |app| {
            Ok((
                app.evidence().my_reputation(&account)?,
                app.evidence().my_evidence(&account)?,
            ))
        })
        .await?;
    let page = EvidencePage {
        layout: Layout::new("Your evidence", Some(&caller), &csrf),
        panel: ReputationPanel::of(&reputation),
        entries: entries.iter().rev().map(EntryRow::of).collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "checkpoint.html")]
struct CheckpointPage {
    layout: Layout,
    checkpoint: Option<Checkpoint>,
    signed_at: String,
    public_key: String,
    key_id: String,
}

/// The log's newest signed checkpoint and the key to check it with, for anyone.
pub async fn checkpoint(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let caller: Option<Caller> = caller.map(|PageCaller(c)| c);
    let checkpoint = state.run(|app| app.evidence().latest_checkpoint()).await?;
    let public = state
        .config
        .evidence_key
        .as_ref()
        .map(|k| k.verifying_key());
    let page = CheckpointPage {
        layout: Layout::new("Evidence log", caller.as_ref(), &csrf),
        signed_at: checkpoint
            .as_ref()
            .map(|c| format_local(c.body.at, "UTC"))
            .unwrap_or_default(),
        checkpoint,
        public_key: public
            .map(|k| hex::encode(k.as_bytes()))
            .unwrap_or_default(),
        key_id: public.map(|k| key_id(&k)).unwrap_or_default(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(name: &str, count: u32, observed: f64) -> Figure {
        Figure {
            name: name.into(),
            value: 0.8,
            low: 0.5,
            high: 0.95,
            new: true,
            formula: String::new(),
            terms: Vec::new(),
            entries: Vec::new(),
            count,
            observed,
        }
    }

    #[test]
    fn a_newcomer_reads_as_what_happened() {
        let on_time = FigureRow::of(&figure("on_time", 2, 1.0));
        assert_eq!(on_time.happened, "2 of 2 on time");
        assert_eq!(on_time.value, "80 %", "the estimate stays beside it");
        assert_eq!(
            FigureRow::of(&figure("review_score", 1, 5.0)).happened,
            "5/5 from 1 review"
        );
        assert_eq!(
            FigureRow::of(&figure("review_score", 2, 4.5)).happened,
            "4.5/5 from 2 reviews"
        );
        assert_eq!(
            FigureRow::of(&figure("completion", 0, 0.0)).happened,
            "no contracts ended yet"
        );
        assert!(
            FigureRow::of(&figure("on_time", 0, 0.0))
                .why
                .starts_with("The estimate")
        );
    }
}
