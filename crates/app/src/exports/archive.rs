//! What goes into a full export, file by file, and the README that describes each. Every file
//! is JSON written from the same use cases and rows the member's pages read, so it holds what
//! the member may see: reviews about them only once revealed, messages of blocked members left
//! out as on the page.

use crate::AppError;
use crate::accounts::Account;
use crate::facades::Queue;
use crate::page::PageRequest;
use crate::profiles::OwnItem;
use ed25519_dalek::SigningKey;
use guildhall_store::repo::{communities, conversations, discussions, jobs, reviews};
use serde_json::{Value, json};
use std::io::Write;

/// One file of the archive: its name, what it holds, and how it is read.
struct Part {
    name: &'static str,
    holds: &'static str,
    read: fn(&Queue<'_>, &Account) -> Result<Value, AppError>,
}

const PARTS: [Part; 13] = [
    Part {
        name: "account.json",
        holds: "Your handle, your sign-in and contact addresses, and when you joined.",
        read: account,
    },
    Part {
        name: "profile/items.json",
        holds: "Every item of your profile with the audiences that see it.",
        read: items,
    },
    Part {
        name: "profile/personas.json",
        holds: "Your personas: their headline, summary, the items each shows and whom its link stands for.",
        read: personas,
    },
    Part {
        name: "connections.json",
        holds: "Your connections and connection requests, sent and received.",
        read: connections,
    },
    Part {
        name: "communities/memberships.json",
        holds: "The communities you belong to and your role in each.",
        read: memberships,
    },
    Part {
        name: "communities/posts.json",
        holds: "Every thread and reply you wrote in a community's discussions.",
        read: posts,
    },
    Part {
        name: "work/jobs.json",
        holds: "The jobs you posted.",
        read: my_jobs,
    },
    Part {
        name: "work/proposals.json",
        holds: "Your proposals on jobs, and the jobs you were invited to.",
        read: proposals,
    },
    Part {
        name: "work/contracts.json",
        holds: "Your contracts, as client or member, with their milestones.",
        read: contracts,
    },
    Part {
        name: "work/statement.json",
        holds: "Your ledger statement since you joined: every movement of your balances, with its transaction.",
        read: statement,
    },
    Part {
        name: "work/reviews.json",
        holds: "Reviews you wrote, and reviews about you once revealed.",
        read: my_reviews,
    },
    Part {
        name: "messages.json",
        holds: "Your conversations with every message in them you can read.",
        read: messages,
    },
    Part {
        name: "credentials.json",
        holds: "The credentials the instance issued you, each as signed (Open Badges 3.0, verifiable anywhere).",
        read: credentials,
    },
];

/// The evidence bundle's file: written last, after a checkpoint is signed.
const EVIDENCE: (&str, &str) = (
    "evidence/bundle.json",
    "Your evidence: every entry of the instance's evidence log about you, with its payload \
     (unless erased) and its inclusion proof at a checkpoint the instance signed. Check it \
     offline with `guildhall verify-bundle evidence/bundle.json --key KEY` (docs/evidence.md).",
);

fn to_json<T: serde::Serialize>(value: T) -> Result<Value, AppError> {
    serde_json::to_value(value).map_err(|e| AppError::caused("export: a value as JSON", e))
}

fn account(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    Ok(json!({
        "id": who.id.to_string(),
        "handle": who.handle,
        "addresses": to_json(q.accounts().addresses(who)?)?,
        "joined_at": who.created_at,
    }))
}

fn items(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    let items: Vec<OwnItem> = q
        .profiles()
        .my_items(who)?
        .iter()
        .map(OwnItem::from)
        .collect();
    to_json(items)
}

fn personas(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    let list: Vec<Value> = q
        .profiles()
        .my_personas(who)?
        .into_iter()
        .map(|p| {
            json!({
                "id": p.id.to_string(), "name": p.name, "headline": p.headline,
                "summary": p.summary,
                "items": p.item_ids.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "link_audience": p.link_audience.to_string(),
            })
        })
        .collect();
    Ok(json!(list))
}

fn connections(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = q.profiles().list_connections(
            who,
            crate::connections::ConnectionFilter::All,
            &PageRequest {
                cursor: cursor.clone(),
                limit: Some(100),
            },
        )?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return to_json(all),
        }
    }
}

fn memberships(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    q.read(|c| {
        let mut out = Vec::new();
        for (id, role) in communities::of_member(c, who.id)? {
            if let Some(row) = communities::by_id(c, &id)? {
                out.push(json!({"community": row.slug, "name": row.name, "role": role.as_str()}));
            }
        }
        Ok(json!(out))
    })
}

fn posts(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    q.read(|c| {
        let rows = discussions::by_author(c, who.id)?;
        Ok(json!(
            rows.into_iter()
                .map(|p| json!({
                    "id": p.id, "community": p.community_id, "thread": p.thread_id,
                    "title": p.title, "body": p.body, "created_at": p.created_at,
                    "hidden": p.hidden_at.is_some(),
                }))
                .collect::<Vec<_>>()
        ))
    })
}

fn my_jobs(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    to_json(q.work().my_jobs(who)?)
}

fn proposals(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    q.read(|c| {
        Ok(json!(
            jobs::proposals_by(c, who.id)?
                .into_iter()
                .map(|p| json!({
                    "id": p.id, "job": p.job_id, "note": p.note, "rate_minor": p.rate_minor,
                    "availability": p.availability, "status": p.status.as_str(),
                    "created_at": p.created_at,
                }))
                .collect::<Vec<_>>()
        ))
    })
}

fn contracts(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    to_json(q.work().my_contracts(who)?)
}

fn statement(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    let today = guildhall_domain::hourly::today_utc(q.now());
    to_json(q.work().statement(who, "1970-01-01", &today.to_string())?)
}

fn my_reviews(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    q.read(|c| {
        let view = |r: reviews::ReviewRow| {
            json!({
                "id": r.id.to_string(), "contract": r.contract_id.to_string(), "side": r.side,
                "overall": r.overall, "criteria": serde_json::from_str::<Value>(&r.criteria).unwrap_or(Value::Null),
                "body": r.body, "written_at": r.created_at, "revealed_at": r.revealed_at,
            })
        };
        let written: Vec<Value> = reviews::by_author(c, who.id)?.into_iter().map(view).collect();
        let about: Vec<Value> = reviews::about(c, who.id)?
            .into_iter()
            .filter(|r| r.revealed_at.is_some())
            .map(view)
            .collect();
        Ok(json!({"written": written, "about_you": about}))
    })
}

fn messages(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    q.read(|c| {
        let hidden = conversations::hidden_from(c, who.id)?;
        let mut out = Vec::new();
        for (conversation, _) in conversations::of_user(c, who.id, i64::MAX)? {
            let members: Vec<String> = conversations::members(c, &conversation.id)?
                .into_iter()
                .map(|m| m.user_id.to_string())
                .collect();
            let messages: Vec<Value> =
                conversations::messages(c, &conversation.id, "", &hidden, i64::MAX)?
                    .into_iter()
                    .map(|m| {
                        json!({
                            "id": m.id, "author": m.author_id.to_string(),
                            "body": if m.deleted_at.is_some() { String::new() } else { m.body },
                            "deleted": m.deleted_at.is_some(), "sent_at": m.created_at,
                            "edited_at": m.edited_at,
                        })
                    })
                    .collect();
            out.push(
                json!({"conversation": conversation.id, "members": members, "messages": messages}),
            );
        }
        Ok(json!(out))
    })
}

fn credentials(q: &Queue<'_>, who: &Account) -> Result<Value, AppError> {
    to_json(q.credentials().mine(who)?)
}

/// The README: what the archive is and what each file holds.
fn readme(who: &Account) -> String {
    let mut text = format!(
        "# Everything Guildhall holds about @{}\n\nEach file is JSON (UTF-8). Times are \
         milliseconds since 1970-01-01 UTC; amounts are in the currency's minor units (cents) \
         with the currency named beside them; ids are UUIDs.\n\n",
        who.handle
    );
    for part in &PARTS {
        text.push_str(&format!("- `{}`: {}\n", part.name, part.holds));
    }
    text.push_str(&format!("- `{}`: {}\n", EVIDENCE.0, EVIDENCE.1));
    text
}

/// The archive of everything about `who`, reporting progress (0 to 100) and the step as it
/// goes.
pub(super) fn build(
    q: &Queue<'_>,
    who: &Account,
    key: &SigningKey,
    progress: &mut dyn FnMut(i32, &str) -> Result<(), AppError>,
) -> Result<Vec<u8>, AppError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let add = |zip: &mut zip::ZipWriter<_>, name: &str, bytes: &[u8]| {
        zip.start_file(name, options)
            .and_then(|_| zip.write_all(bytes).map_err(Into::into))
            .map_err(|e| AppError::caused(format!("export: writing {name}"), e))
    };
    add(&mut zip, "README.md", readme(who).as_bytes())?;
    let steps = PARTS.len() as i32 + 1;
    for (i, part) in PARTS.iter().enumerate() {
        progress(i as i32 * 100 / steps, &format!("Collecting {}", part.name))?;
        let value = (part.read)(q, who)?;
        let text = serde_json::to_vec_pretty(&value)
            .map_err(|e| AppError::caused(format!("export: {}", part.name), e))?;
        add(&mut zip, part.name, &text)?;
    }
    progress(
        (steps - 1) * 100 / steps,
        "Collecting your evidence and its proofs",
    )?;
    let bundle = q.evidence().evidence_bundle(who, key)?;
    let text = serde_json::to_vec_pretty(&bundle)
        .map_err(|e| AppError::caused("export: the evidence bundle", e))?;
    add(&mut zip, EVIDENCE.0, &text)?;
    let cursor = zip
        .finish()
        .map_err(|e| AppError::caused("export: finishing the archive", e))?;
    Ok(cursor.into_inner())
}
