//! Operators looking after accounts: promotion and demotion, suspension and what it stops,
//! one-time password-reset links, the privacy policy and terms, and the audit log nobody can
//! edit. On both databases.

use guildhall_app::accounts::{Account, AttemptOrigin};
use guildhall_app::clock::ManualClock;
use guildhall_app::oversight::{Actor, RESET_LINK_TTL_MS};
use guildhall_app::page::PageRequest;
use guildhall_app::profiles::ItemInput;
use guildhall_app::search::MemberQuery;
use guildhall_app::site_texts::SiteText;
use guildhall_app::testing::{app, app_with_clock, member, operator};
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_app::{App, AppError};
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

fn sign_in(app: &App, login: &str, password: &str) -> Result<String, AppError> {
    app.accounts()
        .sign_in(login, password, &AttemptOrigin::default(), None)
        .map(|s| s.session_token)
}

fn log(app: &App, actor: &Actor) -> Vec<(String, String, String, String)> {
    app.instance()
        .audit_log(actor, &PageRequest::default())
        .unwrap()
        .items
        .into_iter()
        .map(|e| (e.actor, e.action, e.subject, e.reason))
        .collect()
}

fn field_error(e: AppError) -> String {
    match e {
        AppError::Validation(f) => f.0[0].path.clone(),
        AppError::Conflict { field, .. } => field.unwrap_or_default(),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn only_operators_act_and_the_last_operator_stays() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "ops");
        let ada = member(&app, "ada");
        assert!(matches!(Actor::operator(&ada), Err(AppError::Forbidden(_))));
        let by = Actor::operator(&op).unwrap();

        // Every action needs a reason and an existing handle.
        assert_eq!(
            field_error(app.instance().promote(&by, "ada", "  ").unwrap_err()),
            "/reason"
        );
        assert_eq!(
            field_error(app.instance().promote(&by, "nobody", "helps").unwrap_err()),
            "/handle"
        );
        assert_eq!(
            field_error(
                app.instance()
                    .demote(&by, "ops", "stepping down")
                    .unwrap_err()
            ),
            "/handle",
            "the only operator cannot be demoted"
        );
        app.instance()
            .promote(&by, "@Ada", "runs the Lisbon community")
            .unwrap();
        assert!(
            app.accounts()
                .account_by_handle("ada")
                .unwrap()
                .unwrap()
                .is_operator
        );
        assert_eq!(
            field_error(app.instance().promote(&by, "ada", "twice").unwrap_err()),
            "/handle"
        );
        app.instance()
            .demote(&Actor::command_line(), "ops", "hands over to ada")
            .unwrap();
        assert!(
            !app.accounts()
                .account_by_handle("ops")
                .unwrap()
                .unwrap()
                .is_operator
        );

        assert_eq!(
            log(&app, &by),
            vec![
                (
                    "command line".into(),
                    "account.demoted".into(),
                    "ops".into(),
                    "hands over to ada".into()
                ),
                (
                    "ops".into(),
                    "account.promoted".into(),
                    "ada".into(),
                    "runs the Lisbon community".into()
                ),
            ],
            "refused actions leave no entry; the newest comes first"
        );
    }
}

fn offer_to(app: &App, client: &Account, member: &str) -> String {
    app.work()
        .offer_contract(
            client,
            OfferInput {
                member: member.into(),
                title: "Data audit".into(),
                currency: "EUR".into(),
                milestones: vec![MilestoneInput {
                    title: "Report".into(),
                    amount: 50_000,
                    due_on: "2099-01-15".into(),
                    by_learner: false,
                }],
                community: None,
                referrer: None,
                hourly: None,
                learner: None,
            },
        )
        .unwrap()
        .id
}

#[test]
fn a_suspended_account_is_locked_out_hidden_and_its_offers_withdrawn() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "ops");
        let by = Actor::operator(&op).unwrap();
        let mallory = member(&app, "mallory");
        let ben = member(&app, "ben");
        let carla = member(&app, "carla");
        app.profiles()
            .add_item(
                &mallory,
                ItemInput {
                    audiences: vec!["public".into()],
                    data: ItemData::Skill {
                        skill_id: None,
                        label: "Forgery".into(),
                        level: 5,
                        years: None,
                        note: String::new(),
                        source: ClaimSource::SelfClaimed,
                        suggested_by: None,
                    },
                },
            )
            .unwrap();
        let query = MemberQuery {
            skill_id: None,
            skill: Some("forgery".into()),
            text: None,
            location: None,
            timezone: None,
            limit: 20,
        };
        assert_eq!(
            app.profiles().search_members(None, &query).unwrap().len(),
            1
        );
        let session = sign_in(&app, "mallory", PASSWORD).unwrap();
        let token = app
            .accounts()
            .create_token(&mallory, "script")
            .unwrap()
            .token;
        let sent = offer_to(&app, &mallory, "ben");
        let received = offer_to(&app, &carla, "mallory");
        let unrelated = offer_to(&app, &carla, "ben");

        assert_eq!(
            field_error(app.instance().suspend(&by, "ops", "test").unwrap_err()),
            "/handle",
            "operators are demoted before they can be suspended"
        );
        app.instance()
            .suspend(&by, "mallory", "forged a client's review")
            .unwrap();
        assert_eq!(
            field_error(app.instance().suspend(&by, "mallory", "again").unwrap_err()),
            "/handle"
        );

        assert!(
            app.accounts().session_account(&session).unwrap().is_none(),
            "signed out"
        );
        assert!(
            app.accounts().token_account(&token).unwrap().is_none(),
            "tokens stop"
        );
        match sign_in(&app, "mallory", PASSWORD) {
            Err(AppError::Forbidden(m)) => assert!(m.contains("suspended"), "{m}"),
            other => panic!("a suspended account signed in: {other:?}"),
        }
        assert!(
            matches!(
                sign_in(&app, "mallory", "not the password at all"),
                Err(AppError::InvalidCredentials)
            ),
            "a wrong password learns nothing of the suspension"
        );
        assert!(
            app.profiles()
                .search_members(None, &query)
                .unwrap()
                .is_empty()
        );
        for id in [&sent, &received] {
            let status = app
                .work()
                .contract(&ben, id)
                .or_else(|_| app.work().contract(&carla, id));
            assert_eq!(status.unwrap().status, ContractStatus::Declined, "{id}");
        }
        assert_eq!(
            app.work().contract(&ben, &unrelated).unwrap().status,
            ContractStatus::Offered
        );

        app.instance()
            .unsuspend(&by, "mallory", "appeal upheld")
            .unwrap();
        assert!(sign_in(&app, "mallory", PASSWORD).is_ok());
        assert_eq!(
            app.profiles().search_members(None, &query).unwrap().len(),
            1
        );
        let actions: Vec<String> = log(&app, &by).into_iter().map(|e| e.1).collect();
        assert_eq!(actions, ["account.unsuspended", "account.suspended"]);
    }
}

#[test]
fn a_reset_link_works_once_within_a_day_and_ends_every_session() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(1_800_000_000_000));
        let app = app_with_clock(&db, clock.clone());
        let op = operator(&app, "ops");
        let by = Actor::operator(&op).unwrap();
        let ada = member(&app, "ada");
        let session = sign_in(&app, "ada", PASSWORD).unwrap();
        let token = app.accounts().create_token(&ada, "laptop").unwrap().token;

        let old = app
            .instance()
            .issue_password_reset(&by, "ada", "lost her laptop")
            .unwrap();
        let link = app
            .instance()
            .issue_password_reset(&by, "ada", "asked again")
            .unwrap();
        assert!(
            app.instance()
                .password_reset_account(&old)
                .unwrap()
                .is_none(),
            "replaced"
        );
        assert_eq!(
            app.instance()
                .password_reset_account(&link)
                .unwrap()
                .unwrap()
                .handle,
            "ada"
        );
        assert_eq!(
            field_error(app.instance().reset_password(&link, "short").unwrap_err()),
            "/password"
        );
        let new_password = "violet tractor umbrella sings";
        app.instance().reset_password(&link, new_password).unwrap();
        assert!(app.accounts().session_account(&session).unwrap().is_none());
        assert!(app.accounts().token_account(&token).unwrap().is_none());
        assert!(sign_in(&app, "ada", PASSWORD).is_err());
        assert!(sign_in(&app, "ada", new_password).is_ok());
        assert!(matches!(
            app.instance()
                .reset_password(&link, "another fine long password"),
            Err(AppError::Forbidden(_))
        ));

        let late = app
            .instance()
            .issue_password_reset(&by, "ada", "once more")
            .unwrap();
        clock.advance(RESET_LINK_TTL_MS);
        assert!(
            app.instance()
                .password_reset_account(&late)
                .unwrap()
                .is_none(),
            "expired"
        );
        let actions: Vec<String> = log(&app, &by).into_iter().map(|e| e.1).collect();
        assert_eq!(actions, ["account.reset_link"; 3]);
    }
}

#[test]
fn the_audit_log_cannot_be_changed_even_in_the_database() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "ops");
        let by = Actor::operator(&op).unwrap();
        member(&app, "ada");
        app.instance().suspend(&by, "ada", "spam").unwrap();
        let mut conn = db.pool().get().unwrap();
        for sql in [
            "UPDATE operator_actions SET reason = 'nothing happened'",
            "DELETE FROM operator_actions",
        ] {
            let err = diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut **conn)
                .expect_err(sql)
                .to_string();
            assert!(err.contains("append-only"), "{err}");
        }
        assert_eq!(log(&app, &by)[0].3, "spam");
    }
}

#[test]
fn operators_publish_the_privacy_policy_and_terms() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "ops");
        let by = Actor::operator(&op).unwrap();
        assert_eq!(app.instance().site_text(SiteText::Terms).unwrap(), None);
        let terms = [(SiteText::Terms, "# Terms\n\nBe kind.")];
        app.instance().publish_site_texts(&by, &terms).unwrap();
        app.instance().publish_site_texts(&by, &terms).unwrap();
        assert_eq!(
            app.instance()
                .site_text(SiteText::Terms)
                .unwrap()
                .as_deref(),
            Some("# Terms\n\nBe kind.")
        );
        assert!(
            app.instance()
                .site_text(SiteText::PrivacyPolicy)
                .unwrap()
                .is_none()
        );
        let long = "x".repeat(50_001);
        let both = [
            (SiteText::Terms, "Be nice."),
            (SiteText::PrivacyPolicy, &long),
        ];
        assert_eq!(
            field_error(app.instance().publish_site_texts(&by, &both).unwrap_err()),
            "/privacy"
        );
        assert_eq!(
            app.instance()
                .site_text(SiteText::Terms)
                .unwrap()
                .as_deref(),
            Some("# Terms\n\nBe kind."),
            "all or nothing"
        );
        let actions: Vec<(String, String)> =
            log(&app, &by).into_iter().map(|e| (e.1, e.2)).collect();
        assert_eq!(
            actions,
            [("text.published".to_string(), "Terms of use".to_string())],
            "publishing the same text again is not a new action"
        );
    }
}

#[test]
fn earlier_operator_actions_are_in_the_log_too() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "ops");
        let by = Actor::operator(&op).unwrap();
        let policy = guildhall_app::policy::Policy {
            registration: guildhall_app::policy::Registration::Closed,
            ..Default::default()
        };
        app.instance().set_policy(&op, policy).unwrap();
        let entries = log(&app, &by);
        assert_eq!(entries[0].1, "policy.changed");
        assert!(entries[0].2.contains("registration closed"), "{entries:?}");
    }
}
