//! How long this machine's disk takes to make a small write durable: the floor under every
//! commit in the `Full` durability mode. `guildhall bench contracts` prints it beside its
//! figures, because its ratio moves with it: each commit waits for one sync, a baseline write's
//! and a use case's alike, so the slower the sync, the closer the two cost.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// The size of one write: a database page.
const PAGE: usize = 4096;
/// Places in the scratch file the writes go to in turn, as commits reuse a log's pages.
const PLACES: u64 = 16;

/// Writes a page at one of [`PLACES`] places of a scratch file in `dir` and syncs its data,
/// `rounds` times; returns each sync's time, sorted. The file is removed afterwards.
pub fn sync_times(dir: &Path, rounds: usize) -> std::io::Result<Vec<Duration>> {
    let path = dir.join("disk-sync-probe");
    let mut file = std::fs::File::create(&path)?;
    let page = [0x5a_u8; PAGE];
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds as u64 {
        file.seek(SeekFrom::Start((round % PLACES) * PAGE as u64))?;
        file.write_all(&page)?;
        let start = Instant::now();
        file.sync_data()?;
        times.push(start.elapsed());
    }
    drop(file);
    std::fs::remove_file(&path)?;
    times.sort();
    Ok(times)
}

/// "p50 … µs, p90 … µs" of sorted sync times.
pub fn summary(sorted: &[Duration]) -> String {
    let micros = |p: f64| crate::bench_match::percentile(sorted, p) * 1000.0;
    format!("p50 {:.0} µs, p90 {:.0} µs", micros(0.5), micros(0.9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_every_round_sorted_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let times = sync_times(dir.path(), 5).unwrap();
        assert_eq!(times.len(), 5);
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(summary(&times).starts_with("p50 "));
    }
}
