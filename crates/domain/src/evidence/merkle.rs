//! The Merkle tree hash of RFC 9162 (Certificate Transparency 2.0), §2.1: hashes, audit paths
//! (inclusion proofs), consistency proofs, and their verification.
//!
//! Proofs are built from the hashes of complete subtrees, which a [`Subtrees`] source supplies:
//! from memory, or from the store's table of subtree hashes, so a proof costs O(log² n) lookups
//! however large the log grows. Verification follows the RFC's algorithms (§2.1.3.2, §2.1.4.2)
//! and needs nothing but the proof.

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash of a leaf: SHA-256(0x00 ‖ data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// The hash of an inner node: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The complete subtrees whose hashes appending leaf `index` needs: at each level where the
/// new leaf completes a subtree, its left half, lowest level first, as (level, index).
pub fn append_needs(index: u64) -> Vec<(u32, u64)> {
    (0..index.trailing_ones())
        .map(|level| (level, (index >> level) - 1))
        .collect()
}

/// The subtree hashes that appending `leaf` as leaf `index` completes, as (level, index,
/// hash), the leaf itself first; `lefts` holds the hashes [`append_needs`] named, in its
/// order. `None` when `lefts` is not that long. The store keeps these, so any root or proof
/// later costs O(log² n) lookups.
pub fn append(index: u64, leaf: Hash, lefts: &[Hash]) -> Option<Vec<(u32, u64, Hash)>> {
    let needs = append_needs(index);
    if lefts.len() != needs.len() {
        return None;
    }
    let mut nodes = vec![(0, index, leaf)];
    let mut hash = leaf;
    for ((level, left_index), left) in needs.into_iter().zip(lefts) {
        hash = node_hash(left, &hash);
        // A left half has an even index; its parent sits at half of it.
        nodes.push((level + 1, left_index / 2, hash));
    }
    Some(nodes)
}

/// The largest power of two smaller than `n` (n ≥ 2).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// Where complete subtree hashes come from.
pub trait Subtrees {
    /// Why a hash could not be had.
    type Error;
    /// The hash of the complete subtree of 2^`level` leaves starting at leaf
    /// `index << level`; level 0 is the leaf hash itself.
    fn complete(&mut self, level: u32, index: u64) -> Result<Hash, Self::Error>;
}

/// MTH(D[start..end]) where `start` is a multiple of the largest power of two ≤ end − start,
/// as every range the RFC's recursions visit is.
fn range_hash<S: Subtrees>(s: &mut S, start: u64, end: u64) -> Result<Hash, S::Error> {
    let n = end - start;
    if n.is_power_of_two() {
        let level = n.trailing_zeros();
        return s.complete(level, start >> level);
    }
    let k = split(n);
    let left = range_hash(s, start, start + k)?;
    let right = range_hash(s, start + k, end)?;
    Ok(node_hash(&left, &right))
}

/// The root of the first `size` leaves.
pub fn root<S: Subtrees>(s: &mut S, size: u64) -> Result<Hash, S::Error> {
    if size == 0 {
        return Ok(empty_root());
    }
    range_hash(s, 0, size)
}

/// The audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1).
/// `None` when `index` is not below `size`.
pub fn inclusion_proof<S: Subtrees>(
    s: &mut S,
    index: u64,
    size: u64,
) -> Result<Option<Vec<Hash>>, S::Error> {
    if index >= size {
        return Ok(None);
    }
    let mut path = Vec::new();
    path_of(s, index, 0, size, &mut path)?;
    Ok(Some(path))
}

/// PATH(m, D[start..end]), appended to `out` leaf-side first.
fn path_of<S: Subtrees>(
    s: &mut S,
    m: u64,
    start: u64,
    end: u64,
    out: &mut Vec<Hash>,
) -> Result<(), S::Error> {
    let n = end - start;
    if n <= 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path_of(s, m, start, start + k, out)?;
        out.push(range_hash(s, start + k, end)?);
    } else {
        path_of(s, m - k, start + k, end, out)?;
        out.push(range_hash(s, start, start + k)?);
    }
    Ok(())
}

/// The consistency proof between the trees of the first `old` and the first `new` leaves
/// (RFC 9162 §2.1.4.1). `None` unless 0 < old ≤ new.
pub fn consistency_proof<S: Subtrees>(
    s: &mut S,
    old: u64,
    new: u64,
) -> Result<Option<Vec<Hash>>, S::Error> {
    if old == 0 || old > new {
        return Ok(None);
    }
    let mut proof = Vec::new();
    subproof(s, old, 0, new, true, &mut proof)?;
    Ok(Some(proof))
}

/// SUBPROOF(m, D[start..end], b).
fn subproof<S: Subtrees>(
    s: &mut S,
    m: u64,
    start: u64,
    end: u64,
    whole: bool,
    out: &mut Vec<Hash>,
) -> Result<(), S::Error> {
    let n = end - start;
    if m == n {
        if !whole {
            out.push(range_hash(s, start, end)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(s, m, start, start + k, whole, out)?;
        out.push(range_hash(s, start + k, end)?);
    } else {
        subproof(s, m - k, start + k, end, false, out)?;
        out.push(range_hash(s, start, start + k)?);
    }
    Ok(())
}

/// Whether `path` proves that `leaf` is leaf `index` of the tree of `size` leaves with `root`
/// (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, path: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    for p in path {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && r == *root
}

/// Whether `proof` shows the tree of `old` leaves with `old_root` is a prefix of the tree of
/// `new` leaves with `new_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old == 0 || old > new {
        return false;
    }
    if old == new {
        return proof.is_empty() && old_root == new_root;
    }
    let mut proof: Vec<Hash> = proof.to_vec();
    if old.is_power_of_two() {
        proof.insert(0, *old_root);
    }
    let Some((first, rest)) = proof.split_first() else {
        return false;
    };
    let (mut f_n, mut s_n) = (old - 1, new - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut f_r, mut s_r) = (*first, *first);
    for c in rest {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            f_r = node_hash(c, &f_r);
            s_r = node_hash(c, &s_r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            s_r = node_hash(&s_r, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    f_r == *old_root && s_r == *new_root && s_n == 0
}

/// A tree held in memory as its leaf hashes: for bundles, verifiers and tests.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    /// Leaf hashes in order.
    pub leaves: Vec<Hash>,
}

/// A tree was asked for leaves it does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the tree holds fewer leaves than asked for")]
pub struct MissingLeaves;

impl Subtrees for MemoryTree {
    type Error = MissingLeaves;

    fn complete(&mut self, level: u32, index: u64) -> Result<Hash, Self::Error> {
        let width = 1usize.checked_shl(level).ok_or(MissingLeaves)?;
        let start = (index as usize).checked_mul(width).ok_or(MissingLeaves)?;
        let leaves = self
            .leaves
            .get(start..start.saturating_add(width))
            .ok_or(MissingLeaves)?;
        let mut layer: Vec<Hash> = leaves.to_vec();
        while layer.len() > 1 {
            layer = layer.chunks(2).map(|p| node_hash(&p[0], &p[1])).collect();
        }
        Ok(layer[0])
    }
}
