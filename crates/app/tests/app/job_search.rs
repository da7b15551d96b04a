//! Searching open jobs on both databases: every filter narrows, pages follow one another
//! without a gap or a repeat, a community's jobs stay with its members, and bad criteria are
//! field errors that name the field.

use crate::jobs::job;
use guildhall_app::accounts::Account;
use guildhall_app::communities::CommunityInput;
use guildhall_app::testing::{app, member};
use guildhall_app::work::jobs::{JobInput, JobSearch};
use guildhall_app::{App, AppError, PageRequest};
use guildhall_store::testdb::TestDb;

fn titles(app: &App, who: &Account, search: &JobSearch) -> Vec<String> {
    app.work()
        .search_jobs(who, search, &PageRequest::default())
        .unwrap()
        .items
        .into_iter()
        .map(|j| j.title)
        .collect()
}

fn field_of(e: AppError) -> String {
    match e {
        AppError::Validation(fe) => fe.0[0].path.clone(),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn each_filter_narrows_the_open_jobs() {
    for db in TestDb::all() {
        let app = app(&db);
        let (client, ana) = (member(&app, "client"), member(&app, "ana"));
        app.communities()
            .create_community(
                &client,
                CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        let post = |input: JobInput| app.work().post_job(&client, input).unwrap();
        post(job("Speed up the nightly load", None));
        post(JobInput {
            remote: false,
            place: "Lisbon".into(),
            budget_max: 250_000,
            starts_on: "2027-03-01".into(),
            ends_on: "2027-04-30".into(),
            ..job("Rebuild the WAREHOUSE dashboards", None)
        });
        post(job("Guild-only pipeline review", Some("data-guild")));
        post(JobInput {
            skills: vec![guildhall_app::work::jobs::JobSkill {
                label: "Figma".into(),
                weight: 3,
                min_level: 3,
                required: true,
                skill_id: None,
            }],
            ..job("Design the onboarding screens", None)
        });

        // Ana is not in the guild: its job is never among hers, whatever she asks.
        let all = titles(&app, &ana, &JobSearch::default());
        assert_eq!(all.len(), 3, "{all:?}");
        let search = |s: JobSearch| titles(&app, &ana, &s);
        assert_eq!(
            search(JobSearch {
                q: Some("warehouse".into()),
                ..JobSearch::default()
            }),
            ["Rebuild the WAREHOUSE dashboards"]
        );
        assert_eq!(
            search(JobSearch {
                q: Some("speed six".into()),
                ..JobSearch::default()
            }),
            ["Speed up the nightly load"],
            "every word, in the title or the details"
        );
        assert_eq!(
            search(JobSearch {
                skill: Some("figma".into()),
                ..JobSearch::default()
            }),
            ["Design the onboarding screens"]
        );
        assert_eq!(
            search(JobSearch {
                remote: Some(true),
                ..JobSearch::default()
            })
            .len(),
            2
        );
        assert_eq!(
            search(JobSearch {
                pays_at_least: Some("3000".into()),
                currency: Some("EUR".into()),
                ..JobSearch::default()
            })
            .len(),
            2,
            "the dashboards pay at most €2,500"
        );
        assert!(
            search(JobSearch {
                pays_at_least: Some("1".into()),
                currency: Some("USD".into()),
                ..JobSearch::default()
            })
            .is_empty(),
            "no job pays in dollars"
        );
        assert_eq!(
            search(JobSearch {
                starts_from: Some("2027-02-01".into()),
                ..JobSearch::default()
            }),
            ["Rebuild the WAREHOUSE dashboards"]
        );
        assert_eq!(
            search(JobSearch {
                ends_by: Some("2027-02-01".into()),
                ..JobSearch::default()
            })
            .len(),
            2
        );
        // The client sees their own jobs unless asked to leave them out.
        let theirs = titles(&app, &client, &JobSearch::default());
        assert_eq!(theirs.len(), 4);
        let others = titles(
            &app,
            &client,
            &JobSearch {
                others_only: true,
                ..JobSearch::default()
            },
        );
        assert!(others.is_empty());
        assert_eq!(
            titles(
                &app,
                &client,
                &JobSearch {
                    community: Some("data-guild".into()),
                    ..JobSearch::default()
                }
            ),
            ["Guild-only pipeline review"]
        );

        // Bad criteria name their field; a community must be one of the caller's.
        let fails = |s: JobSearch| {
            field_of(
                app.work()
                    .search_jobs(&ana, &s, &PageRequest::default())
                    .unwrap_err(),
            )
        };
        assert_eq!(
            fails(JobSearch {
                community: Some("data-guild".into()),
                ..JobSearch::default()
            }),
            "/community"
        );
        assert_eq!(
            fails(JobSearch {
                skill: Some("no such craft at all".into()),
                ..JobSearch::default()
            }),
            "/skill"
        );
        assert_eq!(
            fails(JobSearch {
                pays_at_least: Some("lots".into()),
                currency: Some("EUR".into()),
                ..JobSearch::default()
            }),
            "/pays_at_least"
        );
        assert_eq!(
            fails(JobSearch {
                pays_at_least: Some("10".into()),
                ..JobSearch::default()
            }),
            "/currency"
        );
        assert_eq!(
            fails(JobSearch {
                starts_from: Some("1 March".into()),
                ..JobSearch::default()
            }),
            "/starts_from"
        );
        // LIKE's own characters are taken as typed.
        assert!(
            search(JobSearch {
                q: Some("%".into()),
                ..JobSearch::default()
            })
            .is_empty()
        );
    }
}

#[test]
fn pages_follow_one_another_without_gaps_or_repeats() {
    for db in TestDb::all() {
        let app = app(&db);
        let (client, ana) = (member(&app, "client"), member(&app, "ana"));
        for n in 0..7 {
            app.work()
                .post_job(&client, job(&format!("Nightly load number {n}"), None))
                .unwrap();
        }
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = app
                .work()
                .search_jobs(
                    &ana,
                    &JobSearch::default(),
                    &PageRequest {
                        cursor: cursor.clone(),
                        limit: Some(3),
                    },
                )
                .unwrap();
            assert!(page.items.len() <= 3);
            seen.extend(page.items.into_iter().map(|j| j.title));
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let expected: Vec<String> = (0..7)
            .rev()
            .map(|n| format!("Nightly load number {n}"))
            .collect();
        assert_eq!(seen, expected, "newest first, each once");
        let bad = app.work().search_jobs(
            &ana,
            &JobSearch::default(),
            &PageRequest {
                cursor: Some("!!".into()),
                limit: None,
            },
        );
        assert_eq!(field_of(bad.unwrap_err()), "/cursor");
    }
}
