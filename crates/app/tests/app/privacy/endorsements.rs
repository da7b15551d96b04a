//! Endorsements rest on shared evidence and say which; they weigh the endorser's own trust in
//! the skill; the profile shows how many, and who only to those who know the endorser.

use crate::evidence::trust::guild;
use guildhall_app::AppError;
use guildhall_app::endorsements::Basis;
use guildhall_app::testing::member;
use guildhall_domain::profile::ItemData;
use guildhall_store::testdb::TestDb;

#[test]
fn only_members_who_worked_together_endorse_and_the_profile_counts_them() {
    for db in TestDb::all() {
        let g = guild(&db);
        let sql = g
            .app
            .profiles()
            .my_items(&g.mia)
            .unwrap()
            .into_iter()
            .find(|i| matches!(&i.data, ItemData::Skill { label, .. } if label == "SQL"))
            .unwrap()
            .id
            .to_string();

        // A stranger, a connection without shared work, and the member herself are refused.
        let stranger = member(&g.app, "stranger");
        let asked = g
            .app
            .profiles()
            .request_connection(&stranger, "mia")
            .unwrap();
        g.app
            .profiles()
            .accept_connection(&g.mia, &asked.id)
            .unwrap();
        for who in [&stranger, &g.ring[0], &g.mia] {
            let refused = g.app.skills().endorse(who, "mia", &sql, "");
            assert!(
                matches!(refused, Err(AppError::Conflict { .. })),
                "{refused:?} on {:?}",
                db.backend
            );
        }
        assert_eq!(
            g.app.skills().endorsement_basis(&stranger, "mia").unwrap(),
            None
        );

        // A client she worked for endorses, once; the basis is recorded.
        let client = &g.clients[0];
        assert_eq!(
            g.app.skills().endorsement_basis(client, "mia").unwrap(),
            Some(Basis::Contract)
        );
        g.app
            .skills()
            .endorse(client, "mia", &sql, "fast queries")
            .unwrap();
        assert!(matches!(
            g.app.skills().endorse(client, "mia", &sql, ""),
            Err(AppError::Conflict { .. })
        ));
        let listed = g.app.skills().endorsements_of(&g.mia, &sql).unwrap();
        assert_eq!(listed[0].1, "contract");
        let entry = g
            .app
            .evidence()
            .my_evidence(&g.mia)
            .unwrap()
            .into_iter()
            .rfind(|e| e.header.kind == "skill.endorsed")
            .unwrap();
        let data = &entry.payload.unwrap()["data"];
        assert_eq!(data["basis"], "contract");
        assert!(data["endorser_trust"].as_f64().is_some(), "{data}");

        // Fellow members of the vetted guild may endorse too.
        assert_eq!(
            g.app
                .skills()
                .endorsement_basis(&g.clients[1], "mia")
                .unwrap(),
            Some(Basis::Contract)
        );
        assert_eq!(
            g.app.skills().endorsement_basis(&g.curator, "mia").unwrap(),
            Some(Basis::VettedCommunity)
        );

        // The count for everyone; the name for those who know the endorser.
        let shown = |viewer| {
            g.app
                .skills()
                .endorsements_shown("mia", std::slice::from_ref(&sql), viewer)
                .unwrap()
                .remove(&sql)
                .unwrap()
        };
        let anonymous = shown(None);
        assert_eq!((anonymous.count, anonymous.named.len()), (1, 0));
        let own = shown(Some(&g.mia));
        assert_eq!(own.named, ["client0"]);
        let theirs = shown(Some(client));
        assert!(theirs.yours && theirs.named == ["client0"]);
        let fellow = shown(Some(&g.curator));
        assert_eq!(fellow.named, ["client0"], "they share the guild");
        assert!(shown(Some(&g.ring[3])).named.is_empty());
    }
}
