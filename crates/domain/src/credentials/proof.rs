//! Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C *Data Integrity EdDSA
//! Cryptosuites v1.0*, §3.3): the document and the proof's options are each canonicalised with
//! JCS (RFC 8785) and hashed with SHA-256; the Ed25519 signature covers the options' hash then
//! the document's, and travels as base58-btc multibase in `proofValue`.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The cryptosuite's name.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";

/// Why a proof does not hold, in words a verifier's report can show.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The document is not a JSON object.
    #[error("the document is not a JSON object")]
    NotAnObject,
    /// There is no single proof.
    #[error("the document has no proof")]
    NoProof,
    /// The proof is of another type or cryptosuite.
    #[error("the proof is not a DataIntegrityProof with the eddsa-jcs-2022 cryptosuite")]
    WrongSuite,
    /// The proof's purpose is not `assertionMethod`.
    #[error("the proof's purpose is not assertionMethod")]
    WrongPurpose,
    /// The proof's `created` is not a date and time.
    #[error("the proof's creation time is not a date and time")]
    BadCreated,
    /// The proof's `@context` is not where the document's starts.
    #[error("the proof's @context does not match the document's")]
    ContextMismatch,
    /// `proofValue` is not a base58-btc Ed25519 signature.
    #[error("the proof value is not an Ed25519 signature in base58-btc")]
    BadProofValue,
    /// The verification method names no key the verifier knows.
    #[error("the proof's key {0} is not one of the issuer's keys")]
    UnknownKey(String),
    /// The signature does not match the document.
    #[error("the signature does not match the document: something in it changed")]
    BadSignature,
}

/// RFC 8785 canonical JSON of `value`.
fn jcs(value: &Value) -> Vec<u8> {
    crate::canonical_json::of_value(value)
}

/// What the signature covers: SHA-256 of the canonical options, then of the canonical document.
fn hash_data(options: &Value, document: &Value) -> Vec<u8> {
    let mut out = Sha256::digest(jcs(options)).to_vec();
    out.extend_from_slice(&Sha256::digest(jcs(document)));
    out
}

/// `document` secured with a proof by `key`, named `verification_method`, created at `created`
/// (an RFC 3339 time in UTC). Any proof already on the document is replaced.
pub fn sign(document: &Value, key: &SigningKey, verification_method: &str, created: &str) -> Value {
    let mut unsecured = document.clone();
    if let Some(map) = unsecured.as_object_mut() {
        map.remove("proof");
    }
    let mut options = Map::new();
    options.insert("type".into(), "DataIntegrityProof".into());
    options.insert("cryptosuite".into(), CRYPTOSUITE.into());
    options.insert("created".into(), created.into());
    options.insert("verificationMethod".into(), verification_method.into());
    options.insert("proofPurpose".into(), "assertionMethod".into());
    if let Some(context) = unsecured.get("@context") {
        options.insert("@context".into(), context.clone());
    }
    let options = Value::Object(options);
    let signature = key.sign(&hash_data(&options, &unsecured));
    let mut proof = options;
    proof["proofValue"] = format!("z{}", bs58::encode(signature.to_bytes()).into_string()).into();
    let mut secured = unsecured;
    if let Some(map) = secured.as_object_mut() {
        map.insert("proof".into(), proof);
    }
    secured
}

/// Checks the proof of `secured` with the key `resolve` finds for its verification method;
/// returns that method's id.
pub fn verify(
    secured: &Value,
    resolve: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<String, ProofError> {
    let mut unsecured = secured.as_object().ok_or(ProofError::NotAnObject)?.clone();
    let Some(Value::Object(mut options)) = unsecured.remove("proof") else {
        return Err(ProofError::NoProof);
    };
    let proof_value = options.remove("proofValue");
    if options.get("type").and_then(Value::as_str) != Some("DataIntegrityProof")
        || options.get("cryptosuite").and_then(Value::as_str) != Some(CRYPTOSUITE)
    {
        return Err(ProofError::WrongSuite);
    }
    if options.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod") {
        return Err(ProofError::WrongPurpose);
    }
    if let Some(created) = options.get("created")
        && created.as_str().and_then(super::parse_time).is_none()
    {
        return Err(ProofError::BadCreated);
    }
    if let Some(context) = options.get("@context") {
        if !starts_with(unsecured.get("@context"), context) {
            return Err(ProofError::ContextMismatch);
        }
        unsecured.insert("@context".into(), context.clone());
    }
    let signature = proof_value
        .as_ref()
        .and_then(Value::as_str)
        .and_then(|v| v.strip_prefix('z'))
        .and_then(|v| bs58::decode(v).into_vec().ok())
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or(ProofError::BadProofValue)?;
    let method = options
        .get("verificationMethod")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let key = resolve(&method).ok_or_else(|| ProofError::UnknownKey(method.clone()))?;
    key.verify(
        &hash_data(&Value::Object(options), &Value::Object(unsecured)),
        &signature,
    )
    .map_err(|_| ProofError::BadSignature)?;
    Ok(method)
}

/// Whether the document's `@context` begins with the proof's, in order.
fn starts_with(document: Option<&Value>, proof: &Value) -> bool {
    let as_list = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let Some(document) = document else {
        return false;
    };
    let (document, proof) = (as_list(document), as_list(proof));
    document.len() >= proof.len() && document[..proof.len()] == proof[..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The signing key of the specification's test vectors (see `did::tests`).
    fn specification_key() -> SigningKey {
        let secret = bs58::decode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
            .into_vec()
            .unwrap();
        SigningKey::from_bytes(&secret[2..].try_into().unwrap())
    }

    const METHOD: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    fn alumni_credential() -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://www.w3.org/ns/credentials/examples/v2"],
            "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
            "type": ["VerifiableCredential", "AlumniCredential"],
            "name": "Alumni Credential",
            "description": "A minimum viable example of an Alumni Credential.",
            "issuer": "https://vc.example/issuers/5678",
            "validFrom": "2023-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"}
        })
    }

    /// The specification's `eddsa-jcs-2022` test vector (vc-di-eddsa, TestVectors/
    /// eddsa-jcs-2022): the same document, key and options give its hashes and proof value.
    #[test]
    fn the_specification_test_vector_signs_and_verifies() {
        let doc = alumni_credential();
        let signed = sign(&doc, &specification_key(), METHOD, "2023-02-24T23:36:38Z");
        let options = {
            let mut p = signed["proof"].clone();
            p.as_object_mut().unwrap().remove("proofValue");
            p
        };
        assert_eq!(
            hex::encode(Sha256::digest(jcs(&doc))),
            "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"
        );
        assert_eq!(
            hex::encode(Sha256::digest(jcs(&options))),
            "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db"
        );
        assert_eq!(
            signed["proof"]["proofValue"],
            "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
        );
        let public = specification_key().verifying_key();
        assert_eq!(
            verify(&signed, |m| (m == METHOD).then_some(public)),
            Ok(METHOD.into())
        );
    }

    #[test]
    fn every_tampering_fails_with_its_reason() {
        let key = specification_key();
        let public = key.verifying_key();
        let signed = sign(&alumni_credential(), &key, METHOD, "2023-02-24T23:36:38Z");
        let check = |doc: &Value| verify(doc, |m| (m == METHOD).then_some(public));

        let mut claim = signed.clone();
        claim["credentialSubject"]["alumniOf"] = "Another School".into();
        assert_eq!(check(&claim), Err(ProofError::BadSignature));

        let mut value = signed.clone();
        value["proof"]["proofValue"] =
            sign(&claim, &key, METHOD, "2023-02-24T23:36:38Z")["proof"]["proofValue"].clone();
        assert_eq!(check(&value), Err(ProofError::BadSignature));

        let mut garbled = signed.clone();
        garbled["proof"]["proofValue"] = "zzzz".into();
        assert_eq!(check(&garbled), Err(ProofError::BadProofValue));

        let mut suite = signed.clone();
        suite["proof"]["cryptosuite"] = "eddsa-rdfc-2022".into();
        assert_eq!(check(&suite), Err(ProofError::WrongSuite));

        let mut context = signed.clone();
        context["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
        assert_eq!(check(&context), Err(ProofError::ContextMismatch));

        let stranger = SigningKey::from_bytes(&[9; 32]);
        let forged = sign(
            &alumni_credential(),
            &stranger,
            METHOD,
            "2023-02-24T23:36:38Z",
        );
        assert_eq!(check(&forged), Err(ProofError::BadSignature));
        assert!(matches!(
            verify(&signed, |_| None),
            Err(ProofError::UnknownKey(_))
        ));
        assert_eq!(check(&alumni_credential()), Err(ProofError::NoProof));
    }
}
