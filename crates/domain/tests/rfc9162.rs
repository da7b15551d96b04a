//! The evidence log's Merkle tree against a reference written here from the definitions of
//! RFC 9162 §2.1 (MTH, PATH, SUBPROOF over the data itself, not over stored subtrees), and
//! against the roots of the eight test leaves used by Certificate Transparency implementations.

use guildhall_domain::evidence::merkle::{
    self, Hash, MemoryTree, consistency_proof, inclusion_proof, verify_consistency,
    verify_inclusion,
};
use sha2::{Digest, Sha256};

fn sha(parts: &[&[u8]]) -> Hash {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// k: the largest power of two smaller than n.
fn k_of(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

fn mth(d: &[Vec<u8>]) -> Hash {
    match d.len() {
        0 => sha(&[]),
        1 => sha(&[&[0], &d[0]]),
        n => {
            let k = k_of(n);
            sha(&[&[1], &mth(&d[..k]), &mth(&d[k..])])
        }
    }
}

fn path(m: usize, d: &[Vec<u8>]) -> Vec<Hash> {
    let n = d.len();
    if n == 1 {
        return vec![];
    }
    let k = k_of(n);
    if m < k {
        let mut p = path(m, &d[..k]);
        p.push(mth(&d[k..]));
        p
    } else {
        let mut p = path(m - k, &d[k..]);
        p.push(mth(&d[..k]));
        p
    }
}

fn subproof(m: usize, d: &[Vec<u8>], b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b { vec![] } else { vec![mth(d)] };
    }
    let k = k_of(n);
    if m <= k {
        let mut p = subproof(m, &d[..k], b);
        p.push(mth(&d[k..]));
        p
    } else {
        let mut p = subproof(m - k, &d[k..], false);
        p.push(mth(&d[..k]));
        p
    }
}

fn data(n: usize) -> Vec<Vec<u8>> {
    (0..n).map(|i| format!("entry {i}").into_bytes()).collect()
}

fn tree(d: &[Vec<u8>]) -> MemoryTree {
    MemoryTree {
        leaves: d.iter().map(|x| merkle::leaf_hash(x)).collect(),
    }
}

fn hex(h: &Hash) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn roots_of_the_certificate_transparency_test_leaves() {
    let leaves: Vec<Vec<u8>> = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    .iter()
    .map(|h| {
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect()
    })
    .collect();
    let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    let mut t = tree(&leaves);
    assert_eq!(
        hex(&merkle::root(&mut t, 0).unwrap()),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    for (n, want) in roots.iter().enumerate() {
        let size = n as u64 + 1;
        assert_eq!(hex(&mth(&leaves[..=n])), *want, "reference, {size} leaves");
        assert_eq!(
            hex(&merkle::root(&mut t, size).unwrap()),
            *want,
            "{size} leaves"
        );
    }
}

#[test]
fn inclusion_proofs_match_the_reference_and_verify() {
    for n in 1..=40usize {
        let d = data(n);
        let mut t = tree(&d);
        let root = mth(&d);
        assert_eq!(merkle::root(&mut t, n as u64).unwrap(), root);
        for m in 0..n {
            let proof = inclusion_proof(&mut t, m as u64, n as u64)
                .unwrap()
                .unwrap();
            assert_eq!(proof, path(m, &d), "leaf {m} of {n}");
            let leaf = merkle::leaf_hash(&d[m]);
            assert!(verify_inclusion(&leaf, m as u64, n as u64, &proof, &root));
            // Any change to the proof, the index, the size or the leaf is caught.
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i][0] ^= 1;
                assert!(!verify_inclusion(&leaf, m as u64, n as u64, &bad, &root));
            }
            if n > 1 {
                let other = (m + 1) % n;
                assert!(!verify_inclusion(
                    &leaf,
                    other as u64,
                    n as u64,
                    &proof,
                    &root
                ));
            }
            let grown = mth(&data(n + 1));
            assert!(!verify_inclusion(
                &leaf,
                m as u64,
                n as u64 + 1,
                &proof,
                &grown
            ));
            assert!(!verify_inclusion(
                &[0; 32], m as u64, n as u64, &proof, &root
            ));
        }
        assert_eq!(inclusion_proof(&mut t, n as u64, n as u64).unwrap(), None);
    }
}

#[test]
fn consistency_proofs_match_the_reference_and_verify() {
    for n in 1..=40usize {
        let d = data(n);
        let mut t = tree(&d);
        let new_root = mth(&d);
        for m in 1..=n {
            let old_root = mth(&d[..m]);
            let proof = consistency_proof(&mut t, m as u64, n as u64)
                .unwrap()
                .unwrap();
            assert_eq!(proof, subproof(m, &d, true), "{m} to {n}");
            assert!(verify_consistency(
                m as u64, n as u64, &old_root, &new_root, &proof
            ));
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i][31] ^= 0x80;
                assert!(!verify_consistency(
                    m as u64, n as u64, &old_root, &new_root, &bad
                ));
            }
            if m < n {
                let forged = mth(&data(m + 1)[1..]);
                assert!(!verify_consistency(
                    m as u64, n as u64, &forged, &new_root, &proof
                ));
            }
        }
        assert_eq!(consistency_proof(&mut t, 0, n as u64).unwrap(), None);
        assert_eq!(
            consistency_proof(&mut t, n as u64 + 1, n as u64).unwrap(),
            None
        );
    }
}

/// Subtree hashes kept in a map, as the store keeps them.
#[derive(Default)]
struct Stored(std::collections::HashMap<(u32, u64), Hash>);

impl merkle::Subtrees for Stored {
    type Error = ();
    fn complete(&mut self, level: u32, index: u64) -> Result<Hash, ()> {
        self.0.get(&(level, index)).copied().ok_or(())
    }
}

#[test]
fn appending_leaf_by_leaf_keeps_every_root_and_proof_of_the_reference() {
    let d = data(70);
    let mut stored = Stored::default();
    for (i, leaf) in d.iter().enumerate() {
        let index = i as u64;
        let lefts: Vec<Hash> = merkle::append_needs(index)
            .into_iter()
            .map(|(level, at)| stored.0[&(level, at)])
            .collect();
        for (level, at, hash) in merkle::append(index, merkle::leaf_hash(leaf), &lefts).unwrap() {
            assert!(
                stored.0.insert((level, at), hash).is_none(),
                "{level}/{at} twice"
            );
        }
        let size = index + 1;
        assert_eq!(
            merkle::root(&mut stored, size),
            Ok(mth(&d[..i + 1])),
            "root of {size}"
        );
        assert_eq!(
            inclusion_proof(&mut stored, index / 2, size).unwrap(),
            Some(path(i / 2, &d[..i + 1])),
        );
    }
    // Leaf 7 completes subtrees at levels 1, 2 and 3: it needs three left halves.
    assert_eq!(merkle::append_needs(7), vec![(0, 6), (1, 2), (2, 0)]);
    assert_eq!(merkle::append(7, [0; 32], &[[0; 32]]), None);
}
