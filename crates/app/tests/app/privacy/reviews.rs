//! Reviews about a member follow the audiences of the member's review score: nobody reads
//! them unless the member shows that figure to them, and authors are named only to the member
//! and to themselves.

use super::clients::client_in;
use guildhall_app::App;
use guildhall_app::accounts::Account;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member, operator};
use guildhall_app::work::reviews::ReviewInput;
use guildhall_domain::profile::ItemData;
use guildhall_store::testdb::TestDb;

fn review(overall: i32) -> ReviewInput {
    ReviewInput {
        overall,
        criteria: Default::default(),
        text: "Clear and quick".into(),
    }
}

fn authors(app: &App, viewer: Option<&Account>) -> Vec<Option<String>> {
    app.work()
        .reviews_about("worker", viewer)
        .unwrap()
        .into_iter()
        .map(|r| r.author)
        .collect()
}

#[test]
fn reviews_follow_the_members_review_score_audiences() {
    for db in TestDb::all() {
        let app = app(&db);
        let operator = operator(&app, "operator");
        let worker = member(&app, "worker");
        let client = client_in(&app, &operator, &worker, "completed");
        let k = app.work().my_contracts(&client).unwrap()[0].id.clone();
        app.work().write_review(&client, &k, review(5)).unwrap();
        app.work().write_review(&worker, &k, review(4)).unwrap();
        let stranger = member(&app, "stranger");

        // By default clients read them; the member may take that away.
        assert_eq!(
            authors(&app, Some(&client)),
            [Some("client-completed".into())]
        );
        let default = app
            .profiles()
            .my_items(&worker)
            .unwrap()
            .into_iter()
            .find(
                |i| matches!(&i.data, ItemData::Reputation { figure } if figure == "review_score"),
            )
            .expect("shown to clients from the start");
        app.profiles()
            .delete_item(&worker, &default.id.to_string())
            .unwrap();

        // Shown to nobody: only the member reads them.
        assert_eq!(
            authors(&app, Some(&worker)),
            [Some("client-completed".into())]
        );
        for viewer in [None, Some(&stranger), Some(&client)] {
            assert!(authors(&app, viewer).is_empty(), "{:?}", db.backend);
        }

        // Shown to clients: the client reads the review they wrote, by name.
        let item = app
            .profiles()
            .add_item(
                &worker,
                ItemInput {
                    audiences: vec!["clients".into()],
                    data: ItemData::Reputation {
                        figure: "review_score".into(),
                    },
                },
            )
            .unwrap();
        assert_eq!(
            authors(&app, Some(&client)),
            [Some("client-completed".into())]
        );
        assert!(authors(&app, Some(&stranger)).is_empty());
        assert!(authors(&app, None).is_empty());

        // Shown to everyone: the marks and words, without the author's name.
        app.profiles()
            .update_item(
                &worker,
                &item.id,
                ItemInput {
                    audiences: vec!["public".into()],
                    data: ItemData::Reputation {
                        figure: "review_score".into(),
                    },
                },
                None,
            )
            .unwrap();
        let seen = app.work().reviews_about("worker", None).unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!((seen[0].overall, seen[0].author.clone()), (5, None));
        assert_eq!(authors(&app, Some(&stranger)), [None]);
    }
}
