//! Timing one command from outside: a runner process starts it, waits for it and reads the
//! kernel's accounting of its (only) child.

use std::process::{Command, Stdio};
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};

/// What one run of a command cost.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Wall seconds, start to exit.
    pub wall: f64,
    /// User + system CPU seconds of the command.
    pub cpu: f64,
    /// Peak resident memory of the command, KiB.
    pub rss_kib: i64,
}

impl Sample {
    /// The median of each figure on its own.
    pub fn median(samples: &[Sample]) -> Sample {
        let pick = |f: fn(&Sample) -> f64| {
            let mut v: Vec<f64> = samples.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        Sample {
            wall: pick(|s| s.wall),
            cpu: pick(|s| s.cpu),
            rss_kib: pick(|s| s.rss_kib as f64) as i64,
        }
    }

    /// [`median`](Self::median), `None` without samples.
    pub fn median_opt(samples: &[Sample]) -> Option<Sample> {
        (!samples.is_empty()).then(|| Self::median(samples))
    }
}

/// Runs `cmd` under the runner (`exe measure -- cmd...`) with `FRAPPE_TEST_URL` set to `url`,
/// and reads its sample.
pub fn measure(exe: &str, cmd: &[String], url: &str) -> Result<Sample, String> {
    let out = Command::new(exe)
        .env("FRAPPE_TEST_URL", url)
        .arg("measure")
        .arg("--")
        .args(cmd)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start the runner: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("{} failed ({})", cmd.join(" "), out.status));
    }
    let figures: Vec<&str> = text.split_whitespace().collect();
    match figures.as_slice() {
        [wall, cpu, rss] => Ok(Sample {
            wall: wall
                .parse()
                .map_err(|e| format!("runner said {text:?}: {e}"))?,
            cpu: cpu
                .parse()
                .map_err(|e| format!("runner said {text:?}: {e}"))?,
            rss_kib: rss
                .parse()
                .map_err(|e| format!("runner said {text:?}: {e}"))?,
        }),
        _ => Err(format!("runner said {text:?}")),
    }
}

/// The runner: `measure -- CMD ARGS...` runs CMD (its output discarded) and prints
/// `wall cpu rss_kib`.
pub fn runner(args: &[String]) -> Result<(), String> {
    let [dashdash, program, rest @ ..] = args else {
        return Err("usage: measure -- COMMAND [ARGS...]".into());
    };
    if dashdash != "--" {
        return Err("usage: measure -- COMMAND [ARGS...]".into());
    }
    let start = Instant::now();
    let status = Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let wall = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{program} exited with {status}"));
    }
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| format!("getrusage: {e}"))?;
    let secs = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    let cpu = secs(usage.user_time()) + secs(usage.system_time());
    println!("{wall:.6} {cpu:.6} {}", usage.max_rss());
    Ok(())
}
