//! "New work that fits you" on both databases: when a job opens, the members it fits are told
//! (by all they claim, since each hears only of their own fit), in the inbox and the digest;
//! never the client, a member blocked with them, an outsider of a community job, or a member
//! who turned the topic off; and once only.

use crate::jobs::job;
use crate::matching::claim;
use guildhall_app::accounts::Account;
use guildhall_app::communities::CommunityInput;
use guildhall_app::notifications::PreferenceInput;
use guildhall_app::testing::{app, member};
use guildhall_app::work::jobs::JobInput;
use guildhall_app::{App, PageRequest};
use guildhall_store::testdb::TestDb;

fn told(app: &App, who: &Account) -> Vec<String> {
    app.notifications()
        .inbox(who, &PageRequest::default())
        .unwrap()
        .items
        .into_iter()
        .filter(|n| n.topic == "work_that_fits")
        .map(|n| n.text)
        .collect()
}

#[test]
fn members_a_new_job_fits_are_told_once_and_only_they() {
    for db in TestDb::all() {
        let app = app(&db);
        let (client, ana, bob, cyd, dan) = (
            member(&app, "client"),
            member(&app, "ana"),
            member(&app, "bob"),
            member(&app, "cyd"),
            member(&app, "dan"),
        );
        claim(&app, &dan, "SQL", 5, "public");
        // Ana keeps her SQL (the skill dan's claim shared) private: she is told of her own
        // fit all the same.
        claim(&app, &ana, "SQL", 5, "private");
        claim(&app, &ana, "Python", 3, "public");
        claim(&app, &bob, "Figma", 5, "public");
        claim(&app, &cyd, "SQL", 5, "public");
        claim(&app, &client, "SQL", 5, "public");
        app.conversations().block(&cyd, "client").unwrap();
        app.communities()
            .create_community(
                &ana,
                CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        app.communities()
            .join_community(&client, "data-guild")
            .unwrap();

        app.work()
            .post_job(&client, job("Speed up the nightly load", None))
            .unwrap();
        app.work()
            .post_job(
                &client,
                JobInput {
                    publish: false,
                    occupation: None,
                    ..job("A draft nobody hears of", None)
                },
            )
            .unwrap();
        assert_eq!(app.matching().tell_fitting_members().unwrap(), 2);
        assert_eq!(
            told(&app, &ana),
            ["New work that fits your skills: “Speed up the nightly load”"]
        );
        assert_eq!(told(&app, &dan).len(), 1);
        assert!(told(&app, &bob).is_empty(), "Figma does not fit");
        assert!(told(&app, &cyd).is_empty(), "cyd blocked the client");
        assert!(told(&app, &client).is_empty(), "never of one's own job");
        assert_eq!(app.matching().tell_fitting_members().unwrap(), 0, "once");

        // It comes in the digest, newest first, until it is looked at.
        let digest = app.notifications().digest(&ana).unwrap();
        assert_eq!(digest.work.len(), 1);
        assert!(
            digest.work[0]
                .text
                .starts_with("“Speed up the nightly load”, €2,000.00")
        );

        // A community job reaches its members only; a member who turned it off hears nothing.
        app.notifications()
            .set_preferences(
                &ana,
                &[PreferenceInput {
                    topic: "work_that_fits".into(),
                    delivery: "off".into(),
                }],
            )
            .unwrap();
        app.work()
            .post_job(
                &client,
                job("Guild-only pipeline review", Some("data-guild")),
            )
            .unwrap();
        app.matching().tell_fitting_members().unwrap();
        assert_eq!(told(&app, &ana).len(), 1, "turned off");
        assert_eq!(told(&app, &dan).len(), 1, "dan is not in the guild");
    }
}
