//! The full export on both databases: asked for, prepared in the background with its progress,
//! an archive with a README and every file, the evidence bundle in it verifying; nobody else
//! downloads it.

use ed25519_dalek::SigningKey;
use guildhall_app::AppError;
use guildhall_app::testing::{app, completed_contract, member, operator};
use guildhall_domain::evidence::bundle::Bundle;
use guildhall_store::testdb::TestDb;
use std::io::Read;

#[test]
fn an_export_is_prepared_in_the_background_and_holds_everything_with_a_readme() {
    for db in TestDb::all() {
        let app = app(&db);
        let key = SigningKey::from_bytes(&[4; 32]);
        let op = operator(&app, "operator");
        let (client, ana, eve) = (
            member(&app, "client"),
            member(&app, "ana"),
            member(&app, "eve"),
        );
        completed_contract(&app, &op, &client, &ana, "Index audit");

        let asked = app.accounts().request_export(&ana).unwrap();
        assert_eq!(asked.status, "queued");
        assert_eq!(
            app.accounts().request_export(&ana).unwrap().id,
            asked.id,
            "one at a time"
        );
        assert!(matches!(
            app.accounts().export_archive(&ana, &asked.id),
            Err(AppError::Conflict { .. })
        ));
        assert_eq!(app.queue().run_due_exports(&key).unwrap(), 1);
        assert_eq!(app.queue().run_due_exports(&key).unwrap(), 0);
        let ready = app.accounts().export(&ana, &asked.id).unwrap();
        assert_eq!((ready.status.as_str(), ready.progress), ("ready", 100));
        assert!(ready.size.unwrap() > 0);
        assert!(matches!(
            app.accounts().export_archive(&eve, &asked.id),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.accounts().export(&eve, &asked.id),
            Err(AppError::NotFound)
        ));

        let bytes = app.accounts().export_archive(&ana, &asked.id).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let readme = read("README.md");
        for file in [
            "account.json",
            "profile/items.json",
            "profile/personas.json",
            "connections.json",
            "communities/memberships.json",
            "communities/posts.json",
            "work/jobs.json",
            "work/proposals.json",
            "work/contracts.json",
            "work/statement.json",
            "work/reviews.json",
            "messages.json",
            "credentials.json",
            "evidence/bundle.json",
        ] {
            assert!(
                readme.contains(&format!("`{file}`")),
                "the README describes {file}"
            );
            let text = read(file);
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{file} is JSON"
            );
        }
        assert!(read("work/contracts.json").contains("Index audit"));
        assert!(read("work/statement.json").contains("release"));
        assert!(read("account.json").contains("ana@example.org"));
        let bundle: Bundle = serde_json::from_str(&read("evidence/bundle.json")).unwrap();
        assert!(bundle.entries.len() >= 3);
        assert!(bundle.verify(&key.verifying_key()).ok());
        assert!(!read("work/contracts.json").contains("eve"));

        // A newer archive replaces the older one, whose file leaves the store.
        let again = app.accounts().request_export(&ana).unwrap();
        assert_ne!(again.id, asked.id);
        app.queue().run_due_exports(&key).unwrap();
        assert_eq!(
            app.accounts().export(&ana, &again.id).unwrap().status,
            "ready"
        );
        assert_eq!(
            app.accounts().export(&ana, &asked.id).unwrap().status,
            "replaced"
        );
        assert!(matches!(
            app.accounts().export_archive(&ana, &asked.id),
            Err(AppError::Conflict { .. })
        ));
        let old_file = format!("exports/{}.zip", asked.id);
        assert!(app.settings().files.get(&old_file).unwrap().is_none());
        assert!(app.accounts().export_archive(&ana, &again.id).is_ok());
    }
}
