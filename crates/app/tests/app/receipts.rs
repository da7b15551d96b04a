//! Receipts on both databases: a payment released names both parties and splits the amount
//! as the ledger did; a payout and a deposit have theirs; nobody else reads them.

use guildhall_app::AppError;
use guildhall_app::testing::{app, member, operator};
use guildhall_app::work::payouts::{PayoutInput, PayoutMethodInput};
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;

#[test]
fn each_movement_has_a_receipt_for_those_it_concerns() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "operator");
        let client = member(&app, "client");
        let ana = member(&app, "ana");
        let stranger = member(&app, "stranger");
        let eur = Currency::parse("EUR").unwrap();
        let deposit = app
            .work()
            .confirm_deposit(&op, "client", Money::new(100_000, eur), "in")
            .unwrap();
        let k = app
            .work()
            .offer_contract(
                &client,
                OfferInput {
                    member: "ana".into(),
                    title: "Index audit".into(),
                    currency: "EUR".into(),
                    milestones: vec![MilestoneInput {
                        title: "Report".into(),
                        amount: 40_000,
                        due_on: "2099-01-01".into(),
                        by_learner: false,
                    }],
                    community: None,
                    referrer: None,
                    hourly: None,
                    learner: None,
                },
            )
            .unwrap();
        app.work().answer_offer(&ana, &k.id, true).unwrap();
        let m = k.milestones[0].id.clone();
        app.work().fund_milestone(&client, &k.id, &m, "f").unwrap();
        app.work().submit_milestone(&ana, &k.id, &m).unwrap();
        app.work()
            .accept_milestone(&client, &k.id, &m, "a")
            .unwrap();

        let release = app
            .work()
            .statement(&ana, "2000-01-01", "2099-12-31")
            .unwrap()
            .lines
            .into_iter()
            .find(|l| l.kind == "release")
            .unwrap()
            .transaction_id;
        let r = app.work().receipt(&client, &release).unwrap();
        assert_eq!(r.title, "Payment for “Report”");
        assert_eq!((r.from.as_str(), r.to.as_str()), ("@client", "@ana"));
        assert_eq!(r.total, "€400.00");
        let lines: Vec<(&str, i64)> = r
            .lines
            .iter()
            .map(|l| (l.what.as_str(), l.amount))
            .collect();
        assert_eq!(lines, [("Platform fee", 4_000), ("Paid to @ana", 36_000)]);
        assert_eq!(r.contract.as_deref(), Some(k.id.as_str()));
        assert!(app.work().receipt(&ana, &release).is_ok());
        assert!(
            app.work().receipt(&op, &release).is_ok(),
            "operators read every receipt"
        );
        assert!(matches!(
            app.work().receipt(&stranger, &release),
            Err(AppError::NotFound)
        ));

        let d = app
            .work()
            .receipt(&client, &deposit.transaction_id)
            .unwrap();
        assert_eq!(
            (d.title.as_str(), d.to.as_str(), d.total.as_str()),
            ("Money added", "@client", "€1,000.00")
        );
        assert!(matches!(
            app.work().receipt(&ana, &deposit.transaction_id),
            Err(AppError::NotFound)
        ));

        let method = app
            .work()
            .add_payout_method(
                &ana,
                PayoutMethodInput {
                    label: "Savings".into(),
                    details: "IBAN PT50 0002 0123 1234 5678 9015 4".into(),
                },
            )
            .unwrap();
        let p = app
            .work()
            .request_payout(
                &ana,
                PayoutInput {
                    from: "wallet".into(),
                    community: None,
                    amount: 30_000,
                    currency: "EUR".into(),
                    method: method.id,
                },
                "p",
            )
            .unwrap();
        app.work()
            .confirm_payout(&op, &p.id, Some("SEPA 118"), "c")
            .unwrap();
        let paid = app
            .work()
            .statement(&ana, "2000-01-01", "2099-12-31")
            .unwrap()
            .lines
            .into_iter()
            .find(|l| l.kind == "payout")
            .unwrap()
            .transaction_id;
        let r = app.work().receipt(&ana, &paid).unwrap();
        assert_eq!(
            (r.title.as_str(), r.from.as_str(), r.to.as_str()),
            ("Payout", "@ana", "Savings")
        );
        assert_eq!(r.lines[0].what, "Sent to Savings (reference SEPA 118)");
        assert!(matches!(
            app.work().receipt(&client, &paid),
            Err(AppError::NotFound)
        ));
        // Money an operator paid out without a request has its receipt too.
        app.work()
            .record_payout(&op, "ana", Money::new(1_000, eur), "direct")
            .unwrap();
        let direct = app
            .work()
            .statement(&ana, "2000-01-01", "2099-12-31")
            .unwrap()
            .lines
            .into_iter()
            .rev()
            .find(|l| l.kind == "payout")
            .unwrap()
            .transaction_id;
        let r = app.work().receipt(&ana, &direct).unwrap();
        assert_eq!(
            (
                r.title.as_str(),
                r.from.as_str(),
                r.to.as_str(),
                r.total.as_str()
            ),
            ("Paid out", "@ana", "The payment provider", "€10.00")
        );
        assert!(matches!(
            app.work().receipt(&ana, "no-such-transaction"),
            Err(AppError::NotFound)
        ));
    }
}
