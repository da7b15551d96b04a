//! Account erasure on both databases: refused while money is held or work is under way, and
//! after the password; afterwards no table holds the member's handle or addresses, the
//! evidence log verifies, the ledger balances, the client keeps their own evidence of the
//! shared work, the member's credential still verifies, and their community has a new owner.

use ed25519_dalek::SigningKey;
use guildhall_app::accounts::{Account, AttemptOrigin, EraseAccount};
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::discussions::ThreadInput;
use guildhall_app::conversations::NewConversation;
use guildhall_app::credentials::{CredentialRequest, Signer};
use guildhall_app::testing::{PASSWORD, app, completed_contract, member, operator, write};
use guildhall_app::work::payouts::{PayoutInput, PayoutMethodInput};
use guildhall_app::{App, AppError};
use guildhall_domain::community::{Role, Visibility};
use guildhall_domain::credentials::badge::{Issuer, Kind};
use guildhall_domain::profile::ItemData;
use guildhall_store::DbConnection;
use guildhall_store::testdb::TestDb;

/// The member's handle and addresses: distinctive, so a scan finds nothing else.
const HANDLE: &str = "zeldawren";
const SECOND_ADDRESS: &str = "Wren.Private@example.net";

fn signer() -> Signer {
    Signer {
        key: SigningKey::from_bytes(&[9u8; 32]),
        retired: Vec::new(),
        issuer: Issuer {
            did: "did:web:guild.example.org".into(),
            name: "Example Guild".into(),
            url: "https://guild.example.org".into(),
        },
    }
}

/// Every row of every table whose text holds `needle`, ignoring case, as `table: row`.
fn rows_holding(c: &mut DbConnection, needle: &str) -> Vec<String> {
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        text: String,
    }
    let postgres = matches!(c, DbConnection::Postgresql(_));
    let tables: Vec<Name> = diesel::sql_query(if postgres {
        "SELECT table_name AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    })
    .load(c)
    .unwrap();
    let mut found = Vec::new();
    for table in tables.iter().map(|t| t.name.as_str()) {
        let columns: Vec<Name> = diesel::sql_query(if postgres {
            format!(
                "SELECT column_name AS name FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = '{table}'"
            )
        } else {
            format!("SELECT name FROM pragma_table_info('{table}')")
        })
        .load(c)
        .unwrap();
        let row = columns
            .iter()
            .map(|col| format!("COALESCE(CAST(\"{}\" AS TEXT), '')", col.name))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<Row> = diesel::sql_query(format!("SELECT {row} AS text FROM \"{table}\""))
            .load(c)
            .unwrap();
        let needle = needle.to_lowercase();
        found.extend(
            rows.into_iter()
                .filter(|r| r.text.to_lowercase().contains(&needle))
                .map(|r| format!("{table}: {}", r.text)),
        );
    }
    found
}

/// The member's life on the instance: every place their name or words could be kept.
struct World {
    zelda: Account,
    client: Account,
    op: Account,
    curator: Account,
    contract: String,
    /// The member's copy of their credential.
    credential: serde_json::Value,
}

fn a_full_life(app: &App) -> World {
    let op = operator(app, "operator");
    let zelda = member(app, HANDLE);
    let client = member(app, "client");
    let curator = member(app, "curator");
    app.accounts().add_address(&zelda, SECOND_ADDRESS).unwrap();
    app.profiles()
        .add_item(
            &zelda,
            guildhall_app::profiles::ItemInput {
                audiences: vec!["public".into()],
                data: ItemData::Headline {
                    text: format!("Data work by {HANDLE}"),
                },
            },
        )
        .unwrap();
    app.accounts()
        .create_token(&zelda, &format!("{HANDLE}'s laptop"))
        .unwrap();
    let c = app.profiles().request_connection(&zelda, "client").unwrap();
    app.profiles().accept_connection(&client, &c.id).unwrap();

    // A community Zelda owns alone, with a curator to pass it to.
    app.communities()
        .create_community(
            &zelda,
            CommunityInput {
                name: "Wren's data guild".into(),
                slug: "wren-guild".into(),
                visibility: Some(Visibility::Public),
                ..CommunityInput::default()
            },
        )
        .unwrap();
    app.communities()
        .join_community(&curator, "wren-guild")
        .unwrap();
    app.communities()
        .set_community_role(&zelda, "wren-guild", "curator", Role::Curator)
        .unwrap();
    app.communities()
        .start_thread(
            &zelda,
            "wren-guild",
            ThreadInput {
                title: format!("Hello from {HANDLE}"),
                body: format!("I am {HANDLE}, write to {SECOND_ADDRESS}"),
            },
        )
        .unwrap();
    app.conversations()
        .start(
            &zelda,
            NewConversation {
                to: vec!["client".into()],
                title: String::new(),
                body: format!("Reach me at {SECOND_ADDRESS}"),
            },
        )
        .unwrap();

    // Paid work, a credential for it, and the money paid out.
    let contract = completed_contract(app, &op, &client, &zelda, "Warehouse audit");
    let credential = app
        .credentials()
        .request(
            &zelda,
            &signer(),
            &CredentialRequest {
                kind: Kind::Contract,
                about: contract.clone(),
            },
        )
        .unwrap();
    assert!(credential.document.to_string().contains(HANDLE));
    World {
        zelda,
        client,
        op,
        curator,
        credential: credential.document,
        contract,
    }
}

fn pay_out_everything(app: &App, op: &Account, who: &Account) {
    let method = app
        .work()
        .add_payout_method(
            who,
            PayoutMethodInput {
                label: "Savings".into(),
                details: format!("{HANDLE}, IBAN PT50 0002 0123 1234 5678 9015 4"),
            },
        )
        .unwrap();
    let held = app
        .work()
        .balances(who)
        .unwrap()
        .into_iter()
        .find(|b| b.kind == "wallet")
        .unwrap()
        .minor;
    let payout = app
        .work()
        .request_payout(
            who,
            PayoutInput {
                from: "wallet".into(),
                community: None,
                amount: held,
                currency: "EUR".into(),
                method: method.id,
            },
            "all",
        )
        .unwrap();
    app.work()
        .confirm_payout(op, &payout.id, Some("SEPA 1"), "sent")
        .unwrap();
}

fn erase(
    app: &App,
    who: &Account,
    password: &str,
) -> Result<guildhall_app::accounts::Erased, AppError> {
    app.accounts().erase_account(
        who,
        &EraseAccount {
            password: password.into(),
            revoke_credentials: false,
        },
    )
}

#[test]
fn erasure_waits_for_money_and_the_password_then_leaves_nothing_personal_and_every_proof_valid() {
    for db in TestDb::all() {
        let app = app(&db);
        let world = a_full_life(&app);
        let zelda = &world.zelda;

        // Money held for the member stops it, in words; so does a wrong password.
        let blockers = app.accounts().erasure_blockers(zelda).unwrap();
        assert_eq!(blockers.len(), 1, "{blockers:?}");
        assert!(blockers[0].contains("pay it out first"), "{blockers:?}");
        assert!(matches!(
            erase(&app, zelda, PASSWORD),
            Err(AppError::Conflict { .. })
        ));
        pay_out_everything(&app, &world.op, zelda);
        assert!(app.accounts().erasure_blockers(zelda).unwrap().is_empty());
        assert!(matches!(
            erase(&app, zelda, "not the password"),
            Err(AppError::Validation(_))
        ));
        assert!(
            !write(&app, |c| Ok(rows_holding(c, HANDLE)))
                .unwrap()
                .is_empty()
        );

        let erased = erase(&app, zelda, PASSWORD).unwrap();
        assert!(erased.handle.starts_with("erased-"));
        assert_eq!(erased.communities_passed.len(), 1);
        assert_eq!(erased.communities_passed[0].to, "curator");
        assert!(erased.evidence_withdrawn > 0);

        // Nothing personal is left anywhere.
        for needle in [HANDLE, "zeldawren@example.org", SECOND_ADDRESS] {
            let left = write(&app, |c| Ok(rows_holding(c, needle))).unwrap();
            assert!(
                left.is_empty(),
                "{needle} is still in:\n{}",
                left.join("\n")
            );
        }
        assert!(app.accounts().account_by_handle(HANDLE).unwrap().is_none());
        assert!(
            app.accounts()
                .authenticate(HANDLE, PASSWORD, &AttemptOrigin::default())
                .is_err()
        );

        // The log verifies, the ledger balances, the client keeps their evidence.
        let public = signer().key.verifying_key();
        let log = app.evidence().verify_log(&[public]).unwrap();
        assert!(log.ok(), "{log:?}");
        let audit = app.work().audit_ledger().unwrap();
        assert!(
            audit.unbalanced.is_empty() && audit.negative.is_empty() && audit.drifted.is_empty(),
            "{audit:?}"
        );
        for (currency, inside) in &audit.inside {
            assert_eq!(inside + audit.external[currency], 0, "{currency}");
        }
        let theirs = app
            .evidence()
            .evidence_bundle(&world.client, &signer().key)
            .unwrap();
        let report = theirs.verify(&public);
        assert!(report.ok() && report.erased == 0, "{report:?}");
        assert!(
            theirs.entries.iter().any(|e| e
                .payload
                .as_ref()
                .is_some_and(|p| p.to_string().contains(&world.contract))),
            "the client's view of the contract keeps its payloads"
        );

        // The credential the member kept still verifies.
        let report = app
            .credentials()
            .verify(&signer(), &world.credential)
            .unwrap();
        assert!(report.verified, "{report:?}");

        // The curator owns the community now.
        let members = app
            .communities()
            .community_members(Some(&world.curator), "wren-guild")
            .unwrap();
        assert!(
            members
                .iter()
                .any(|m| m.handle == "curator" && m.role == Role::Owner),
            "the curator owns it now"
        );
    }
}

#[test]
fn a_contract_under_way_or_an_only_owner_without_heir_stops_erasure_and_credentials_can_go_too() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "operator");
        let ana = member(&app, "ana");
        let client = member(&app, "client");
        app.work()
            .offer_contract(
                &client,
                guildhall_app::testing::one_milestone_offer("ana", "Audit", "2099-01-01"),
            )
            .unwrap();
        let blockers = app.accounts().erasure_blockers(&ana).unwrap();
        assert!(
            blockers.iter().any(|b| b.contains("“Audit”")),
            "{blockers:?}"
        );
        let blockers = app.accounts().erasure_blockers(&client).unwrap();
        assert!(
            blockers.iter().any(|b| b.contains("“Audit”")),
            "{blockers:?}"
        );

        // The only operator cannot leave the instance without operators.
        let blockers = app.accounts().erasure_blockers(&op).unwrap();
        assert!(
            blockers.iter().any(|b| b.contains("only operator")),
            "{blockers:?}"
        );

        // A community with no curator passes to an operator.
        let bo = member(&app, "bob");
        app.communities()
            .create_community(
                &bo,
                CommunityInput {
                    name: "Bo's circle".into(),
                    slug: "bo-circle".into(),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        let erased = app
            .accounts()
            .erase_account(
                &bo,
                &EraseAccount {
                    password: PASSWORD.into(),
                    revoke_credentials: true,
                },
            )
            .unwrap();
        assert_eq!(erased.communities_passed[0].to, "operator");

        // A member who asks for it has every credential revoked as their account goes.
        let cy = member(&app, "cyd");
        let k = completed_contract(&app, &op, &client, &cy, "Second audit");
        let kept = app
            .credentials()
            .request(
                &cy,
                &signer(),
                &CredentialRequest {
                    kind: Kind::Contract,
                    about: k,
                },
            )
            .unwrap()
            .document;
        pay_out_everything(&app, &op, &cy);
        let erased = app
            .accounts()
            .erase_account(
                &cy,
                &EraseAccount {
                    password: PASSWORD.into(),
                    revoke_credentials: true,
                },
            )
            .unwrap();
        assert_eq!(erased.credentials_revoked, 1);
        let report = app.credentials().verify(&signer(), &kept).unwrap();
        assert_eq!(report.problem.as_deref(), Some("it has been revoked"));
    }
}

/// Notifications follow the feed: what was to tell an account is told before it is erased,
/// then erased with it, so the follower tells the erased account nothing afterwards.
#[test]
fn nothing_recorded_before_an_erasure_is_told_to_the_erased_account_after_it() {
    for db in TestDb::all() {
        let app = app(&db);
        let asker = member(&app, "asker");
        let leaving = member(&app, HANDLE);
        app.profiles().request_connection(&asker, HANDLE).unwrap();
        erase(&app, &leaving, PASSWORD).unwrap();
        app.notifications().catch_up().unwrap();
        assert_eq!(app.notifications().unread_count(&leaving).unwrap(), 0);
    }
}
