//! Where a member is signed in, on both databases: sessions are listed with the browser that
//! started them; one can be ended; signing out everywhere keeps only the asking browser, and
//! revokes the API tokens when asked.

use guildhall_app::accounts::{AttemptOrigin, RevokeTokens};
use guildhall_app::testing::{app, member};
use guildhall_store::testdb::TestDb;

#[test]
fn a_member_sees_and_ends_their_sessions() {
    for db in TestDb::all() {
        let app = app(&db);
        let ada = member(&app, "ada");
        let sign_in = |device: &str| {
            app.accounts()
                .sign_in(
                    "ada",
                    "correct horse battery",
                    &AttemptOrigin {
                        address: "10.0.0.1".into(),
                        device: device.into(),
                        ..AttemptOrigin::default()
                    },
                    None,
                )
                .unwrap()
                .session_token
        };
        let laptop = sign_in("Firefox on Linux");
        let phone = sign_in("Safari on iPhone");
        let cafe = sign_in("Chrome on Windows");
        let token = app.accounts().create_token(&ada, "script").unwrap();

        let seen = app.accounts().sessions(&ada, Some(&laptop)).unwrap();
        assert_eq!(seen.len(), 3);
        let current: Vec<&str> = seen
            .iter()
            .filter(|s| s.current)
            .map(|s| s.device.as_str())
            .collect();
        assert_eq!(current, ["Firefox on Linux"]);
        // A session is named by part of its hash: never its secret, nor the whole hash.
        assert!(
            seen.iter()
                .all(|s| s.id.len() == 16 && !cafe.contains(&s.id))
        );

        let in_cafe = seen
            .iter()
            .find(|s| s.device.starts_with("Chrome"))
            .unwrap();
        app.accounts().end_session(&ada, &in_cafe.id).unwrap();
        assert!(app.accounts().session_account(&cafe).unwrap().is_none());
        assert!(app.accounts().session_account(&phone).unwrap().is_some());
        // Another member cannot end it, nor can a made-up name.
        let bob = member(&app, "bob");
        let phone_id = app.accounts().sessions(&ada, None).unwrap()[0].id.clone();
        assert!(app.accounts().end_session(&bob, &phone_id).is_err());
        assert!(app.accounts().end_session(&ada, "0123").is_err());

        // Everywhere else, tokens kept; then everywhere, tokens revoked.
        let ended = app
            .accounts()
            .sign_out_everywhere(&ada, Some(&laptop), RevokeTokens::No)
            .unwrap();
        assert_eq!(ended, 1);
        assert!(app.accounts().session_account(&phone).unwrap().is_none());
        assert!(app.accounts().session_account(&laptop).unwrap().is_some());
        assert!(
            app.accounts()
                .token_account(&token.token)
                .unwrap()
                .is_some()
        );
        app.accounts()
            .sign_out_everywhere(&ada, None, RevokeTokens::Yes)
            .unwrap();
        assert!(app.accounts().session_account(&laptop).unwrap().is_none());
        assert!(
            app.accounts()
                .token_account(&token.token)
                .unwrap()
                .is_none()
        );
    }
}
