//! A member's trust explanation names the people behind it only to the member and, for their
//! own part, to each of those people; everyone else reads counts.

use crate::evidence::trust::guild;
use guildhall_app::accounts::Account;
use guildhall_app::profiles::ItemInput;
use guildhall_app::reputation::ContributionView;
use guildhall_app::testing::member;
use guildhall_domain::profile::ItemData;
use guildhall_store::testdb::TestDb;

#[test]
fn trust_names_people_only_to_the_member_and_to_themselves() {
    for db in TestDb::all() {
        let g = guild(&db);
        g.app
            .profiles()
            .add_item(
                &g.mia,
                ItemInput {
                    audiences: vec!["public".into()],
                    data: ItemData::Reputation {
                        figure: "trust".into(),
                    },
                },
            )
            .unwrap();
        let stranger = member(&g.app, "stranger");
        let sql_seen_by = |viewer: Option<&Account>| -> Vec<ContributionView> {
            let view = g.app.profiles().view_profile("mia", viewer).unwrap();
            let shown = g
                .app
                .evidence()
                .shown_reputation(&view, viewer)
                .unwrap()
                .unwrap();
            let trust = shown.trust.unwrap();
            trust
                .skills
                .into_iter()
                .find(|s| s.label == "SQL")
                .unwrap()
                .because
        };
        for viewer in [None, Some(&stranger)] {
            let because = sql_seen_by(viewer);
            assert_eq!(because.len(), 1, "{because:?} on {:?}", db.backend);
            assert_eq!(because[0].from, None);
            assert_eq!(because[0].entry, None);
            assert_eq!(because[0].why, "3 paid contracts from 3 clients");
            let text = serde_json::to_string(&because).unwrap();
            assert!(
                !g.clients.iter().any(|c| text.contains(&c.handle)),
                "no client named: {text}"
            );
            assert!(!text.contains("marked"), "no client's mark: {text}");
        }

        // A client sees their own contract by name and the others as a count.
        let because = sql_seen_by(Some(&g.clients[0]));
        assert_eq!(because.len(), 2, "{because:?}");
        assert_eq!(because[0].from.as_deref(), Some("client0"));
        assert!(because[0].entry.is_some());
        assert_eq!(because[1].from, None);
        assert_eq!(because[1].why, "2 paid contracts from 2 clients");

        // The member sees everyone.
        let own = g
            .app
            .evidence()
            .my_reputation(&g.mia)
            .unwrap()
            .trust
            .unwrap();
        let sql = own.skills.iter().find(|s| s.label == "SQL").unwrap();
        assert!(sql.because.iter().all(|c| c.from.is_some()));
    }
}
