//! Packs the workspace's source into the binary, so every running instance can offer its users
//! the exact source it was built from, as the GNU AGPL asks of a network service (section 13).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Top-level entries of the workspace that make up its source.
const PARTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "LICENSE",
    "README.md",
    "schemathesis.toml",
    ".ci",
    "crates",
    "docs",
];

fn files_under(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        let name = entry.file_name();
        // Build output and editor leftovers are not source.
        if name == "target" || name.to_string_lossy().ends_with(".snap.new") {
            continue;
        }
        files_under(&p, out);
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("../..")
        .canonicalize()
        .unwrap();
    let mut files = Vec::new();
    for part in PARTS {
        let path = root.join(part);
        println!("cargo:rerun-if-changed={}", path.display());
        files_under(&path, &mut files);
    }
    files.sort();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("source.tar.gz");
    let gz =
        flate2::write::GzEncoder::new(File::create(&out).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for file in files {
        let name = Path::new("guildhall").join(file.strip_prefix(&root).unwrap());
        tar.append_path_with_name(&file, name).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap().flush().unwrap();
}
