//! Two-factor sign-in on both databases: a first code turns it on and gives recovery codes;
//! then a sign-in waits for a code, no code works twice, a recovery code works once, the API
//! asks for the code too, and the password turns it off.

use guildhall_app::AppError;
use guildhall_app::accounts::{AttemptOrigin, SignInStep};
use guildhall_app::clock::ManualClock;
use guildhall_app::testing::{app_with_clock, member};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

/// 2026-11-22T00:00:00Z.
const NOW: i64 = 1_795_305_600_000;
const PASSWORD: &str = "correct horse battery";

/// The code an authenticator app holding `secret` shows at `ms`.
fn code_at(secret: &str, ms: i64) -> String {
    let key = totp_rs::Secret::try_from_base32(secret).unwrap();
    totp_rs::Builder::new()
        .with_secret(key)
        .with_account_name("ana")
        .build()
        .unwrap()
        .generate((ms / 1000) as u64)
        .to_string()
}

#[test]
fn a_sign_in_waits_for_a_code_that_works_once() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let app = app_with_clock(&db, clock.clone());
        let ana = member(&app, "ana");
        let origin = AttemptOrigin {
            address: "10.0.0.1".into(),
            ..AttemptOrigin::default()
        };
        let setup = app.accounts().start_second_factor(&ana).unwrap();
        assert!(
            setup.uri.starts_with("otpauth://totp/Guildhall:ana?"),
            "{}",
            setup.uri
        );
        assert!(matches!(
            app.accounts().confirm_second_factor(&ana, "000000"),
            Err(AppError::Validation(_))
        ));
        let codes = app
            .accounts()
            .confirm_second_factor(&ana, &code_at(&setup.secret, NOW))
            .unwrap();
        assert_eq!(codes.len(), 10);
        assert!(app.accounts().second_factor(&ana).unwrap().enabled);

        // The password alone no longer signs in.
        assert!(
            app.accounts()
                .sign_in("ana", PASSWORD, &origin, None)
                .is_err()
        );
        let SignInStep::Code(pending) = app
            .accounts()
            .begin_sign_in("ana", PASSWORD, &origin, None)
            .unwrap()
        else {
            panic!("a code is asked for");
        };
        // The code that turned it on does not work again; the next step's does.
        assert!(
            app.accounts()
                .finish_sign_in(&pending, &code_at(&setup.secret, NOW), &origin, None)
                .is_err()
        );
        clock.advance(30_000);
        let session = app
            .accounts()
            .finish_sign_in(
                &pending,
                &code_at(&setup.secret, NOW + 30_000),
                &origin,
                None,
            )
            .unwrap();
        assert!(
            app.accounts()
                .session_account(&session.session_token)
                .unwrap()
                .is_some()
        );
        // The waiting sign-in is used up.
        assert!(
            app.accounts()
                .finish_sign_in(&pending, &codes[0], &origin, None)
                .is_err()
        );

        // The API asks for the code as well; a recovery code works once.
        assert!(matches!(
            app.accounts()
                .issue_token("ana", PASSWORD, None, "cli", &origin),
            Err(AppError::Validation(_))
        ));
        app.accounts()
            .issue_token(
                "ana",
                PASSWORD,
                Some(&codes[1].to_uppercase()),
                "cli",
                &origin,
            )
            .unwrap();
        assert!(matches!(
            app.accounts()
                .issue_token("ana", PASSWORD, Some(&codes[1]), "cli", &origin),
            Err(AppError::InvalidCredentials)
        ));
        assert_eq!(
            app.accounts()
                .second_factor(&ana)
                .unwrap()
                .recovery_codes_left,
            9
        );

        // Wrong codes climb the throttling ladder.
        let SignInStep::Code(pending) = app
            .accounts()
            .begin_sign_in("ana", PASSWORD, &origin, None)
            .unwrap()
        else {
            panic!("a code is asked for");
        };
        let mut limited = false;
        for _ in 0..10 {
            if let Err(AppError::RateLimited { .. }) = app
                .accounts()
                .finish_sign_in(&pending, "123456", &origin, None)
            {
                limited = true;
                break;
            }
        }
        assert!(limited, "guessing codes is slowed down");

        // Only the password turns it off.
        assert!(app.accounts().disable_second_factor(&ana, "guess").is_err());
        app.accounts()
            .disable_second_factor(&ana, PASSWORD)
            .unwrap();
        clock.advance(3_600_000);
        app.accounts()
            .sign_in("ana", PASSWORD, &origin, None)
            .unwrap();
    }
}
