//! Notifications on both databases: each notifying use case tells exactly the people it
//! concerns, once, never the one who acted; preferences turn a topic off; the inbox reads,
//! counts and marks what it holds.

use guildhall_app::accounts::Account;
use guildhall_app::clock::ManualClock;
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::discussions::ThreadInput;
use guildhall_app::notifications::{MarkRead, NotificationView, PreferenceInput};
use guildhall_app::testing::{app_with_clock, member, one_milestone_offer, sign_up_input};
use guildhall_app::{App, AppError, PageRequest};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

/// 2026-11-22T00:00:00Z.
const NOW: i64 = 1_795_305_600_000;

fn inbox(app: &App, who: &Account) -> Vec<NotificationView> {
    app.notifications()
        .inbox(who, &PageRequest::default())
        .unwrap()
        .items
}

/// The topics of what `who` was told since `seen` notifications, oldest first.
fn news(app: &App, who: &Account, seen: &mut usize) -> Vec<String> {
    let all = inbox(app, who);
    let fresh: Vec<String> = all[..all.len() - *seen]
        .iter()
        .rev()
        .map(|n| n.topic.clone())
        .collect();
    *seen = all.len();
    fresh
}

struct World {
    app: App,
    client: Account,
    worker: Account,
    bystander: Account,
}

fn world(db: &TestDb) -> World {
    let app = app_with_clock(db, Arc::new(ManualClock::at(NOW)));
    let operator = app
        .accounts()
        .create_account(
            guildhall_app::accounts::SignUp {
                email: "op@example.org".into(),
                ..sign_up_input("operator")
            },
            true,
        )
        .unwrap();
    let client = member(&app, "client");
    let worker = member(&app, "worker");
    let bystander = member(&app, "bystander");
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(&operator, "client", Money::new(1_000_000, eur), "seed")
        .unwrap();
    World {
        app,
        client,
        worker,
        bystander,
    }
}

#[test]
fn the_money_path_tells_each_party_once_and_never_the_actor() {
    for db in TestDb::all() {
        let w = world(&db);
        let (app, client, worker) = (&w.app, &w.client, &w.worker);
        let (mut seen_client, mut seen_worker) = (0, 0);
        assert_eq!(
            news(app, client, &mut seen_client),
            ["deposits"],
            "the operators' direct credit is told"
        );

        let contract = app
            .work()
            .offer_contract(
                client,
                one_milestone_offer("worker", "Warehouse audit", "2026-12-20"),
            )
            .unwrap();
        assert_eq!(news(app, worker, &mut seen_worker), ["offers"]);
        assert!(news(app, client, &mut seen_client).is_empty());
        let offered = &inbox(app, worker)[0];
        assert_eq!(offered.link, format!("/work/contracts/{}", contract.id));
        assert!(
            offered.text.contains("@client") && offered.text.contains("€1,000.00"),
            "{}",
            offered.text
        );

        app.work().answer_offer(worker, &contract.id, true).unwrap();
        assert_eq!(news(app, client, &mut seen_client), ["offers"]);
        assert!(news(app, worker, &mut seen_worker).is_empty());

        let m = contract.milestones[0].id.clone();
        app.work()
            .fund_milestone(client, &contract.id, &m, "fund-1")
            .unwrap();
        assert_eq!(news(app, worker, &mut seen_worker), ["milestones_funded"]);
        // A replay of the same key moves no money and tells nobody again.
        app.work()
            .fund_milestone(client, &contract.id, &m, "fund-1")
            .unwrap();
        assert!(news(app, worker, &mut seen_worker).is_empty());
        assert!(news(app, client, &mut seen_client).is_empty());

        app.work()
            .submit_milestone(worker, &contract.id, &m)
            .unwrap();
        assert_eq!(news(app, client, &mut seen_client), ["deliveries"]);
        let delivered = &inbox(app, client)[0];
        assert!(
            delivered.text.contains("released on 2026-12-06"),
            "the delivery names its automatic release: {}",
            delivered.text
        );

        app.work()
            .accept_milestone(client, &contract.id, &m, "accept-1")
            .unwrap();
        assert_eq!(
            news(app, worker, &mut seen_worker),
            ["acceptances", "payments"]
        );
        assert!(news(app, client, &mut seen_client).is_empty());
        let paid = &inbox(app, worker)[0];
        assert!(paid.text.contains("was released to you"), "{}", paid.text);

        assert!(inbox(app, &w.bystander).is_empty());
    }
}

/// Notifications follow the change feed: however many nodes follow it at once, and however
/// many events wait (more than one transaction's batch), each event tells its people once.
#[test]
fn nodes_following_the_feed_at_once_tell_each_event_once() {
    for db in TestDb::all() {
        let w = world(&db);
        let (app, client) = (&w.app, &w.client);
        let offers: i64 = 300;
        for i in 0..offers {
            app.work()
                .offer_contract(
                    client,
                    one_milestone_offer("worker", &format!("Audit {i}"), "2026-12-20"),
                )
                .unwrap();
        }
        // Two more nodes over the same database follow the feed at the same time as this one.
        let nodes: Vec<App> = (0..2)
            .map(|_| app_with_clock(&db, Arc::new(ManualClock::at(NOW))))
            .collect();
        std::thread::scope(|s| {
            for node in &nodes {
                s.spawn(move || node.notifications().catch_up().unwrap());
            }
            app.notifications().catch_up().unwrap();
        });
        let unread = app.notifications().unread_count(&w.worker).unwrap();
        assert_eq!(unread, offers, "one notification per offer");
        assert!(inbox(app, &w.worker).iter().all(|n| n.topic == "offers"));
        assert_eq!(
            app.notifications().catch_up().unwrap(),
            0,
            "nothing is left"
        );
    }
}

#[test]
fn the_inbox_counts_marks_and_opens_what_it_holds() {
    for db in TestDb::all() {
        let w = world(&db);
        let (app, worker) = (&w.app, &w.worker);
        app.profiles()
            .request_connection(&w.client, "worker")
            .unwrap();
        app.profiles()
            .request_connection(&w.bystander, "worker")
            .unwrap();
        assert_eq!(app.notifications().unread_count(worker).unwrap(), 2);
        let items = inbox(app, worker);
        assert_eq!(items[0].link, "/u/bystander");
        assert_eq!(items[0].text, "@bystander asked to connect with you");

        let opened = app.notifications().open(worker, &items[1].id).unwrap();
        assert_eq!(opened.link, "/u/client");
        assert!(opened.read);
        assert_eq!(app.notifications().unread_count(worker).unwrap(), 1);
        // Someone else's notification is not found, and marks nothing.
        assert!(matches!(
            app.notifications().open(&w.client, &items[0].id),
            Err(AppError::NotFound)
        ));
        let marked = app
            .notifications()
            .mark_read(
                &w.client,
                &MarkRead {
                    ids: Some(vec![items[0].id.clone()]),
                },
            )
            .unwrap();
        assert_eq!(marked, 0);
        assert_eq!(app.notifications().unread_count(worker).unwrap(), 1);

        assert_eq!(
            app.notifications()
                .mark_read(worker, &MarkRead::default())
                .unwrap(),
            1
        );
        assert_eq!(app.notifications().unread_count(worker).unwrap(), 0);

        // Accepting tells the one who asked.
        let requests = app
            .profiles()
            .list_connections(
                worker,
                guildhall_app::connections::ConnectionFilter::Pending,
                &PageRequest::default(),
            )
            .unwrap();
        let from_client = requests
            .items
            .iter()
            .find(|r| r.handle == "client")
            .unwrap();
        app.profiles()
            .accept_connection(worker, &from_client.id)
            .unwrap();
        let told = inbox(app, &w.client);
        assert_eq!(told[0].topic, "connections_accepted");
        assert_eq!(told[0].text, "@worker accepted your request to connect");
    }
}

#[test]
fn a_topic_turned_off_creates_nothing_and_bad_choices_change_nothing() {
    for db in TestDb::all() {
        let w = world(&db);
        let (app, worker) = (&w.app, &w.worker);
        let off = |topic: &str, delivery: &str| PreferenceInput {
            topic: topic.into(),
            delivery: delivery.into(),
        };
        let prefs = app
            .notifications()
            .set_preferences(worker, &[off("connection_requests", "off")])
            .unwrap();
        let requests = prefs
            .iter()
            .find(|p| p.topic == "connection_requests")
            .unwrap();
        assert_eq!(
            (requests.delivery.as_str(), requests.default),
            ("off", false)
        );
        app.profiles()
            .request_connection(&w.client, "worker")
            .unwrap();
        assert!(inbox(app, worker).is_empty());

        // One bad entry refuses the whole change.
        let refused = app.notifications().set_preferences(
            worker,
            &[off("connection_requests", "in_app"), off("gossip", "email")],
        );
        let Err(AppError::Validation(errors)) = refused else {
            panic!("an unknown topic is refused: {refused:?}");
        };
        assert!(format!("{errors:?}").contains("/preferences/1/topic"));
        let still = app.notifications().preferences(worker).unwrap();
        assert!(
            still
                .iter()
                .any(|p| p.topic == "connection_requests" && p.delivery == "off")
        );

        // Back to the default: the row goes, and news arrives again.
        app.notifications()
            .set_preferences(worker, &[off("connection_requests", "in_app")])
            .unwrap();
        app.profiles()
            .request_connection(&w.bystander, "worker")
            .unwrap();
        assert_eq!(inbox(app, worker).len(), 1);
    }
}

#[test]
fn discussions_tell_the_mentioned_once_and_other_participants_of_replies() {
    for db in TestDb::all() {
        let w = world(&db);
        let app = &w.app;
        app.communities()
            .create_community(
                &w.client,
                CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        for who in [&w.worker, &w.bystander] {
            app.communities().join_community(who, "data-guild").unwrap();
        }
        let thread = app
            .communities()
            .start_thread(
                &w.client,
                "data-guild",
                ThreadInput {
                    title: "Pricing audits".into(),
                    body: "What do you charge, @worker?".into(),
                },
            )
            .unwrap();
        // The client was told of the money the world credited them; that is not news here.
        let (mut seen_worker, mut seen_client, mut seen_bystander) = (0, 1, 0);
        assert_eq!(news(app, &w.worker, &mut seen_worker), ["mentions"]);
        assert!(news(app, &w.client, &mut seen_client).is_empty());

        app.communities()
            .reply(&w.worker, "data-guild", &thread.id, "By the day.")
            .unwrap();
        assert_eq!(news(app, &w.client, &mut seen_client), ["replies"]);
        assert!(news(app, &w.worker, &mut seen_worker).is_empty());

        // The bystander mentions the client, who took part: told once, of the mention.
        app.communities()
            .reply(&w.bystander, "data-guild", &thread.id, "Ask @client too.")
            .unwrap();
        assert_eq!(news(app, &w.client, &mut seen_client), ["mentions"]);
        assert_eq!(news(app, &w.worker, &mut seen_worker), ["replies"]);
        assert!(news(app, &w.bystander, &mut seen_bystander).is_empty());
        let link = &inbox(app, &w.client)[0].link;
        assert_eq!(link, &format!("/c/data-guild/t/{}", thread.id));
    }
}

#[test]
fn the_digest_lists_what_each_member_has_to_do_and_nothing_of_others() {
    use guildhall_app::communities::gatherings::EventInput;
    for db in TestDb::all() {
        let w = world(&db);
        let (app, client, worker) = (&w.app, &w.client, &w.worker);
        assert!(app.notifications().digest(worker).unwrap().is_empty());
        let contract = app
            .work()
            .offer_contract(
                client,
                one_milestone_offer("worker", "Warehouse audit", "2026-11-25"),
            )
            .unwrap();
        let waiting = app.notifications().digest(worker).unwrap().waiting;
        assert_eq!(
            waiting[0].text,
            "Accept or decline the contract offered to you, “Warehouse audit”"
        );
        assert_eq!(waiting[0].link, format!("/work/contracts/{}", contract.id));

        app.work().answer_offer(worker, &contract.id, true).unwrap();
        let m = contract.milestones[0].id.clone();
        app.work()
            .fund_milestone(client, &contract.id, &m, "fund-1")
            .unwrap();
        let due = app.notifications().digest(worker).unwrap().deadlines;
        assert_eq!(
            due[0].text,
            "Deliver “Count” of “Warehouse audit”: it is due on 2026-11-25"
        );
        app.work()
            .submit_milestone(worker, &contract.id, &m)
            .unwrap();
        let to_accept = app.notifications().digest(client).unwrap().deadlines;
        assert!(
            to_accept[0].text.starts_with(
                "Accept or return “Count” of “Warehouse audit”: it is released on 2026-12-0"
            ),
            "{}",
            to_accept[0].text
        );
        assert!(
            app.notifications()
                .digest(worker)
                .unwrap()
                .deadlines
                .is_empty()
        );

        // An event this week is listed for the community's members only.
        app.communities()
            .create_community(
                client,
                CommunityInput {
                    name: "Data Guild".into(),
                    slug: "data-guild".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        app.communities()
            .join_community(worker, "data-guild")
            .unwrap();
        let event = app
            .communities()
            .create_event(
                client,
                "data-guild",
                EventInput {
                    title: "Sprint review".into(),
                    description: String::new(),
                    starts: "2026-11-24T18:00".into(),
                    ends: "2026-11-24T19:00".into(),
                    timezone: "UTC".into(),
                    online_url: Some("https://meet.example.org/sprint".into()),
                    place: None,
                    capacity: None,
                    credit: None,
                },
            )
            .unwrap();
        app.communities()
            .rsvp(worker, "data-guild", &event.id, true)
            .unwrap();
        let events = app.notifications().digest(worker).unwrap().events;
        assert_eq!(
            events[0].text,
            "“Sprint review” in Data Guild, 2026-11-24 18:00 UTC: you are going"
        );
        assert_eq!(events[0].link, format!("/c/data-guild#event-{}", event.id));
        assert!(app.notifications().digest(&w.bystander).unwrap().is_empty());
    }
}

#[test]
fn marking_and_choosing_take_bounded_lists() {
    let db = TestDb::sqlite().unwrap();
    let w = world(&db);
    let too_many = MarkRead {
        ids: Some((0..101).map(|i| format!("id-{i}")).collect()),
    };
    assert!(matches!(
        w.app.notifications().mark_read(&w.worker, &too_many),
        Err(AppError::Validation(_))
    ));
    let hundred = MarkRead {
        ids: Some((0..100).map(|i| format!("id-{i}")).collect()),
    };
    assert_eq!(
        w.app
            .notifications()
            .mark_read(&w.worker, &hundred)
            .unwrap(),
        0
    );
    let every_topic_and_one: Vec<PreferenceInput> = (0..=guildhall_domain::notify::Topic::ALL
        .len())
        .map(|_| PreferenceInput {
            topic: "offers".into(),
            delivery: "email".into(),
        })
        .collect();
    assert!(matches!(
        w.app
            .notifications()
            .set_preferences(&w.worker, &every_topic_and_one),
        Err(AppError::Validation(_))
    ));
    assert!(
        w.app
            .notifications()
            .set_preferences(&w.worker, &every_topic_and_one[1..])
            .is_ok()
    );
}
