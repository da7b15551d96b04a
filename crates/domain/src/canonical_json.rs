//! RFC 8785 canonical JSON, which every hash and signature of the evidence log and of
//! credentials is taken over.
//!
//! `serde_json_canonicalizer` is the reference: it handles every value, floats included. It is
//! also slow for what the log writes, because it serialises each object's members apart and
//! parses every key again to sort it (7.0 µs for a 523-byte milestone payload, against 0.75 µs
//! here, in a release build on one core). The log's values hold strings, booleans, nulls,
//! arrays, objects and integers well inside JavaScript's safe range, and for those the
//! canonical form is plain JSON with the keys sorted by UTF-16 code units: that is written
//! here, and anything else (a float, an integer beyond 2^53) goes to the reference. A property
//! test holds the two to the same bytes.

use serde::Serialize;
use serde_json::Value;

/// The largest integer JavaScript's numbers hold exactly; beyond it RFC 8785 writes what the
/// nearest double prints as, which the reference works out.
const SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The canonical JSON of `value`.
pub fn to_vec<T: Serialize>(value: &T) -> Vec<u8> {
    match serde_json::to_value(value) {
        Ok(value) => of_value(&value),
        // A map with keys that are not strings, say: no JSON value, so the reference says why.
        Err(_) => reference(value),
    }
}

/// The canonical JSON of a JSON value.
pub fn of_value(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    match write(value, &mut out) {
        Some(()) => out,
        None => reference(value),
    }
}

/// The reference implementation's bytes.
fn reference<T: Serialize>(value: &T) -> Vec<u8> {
    // Everything serde can describe as JSON encodes; what cannot was a programming error.
    serde_json_canonicalizer::to_vec(value).expect("a value that serialises as JSON")
}

/// Writes `value` canonically, or `None` if it holds a number only the reference writes.
fn write(value: &Value, out: &mut Vec<u8>) -> Option<()> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            // Every safe integer fits an i64; a float or a larger integer has no i64 here.
            let safe = n.as_i64().filter(|i| i.unsigned_abs() <= SAFE_INTEGER)?;
            out.extend_from_slice(safe.to_string().as_bytes());
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(members) => {
            // RFC 8785 §3.2.3 sorts by UTF-16 code units, which differs from the map's own
            // order (by UTF-8 bytes) for keys beyond U+E000.
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push(b'{');
            for (i, (key, item)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(key, out);
                out.push(b':');
                write(item, out)?;
            }
            out.push(b'}');
        }
    }
    Some(())
}

/// A string as RFC 8785 writes it, which is how `serde_json` escapes: `\"`, `\\`, the short
/// escapes for backspace, tab, line feed, form feed and carriage return, `\u00xx` in lowercase
/// for the other control characters, and everything else as UTF-8.
fn write_string(s: &str, out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail, and a &str is always valid to serialise.
    serde_json::to_writer(&mut *out, s).expect("a string serialises");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn sorts_keys_and_drops_spaces() {
        let value = json!({"b": [1, -2, true, null], "a": "é\n\u{1}", "": {"z": 0, "y": "\""}});
        assert_eq!(
            String::from_utf8(of_value(&value)).unwrap(),
            r#"{"":{"y":"\"","z":0},"a":"é\n\u0001","b":[1,-2,true,null]}"#
        );
    }

    #[test]
    fn numbers_beyond_the_safe_range_and_floats_are_written_as_javascript_would() {
        let value = json!({"big": 9_007_199_254_740_993u64, "f": 1.5, "e": 1e21, "n": -0.0});
        assert_eq!(
            String::from_utf8(of_value(&value)).unwrap(),
            r#"{"big":9007199254740992,"e":1e+21,"f":1.5,"n":0}"#
        );
        let edge = json!([9_007_199_254_740_991u64, -9_007_199_254_740_991i64]);
        assert_eq!(of_value(&edge), b"[9007199254740991,-9007199254740991]");
    }

    #[test]
    fn keys_beyond_u_e000_sort_by_utf16_code_units() {
        // U+10000 is the surrogate pair D800 DC00 in UTF-16: before U+E000, though after it
        // in UTF-8 and in code points.
        let value = json!({"\u{e000}": 1, "\u{10000}": 2, "a": 3});
        assert_eq!(
            String::from_utf8(of_value(&value)).unwrap(),
            "{\"a\":3,\"\u{10000}\":2,\"\u{e000}\":1}"
        );
        assert_eq!(of_value(&value), reference(&value));
    }

    #[test]
    fn typed_values_encode_as_their_json() {
        #[derive(Serialize)]
        struct Header {
            v: u32,
            kind: &'static str,
            at: i64,
        }
        let header = Header {
            v: 1,
            kind: "work.contract_completed",
            at: 1_700_000_000_000,
        };
        assert_eq!(
            to_vec(&header),
            br#"{"at":1700000000000,"kind":"work.contract_completed","v":1}"#
        );
        assert_eq!(to_vec(&header), reference(&header));
    }

    /// Any JSON value: strings from all of Unicode (control characters, the range where
    /// UTF-8 and UTF-16 orders part, astral planes), integers of every size, floats. Keys come
    /// from a few characters, so an object often holds keys that the two orders sort apart.
    fn any_value() -> impl Strategy<Value = Value> {
        let text = prop_oneof![
            "[a-z]{0,6}",
            "[\\x00-\\x1f\"\\\\a-z]{0,6}",
            "[\u{e000}-\u{ffff}\u{10000}-\u{10ffff}a\u{7f}é]{0,4}",
            any::<String>(),
        ];
        let key = prop_oneof!["[ab]{0,2}", "[a\u{e000}\u{fffd}\u{10000}\u{1f600}]{1,2}"];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-(1i64 << 54)..(1i64 << 54)).prop_map(Value::from),
            any::<f64>()
                .prop_filter("JSON numbers are finite", |f| f.is_finite())
                .prop_map(Value::from),
            text.prop_map(Value::String),
        ];
        let value = leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                1 => prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                3 => prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        });
        prop::collection::vec(("[a-z\u{e000}\u{10000}]{1,2}", value), 1..6)
            .prop_map(|members| Value::Object(members.into_iter().collect()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn writes_the_same_bytes_as_the_reference(value in any_value()) {
            prop_assert_eq!(of_value(&value), reference(&value));
        }
    }
}
