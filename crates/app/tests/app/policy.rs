//! The instance's policy: who may join, and the API's rate limits, set by operators only.

use guildhall_app::AppError;
use guildhall_app::accounts::SignUp;
use guildhall_app::communities::CommunityInput;
use guildhall_app::communities::admission::InvitationInput;
use guildhall_app::policy::{Policy, Registration};
use guildhall_app::testing::{app, member, operator};
use guildhall_domain::community::{Admission, Visibility};
use guildhall_store::testdb::TestDb;

fn newcomer(handle: &str) -> SignUp {
    SignUp {
        handle: handle.into(),
        email: format!("{handle}@example.org"),
        password: "correct horse battery".into(),
        display_name: None,
    }
}

#[test]
fn registration_follows_the_operators_choice() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "operator");
        let ada = member(&app, "ada");
        app.communities()
            .create_community(
                &ada,
                CommunityInput {
                    name: "Data guild".into(),
                    slug: "data-guild".into(),
                    visibility: Some(Visibility::Public),
                    admission: Some(Admission::Invitation),
                    ..CommunityInput::default()
                },
            )
            .unwrap();
        let invitation = app
            .communities()
            .create_invitation(
                &ada,
                "data-guild",
                InvitationInput {
                    days_valid: 7,
                    max_uses: 5,
                    note: String::new(),
                },
            )
            .unwrap()
            .token
            .unwrap();
        assert_eq!(
            app.instance().policy().unwrap().registration,
            Registration::Open,
            "open by default"
        );

        // Only operators set it.
        let invited_only = Policy {
            registration: Registration::Invitation,
            ..Policy::default()
        };
        assert!(matches!(
            app.instance().set_policy(&ada, invited_only),
            Err(AppError::Forbidden(_))
        ));
        app.instance().set_policy(&op, invited_only).unwrap();
        assert_eq!(app.instance().policy().unwrap(), invited_only);

        // By invitation: a stranger is refused, a bad token is a field error, an invitation
        // lets its holder in.
        assert!(matches!(
            app.accounts().sign_up(newcomer("bob")),
            Err(AppError::Forbidden(_))
        ));
        let Err(AppError::Validation(e)) = app
            .accounts()
            .sign_up_invited(newcomer("bob"), "not-a-token")
        else {
            panic!("an unknown invitation was accepted");
        };
        assert_eq!(e.0[0].path, "/invitation");
        let bo = app
            .accounts()
            .sign_up_invited(newcomer("bob"), &invitation)
            .unwrap();
        app.communities()
            .accept_invitation(&bo, &invitation)
            .unwrap();

        // Closed: not even an invitation opens it.
        let closed = Policy {
            registration: Registration::Closed,
            ..invited_only
        };
        app.instance().set_policy(&op, closed).unwrap();
        for attempt in [
            app.accounts().sign_up(newcomer("cyd")),
            app.accounts().sign_up_invited(newcomer("cyd"), &invitation),
        ] {
            assert!(matches!(attempt, Err(AppError::Forbidden(_))));
        }
        // Operators still create accounts.
        assert!(
            app.accounts()
                .create_account(
                    SignUp {
                        email: "dee@example.org".into(),
                        ..newcomer("dee")
                    },
                    false
                )
                .is_ok()
        );
    }
}

#[test]
fn rate_limits_are_checked_and_kept() {
    for db in TestDb::all() {
        let app = app(&db);
        let op = operator(&app, "operator");
        let before = app.instance().policy().unwrap();
        let Err(AppError::Validation(e)) = app.instance().set_policy(
            &op,
            Policy {
                api_calls_per_minute_per_token: 0,
                api_calls_per_minute_per_address: 2_000_000,
                ..Policy::default()
            },
        ) else {
            panic!("limits out of range were accepted");
        };
        let paths: Vec<&str> = e.0.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/api_calls_per_minute_per_token",
                "/api_calls_per_minute_per_address"
            ]
        );
        assert_eq!(
            app.instance().policy().unwrap(),
            before,
            "nothing was half-saved"
        );
        let tight = Policy {
            api_calls_per_minute_per_token: 30,
            api_calls_per_minute_per_address: 90,
            ..Policy::default()
        };
        app.instance().set_policy(&op, tight).unwrap();
        assert_eq!(app.instance().policy().unwrap(), tight);
    }
}
