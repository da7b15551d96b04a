//! Fingerprints the PostgreSQL migrations, so test databases can be cloned from a template
//! migrated with exactly these files (`testdb.rs`), and a changed migration gets a new one.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("migrations folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let dir = Path::new("migrations/postgres");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut paths = Vec::new();
    files(dir, &mut paths);
    paths.sort();
    let mut hasher = DefaultHasher::new();
    for path in paths {
        path.hash(&mut hasher);
        std::fs::read(&path)
            .expect("migration file")
            .hash(&mut hasher);
    }
    println!(
        "cargo:rustc-env=GUILDHALL_PG_MIGRATIONS={:016x}",
        hasher.finish()
    );
}
