//! CPU time spent so far, by this process and by the whole machine, read from Linux's `/proc`:
//! what tells a benchmark bound by the processor from one that waits (on a lock, a disk sync
//! or a database server, whose time shows on the machine but not in this process), and the
//! time a virtual machine's host took from it (which slows everything down without showing as
//! anyone's work).

use std::time::{Duration, Instant};

/// CPU time used so far: by this process (all its threads), by everything on the machine, and
/// taken from the machine by its host.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuTime {
    pub process: Duration,
    pub machine: Duration,
    /// Steal time: a virtual machine's processors were ready to run and the host ran something
    /// else. Zero on a machine of its own.
    pub stolen: Duration,
}

/// Clock ticks per second in `/proc`'s figures: USER_HZ, which Linux fixes at 100 for user
/// space whatever the kernel's own tick rate.
const TICKS_PER_SECOND: u64 = 100;

fn ticks(n: u64) -> Duration {
    Duration::from_millis(n * 1000 / TICKS_PER_SECOND)
}

impl CpuTime {
    /// Now; `None` where `/proc` is not there to read (not Linux).
    pub fn now() -> Option<CpuTime> {
        // /proc/self/stat: after the command name in parentheses, utime and stime are the
        // 12th and 13th fields.
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let fields: Vec<u64> = stat
            .rsplit(')')
            .next()?
            .split_whitespace()
            .map(|f| f.parse().unwrap_or(0))
            .collect();
        let process = fields.get(11)? + fields.get(12)?;
        // /proc/stat's first line: user, nice, system, idle, iowait, irq, softirq, steal, ...;
        // the busy ones are the first seven but idle and iowait.
        let all = std::fs::read_to_string("/proc/stat").ok()?;
        let cpu: Vec<u64> = all
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .map(|f| f.parse().unwrap_or(0))
            .collect();
        let busy = cpu.get(..7)?.iter().sum::<u64>() - cpu[3] - cpu[4];
        Some(CpuTime {
            process: ticks(process),
            machine: ticks(busy),
            stolen: ticks(cpu.get(7).copied().unwrap_or(0)),
        })
    }

    /// The time used since `earlier`.
    pub fn since(&self, earlier: &CpuTime) -> CpuTime {
        CpuTime {
            process: self.process.saturating_sub(earlier.process),
            machine: self.machine.saturating_sub(earlier.machine),
            stolen: self.stolen.saturating_sub(earlier.stolen),
        }
    }

    /// Both spans together.
    pub fn plus(&self, other: &CpuTime) -> CpuTime {
        CpuTime {
            process: self.process + other.process,
            machine: self.machine + other.machine,
            stolen: self.stolen + other.stolen,
        }
    }
}

/// When a span of work started, and the CPU time used by then.
pub struct Started {
    at: Instant,
    cpu: Option<CpuTime>,
}

impl Started {
    /// Now.
    pub fn now() -> Started {
        Started {
            cpu: CpuTime::now(),
            at: Instant::now(),
        }
    }

    /// The time since.
    pub fn elapsed(&self) -> Duration {
        self.at.elapsed()
    }

    /// The CPU time used since, where it can be read.
    pub fn cpu(&self) -> Option<CpuTime> {
        CpuTime::now()
            .zip(self.cpu)
            .map(|(now, before)| now.since(&before))
    }

    /// The cores the host of a virtual machine took from it since (steal time), on average;
    /// `None` where that cannot be read.
    pub fn stolen_cores(&self) -> Option<f64> {
        let elapsed = self.elapsed().as_secs_f64();
        self.cpu().map(|cpu| cpu.stolen.as_secs_f64() / elapsed)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::CpuTime;
    use std::time::{Duration, Instant};

    #[test]
    fn work_on_this_thread_shows_in_the_process_and_on_the_machine() {
        let start = CpuTime::now().expect("/proc is readable on Linux");
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut spun = 0u64;
        let used = loop {
            for i in 0..100_000u64 {
                spun = std::hint::black_box(spun.wrapping_add(i));
            }
            let used = CpuTime::now().unwrap().since(&start);
            if used.process >= Duration::from_millis(50) || Instant::now() > deadline {
                break used;
            }
        };
        assert!(used.process >= Duration::from_millis(50), "{used:?}");
        // The machine's busy time includes this process's (both count in whole ticks).
        assert!(
            used.machine + Duration::from_millis(20) >= used.process,
            "{used:?}"
        );
    }
}
