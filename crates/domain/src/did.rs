//! The instance as an issuer: its `did:web` identifier, derived from the address members reach
//! it at, and its DID document, which lists the instance's Ed25519 key as a Multikey
//! verification method. Pure; the web layer serves the document at `/.well-known/did.json`.
//!
//! Formats, as the W3C specifies them: `did:web` (a host, a port written `%3A`), the
//! Controlled Identifiers `Multikey` type, whose Ed25519 public key is the multicodec prefix
//! `0xed 0x01` then the 32 key bytes, in base58-btc with the multibase prefix `z`.

use serde_json::{Value, json};

/// The multicodec prefix of an Ed25519 public key.
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// Why an address cannot name a `did:web`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DidError {
    /// The address is not an absolute http(s) address with a host.
    #[error("the public address {0:?} is not an http or https address with a host")]
    NotAnAddress(String),
    /// `did:web` resolves a path-less DID at the host's root only.
    #[error("the public address {0:?} has a path; did:web needs the instance at its host's root")]
    HasPath(String),
}

/// The `did:web` identifier of the instance served at `public_url`: its host, and its port
/// when not the default.
pub fn did_web(public_url: &str) -> Result<String, DidError> {
    let parsed = url::Url::parse(public_url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| DidError::NotAnAddress(public_url.into()))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| DidError::NotAnAddress(public_url.into()))?;
    if !parsed.path().trim_end_matches('/').is_empty() {
        return Err(DidError::HasPath(public_url.into()));
    }
    Ok(match parsed.port() {
        Some(port) => format!("did:web:{host}%3A{port}"),
        None => format!("did:web:{host}"),
    })
}

/// An Ed25519 public key as a Multikey `publicKeyMultibase` (`z6Mk…`).
pub fn multikey(public: &ed25519_dalek::VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(public.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The Ed25519 public key a Multikey names, if it names one.
pub fn from_multikey(multibase: &str) -> Option<ed25519_dalek::VerifyingKey> {
    let bytes = bs58::decode(multibase.strip_prefix('z')?).into_vec().ok()?;
    let key: [u8; 32] = bytes.strip_prefix(&ED25519_PUB[..])?.try_into().ok()?;
    ed25519_dalek::VerifyingKey::from_bytes(&key).ok()
}

/// The verification method id of `key` in the document of `did`: the DID with the key's
/// Multikey as fragment, so an id never changes when keys are added.
pub fn key_id(did: &str, key: &ed25519_dalek::VerifyingKey) -> String {
    format!("{did}#{}", multikey(key))
}

/// The DID document of `did`, listing `keys` (the current one first) as Multikey verification
/// methods that may assert credentials.
pub fn document(did: &str, keys: &[ed25519_dalek::VerifyingKey]) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "id": key_id(did, k),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey(k),
            })
        })
        .collect();
    let ids: Vec<String> = keys.iter().map(|k| key_id(did, k)).collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    })
}

/// Where a `did:web` document is published: `https://host[:port]/.well-known/did.json`, or
/// below the path its further parts name. `http` only when `allow_http` (local testing).
pub fn web_document_url(did: &str, allow_http: bool) -> Option<String> {
    let rest = did.strip_prefix("did:web:")?;
    let mut parts = rest.split(':');
    let host = parts.next().filter(|h| !h.is_empty())?.replace("%3A", ":");
    if host.contains(['/', '?', '#', '@']) {
        return None;
    }
    let path: Vec<&str> = parts.collect();
    let scheme = if allow_http { "http" } else { "https" };
    Some(if path.is_empty() {
        format!("{scheme}://{host}/.well-known/did.json")
    } else {
        format!("{scheme}://{host}/{}/did.json", path.join("/"))
    })
}

/// The keys a DID document lists as able to assert credentials, checking it is `did`'s.
pub fn assertion_keys(doc: &Value, did: &str) -> Result<Vec<ed25519_dalek::VerifyingKey>, String> {
    if doc.get("id").and_then(Value::as_str) != Some(did) {
        return Err(format!("the DID document is not {did}'s"));
    }
    let asserting: Vec<&str> = doc
        .get("assertionMethod")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let keys: Vec<_> = doc
        .get("verificationMethod")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|m| {
            m.get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| asserting.contains(&id))
        })
        .filter_map(|m| from_multikey(m.get("publicKeyMultibase")?.as_str()?))
        .collect();
    if keys.is_empty() {
        return Err(format!(
            "the DID document of {did} lists no Ed25519 key that asserts"
        ));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key pair of the W3C Data Integrity EdDSA Cryptosuites specification's examples
    /// (vc-di-eddsa, "Test Vectors", `keyMaterial`): its secret key, in multibase with the
    /// `ed25519-priv` multicodec `0x80 0x26`, must give its public key in Multikey form.
    #[test]
    fn the_specification_key_pair_encodes_as_published() {
        let secret = bs58::decode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
            .into_vec()
            .unwrap();
        assert_eq!(&secret[..2], &[0x80, 0x26]);
        let seed: [u8; 32] = secret[2..].try_into().unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
        let published = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        assert_eq!(multikey(&key), published);
        assert_eq!(from_multikey(published), Some(key));
        assert_eq!(from_multikey("z6Mk"), None);
        assert_eq!(from_multikey("6MkrJVnaZke"), None);
    }

    #[test]
    fn a_did_web_is_the_host_and_port() {
        assert_eq!(
            did_web("https://guild.example.org"),
            Ok("did:web:guild.example.org".into())
        );
        assert_eq!(
            did_web("https://guild.example.org/"),
            Ok("did:web:guild.example.org".into())
        );
        assert_eq!(
            did_web("http://127.0.0.1:8080"),
            Ok("did:web:127.0.0.1%3A8080".into())
        );
        assert!(matches!(
            did_web("https://example.org/guild"),
            Err(DidError::HasPath(_))
        ));
        assert!(matches!(
            did_web("ftp://example.org"),
            Err(DidError::NotAnAddress(_))
        ));
        assert!(matches!(
            did_web("example.org"),
            Err(DidError::NotAnAddress(_))
        ));
    }

    #[test]
    fn a_document_round_trips_its_keys_and_its_address() {
        let a = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        let did = "did:web:127.0.0.1%3A8080";
        let doc = document(did, &[a]);
        assert_eq!(assertion_keys(&doc, did), Ok(vec![a]));
        assert!(assertion_keys(&doc, "did:web:elsewhere.example").is_err());
        assert_eq!(
            web_document_url(did, true).as_deref(),
            Some("http://127.0.0.1:8080/.well-known/did.json")
        );
        assert_eq!(
            web_document_url("did:web:example.org:guild", false).as_deref(),
            Some("https://example.org/guild/did.json")
        );
        assert_eq!(web_document_url("did:key:z6Mk", false), None);
        assert_eq!(web_document_url("did:web:evil.example@x", false), None);
    }

    #[test]
    fn the_document_lists_each_key_as_a_multikey_that_asserts() {
        let a = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        let b = ed25519_dalek::SigningKey::from_bytes(&[8; 32]).verifying_key();
        let doc = document("did:web:guild.example.org", &[a, b]);
        assert_eq!(doc["id"], "did:web:guild.example.org");
        let methods = doc["verificationMethod"].as_array().unwrap();
        assert_eq!(methods.len(), 2);
        assert_eq!(methods[0]["type"], "Multikey");
        assert_eq!(methods[0]["controller"], "did:web:guild.example.org");
        assert_eq!(methods[0]["id"], key_id("did:web:guild.example.org", &a));
        assert_eq!(
            doc["assertionMethod"][1],
            key_id("did:web:guild.example.org", &b)
        );
        assert!(
            methods[1]["publicKeyMultibase"]
                .as_str()
                .unwrap()
                .starts_with("z6Mk")
        );
    }
}
