//! W3C *Bitstring Status List v1.0*: one bit per issued credential, set when it is revoked,
//! published as a GZIP-compressed bitstring in multibase base64url (prefix `u`, no padding).
//! Index 0 is the left-most (most significant) bit of the first byte; a list holds at least
//! 131,072 entries (16 KiB), so a list alone says little about how many credentials exist.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::io::{Read, Write};

/// Entries in one list: the specification's minimum.
pub const LIST_SIZE: u64 = 131_072;

/// The largest list a verifier decompresses (16 times the minimum), so a hostile list cannot
/// exhaust memory.
const MAX_BYTES: u64 = LIST_SIZE * 2;

/// A list's bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitstring(Vec<u8>);

impl Default for Bitstring {
    fn default() -> Self {
        Self(vec![0; (LIST_SIZE / 8) as usize])
    }
}

/// Why an encoded list cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the status list is not a GZIP-compressed bitstring in multibase base64url")]
pub struct BadList;

impl Bitstring {
    /// Sets the bit of `index`; an index beyond the list grows it to a whole number of lists.
    pub fn set(&mut self, index: u64) {
        let byte = (index / 8) as usize;
        if byte >= self.0.len() {
            let lists = index / LIST_SIZE + 1;
            self.0.resize((lists * LIST_SIZE / 8) as usize, 0);
        }
        self.0[byte] |= 0x80 >> (index % 8);
    }

    /// Whether the bit of `index` is set; `None` when the list is shorter.
    pub fn get(&self, index: u64) -> Option<bool> {
        let byte = self.0.get((index / 8) as usize)?;
        Some(byte & (0x80 >> (index % 8)) != 0)
    }

    /// The `encodedList` value.
    pub fn encode(&self) -> String {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        // Writing to a vector cannot fail.
        gz.write_all(&self.0).expect("gzip into memory");
        format!(
            "u{}",
            URL_SAFE_NO_PAD.encode(gz.finish().expect("gzip into memory"))
        )
    }

    /// Reads an `encodedList` value.
    pub fn decode(encoded: &str) -> Result<Self, BadList> {
        let compressed = URL_SAFE_NO_PAD
            .decode(encoded.strip_prefix('u').ok_or(BadList)?)
            .map_err(|_| BadList)?;
        let mut bits = Vec::new();
        GzDecoder::new(&compressed[..])
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bits)
            .map_err(|_| BadList)?;
        if bits.is_empty() || bits.len() as u64 > MAX_BYTES {
            return Err(BadList);
        }
        Ok(Self(bits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_round_trips_and_bit_zero_is_the_leftmost() {
        let mut list = Bitstring::default();
        for i in [0, 7, 8, 94_567, LIST_SIZE - 1] {
            list.set(i);
        }
        assert_eq!(list.0[0], 0b1000_0001);
        let encoded = list.encode();
        assert!(
            encoded.starts_with("uH4sI"),
            "multibase base64url of a gzip stream"
        );
        let back = Bitstring::decode(&encoded).unwrap();
        assert_eq!(back, list);
        assert_eq!(back.get(94_567), Some(true));
        assert_eq!(back.get(94_568), Some(false));
        assert_eq!(back.get(LIST_SIZE), None);
    }

    #[test]
    fn the_empty_list_is_the_minimum_size_and_compresses() {
        let encoded = Bitstring::default().encode();
        assert!(encoded.len() < 200, "{} bytes", encoded.len());
        assert_eq!(
            Bitstring::decode(&encoded).unwrap().0.len() as u64 * 8,
            LIST_SIZE
        );
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(Bitstring::decode("H4sI"), Err(BadList));
        assert_eq!(Bitstring::decode("u!!!"), Err(BadList));
        assert_eq!(Bitstring::decode("uAAAA"), Err(BadList));
    }
}
