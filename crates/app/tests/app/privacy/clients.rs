//! A member's *client* is someone whose contract the member accepted, in whatever state the
//! contract is now; an offer that was never accepted gives its sender nothing.

use guildhall_app::App;
use guildhall_app::accounts::Account;
use guildhall_app::profiles::ItemInput;
use guildhall_app::testing::{app, member, operator};
use guildhall_app::work::disputes::DisputeInput;
use guildhall_app::work::{ContractView, MilestoneInput, OfferInput};
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::profile::ItemData;
use guildhall_store::testdb::TestDb;

/// An offer of two milestones to `worker`.
pub fn offer_input(worker: &str) -> OfferInput {
    OfferInput {
        member: worker.into(),
        title: "Index audit".into(),
        currency: "EUR".into(),
        milestones: (0..2)
            .map(|i| MilestoneInput {
                title: format!("Part {i}"),
                amount: 10_000,
                due_on: "2030-01-01".into(),
                by_learner: false,
            })
            .collect(),
        community: None,
        referrer: None,
        hourly: None,
        learner: None,
    }
}

/// `client` offers `worker` two milestones.
pub fn offer_to(app: &App, client: &Account, worker: &str) -> ContractView {
    app.work()
        .offer_contract(client, offer_input(worker))
        .unwrap()
}

/// Brings a fresh contract between a new client and `worker` to `state`, and returns the
/// client.
pub fn client_in(app: &App, operator: &Account, worker: &Account, state: &str) -> Account {
    let client = member(app, &format!("client-{state}"));
    let eur = Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(operator, &client.handle, Money::new(100_000, eur), state)
        .unwrap();
    let k = offer_to(app, &client, &worker.handle);
    let m0 = k.milestones[0].id.clone();
    let started = |app: &App| {
        app.work().answer_offer(worker, &k.id, true).unwrap();
        app.work()
            .fund_milestone(&client, &k.id, &m0, &format!("{state}-fund"))
            .unwrap();
    };
    let end = match state {
        "offered" => k,
        "declined" => app.work().answer_offer(worker, &k.id, false).unwrap(),
        "withdrawn" => app.work().answer_offer(&client, &k.id, false).unwrap(),
        "active" => {
            started(app);
            app.work().contract(&client, &k.id).unwrap()
        }
        "disputed" => {
            started(app);
            let input = DisputeInput {
                milestone: m0.clone(),
                reason: "The work has not started at all".into(),
            };
            app.work().open_dispute(&client, &k.id, input).unwrap()
        }
        "cancelled" => {
            started(app);
            app.work()
                .cancel_contract(&client, &k.id, "Plans changed")
                .unwrap()
        }
        "completed" => {
            started(app);
            let m1 = k.milestones[1].id.clone();
            app.work().submit_milestone(worker, &k.id, &m0).unwrap();
            app.work()
                .accept_milestone(&client, &k.id, &m0, "a0")
                .unwrap();
            app.work()
                .fund_milestone(&client, &k.id, &m1, "f1")
                .unwrap();
            app.work().submit_milestone(worker, &k.id, &m1).unwrap();
            app.work()
                .accept_milestone(&client, &k.id, &m1, "a1")
                .unwrap()
        }
        other => panic!("no such state {other}"),
    };
    assert_eq!(end.status.as_str(), state);
    client
}

fn sees_clients_item(app: &App, viewer: &Account) -> bool {
    app.profiles()
        .view_profile("worker", Some(viewer))
        .unwrap()
        .items
        .iter()
        .any(|i| matches!(&i.data, ItemData::Headline { text } if text == "Rates for clients only"))
}

#[test]
fn only_a_contract_the_member_accepted_makes_a_client() {
    for db in TestDb::all() {
        let app = app(&db);
        let operator = operator(&app, "operator");
        let worker = member(&app, "worker");
        app.profiles()
            .add_item(
                &worker,
                ItemInput {
                    audiences: vec!["clients".into()],
                    data: ItemData::Headline {
                        text: "Rates for clients only".into(),
                    },
                },
            )
            .unwrap();
        for status in ContractStatus::ALL {
            let client = client_in(&app, &operator, &worker, status.as_str());
            assert_eq!(
                sees_clients_item(&app, &client),
                status.was_accepted(),
                "{status:?} on {:?}",
                db.backend
            );
        }
        let stranger = member(&app, "stranger");
        assert!(!sees_clients_item(&app, &stranger));
    }
}
