//! Running the external programs (`tesseract`, and poppler's `pdftoppm` and `pdftotext`)
//! under limits. Each run gets its own process group and a hard time limit; on overrun the
//! whole group is killed and the child reaped, and the output kept is capped, so a hung or
//! crashing program can neither take the app down nor leave a process or zombie behind.

use super::OcrError;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What a finished program left.
pub(crate) struct ToolOutput {
    pub(crate) status_ok: bool,
    pub(crate) status: String,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
}

/// Most output read from a program; the rest is drained and dropped.
const MAX_OUTPUT: usize = 8 << 20;

/// Run a program with `input` on its stdin, collecting stdout and stderr, under a hard
/// time limit. The program gets its own process group; on timeout the whole group is
/// killed and the child reaped, so nothing is left running and no zombie remains.
pub(crate) fn run_tool(
    program: &Path,
    args: &[OsString],
    input: Option<Vec<u8>>,
    limit: Duration,
) -> std::result::Result<ToolOutput, OcrError> {
    use std::os::unix::process::CommandExt;
    let name = program
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| program.display().to_string());
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // One thread per process: the queue runs `WORKERS` processes side by side, and
        // OpenMP threads fighting over the same cores only slow each other down.
        .env("OMP_THREAD_LIMIT", "1")
        .process_group(0);
    let mut child = spawn(&mut cmd, program, &name)?;
    let pid = child.id() as libc::pid_t;

    let writer = match (input, child.stdin.take()) {
        (Some(bytes), Some(mut stdin)) => Some(std::thread::spawn(move || {
            block_sigpipe_on_this_thread();
            // A program that exits without reading everything closes the pipe: EPIPE,
            // ignored here; its exit status tells what happened.
            let _ = stdin.write_all(&bytes);
        })),
        _ => None,
    };
    let stdout = child.stdout.take().map(|s| reader(s, MAX_OUTPUT));
    let stderr = child.stderr.take().map(|s| reader(s, 64 << 10));

    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => {
                kill_group(pid, &mut child);
                return Err(OcrError::Io(format!("waiting for {name}: {e}")));
            }
        }
        if started.elapsed() >= limit {
            kill_group(pid, &mut child);
            if let Some(w) = writer {
                let _ = w.join();
            }
            return Err(OcrError::Timeout {
                program: name,
                limit,
            });
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    // The child has exited; its pipes close unless something it started keeps them open,
    // so wait briefly rather than forever.
    let collect = |r: Option<mpsc::Receiver<Vec<u8>>>| {
        r.and_then(|rx| rx.recv_timeout(Duration::from_secs(2)).ok())
            .unwrap_or_default()
    };
    let stdout = collect(stdout);
    let stderr = collect(stderr);
    Ok(ToolOutput {
        status_ok: status.success(),
        status: status.to_string(),
        stdout,
        stderr,
    })
}

/// Start the program, trying again for a moment while its file is busy; a missing or
/// forbidden program is `Unavailable` (`name`, its file name, picks the package to install).
fn spawn(cmd: &mut Command, program: &Path, name: &str) -> std::result::Result<Child, OcrError> {
    // ETXTBSY: the program file was just written and another thread's fork still holds it
    // open for a moment (seen with freshly written scripts); try again shortly.
    let mut spawned = cmd.spawn();
    for _ in 0..20 {
        match &spawned {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                std::thread::sleep(Duration::from_millis(25));
                spawned = cmd.spawn();
            }
            _ => break,
        }
    }
    spawned.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => OcrError::Unavailable(format!(
            "{} not found (install {})",
            program.display(),
            if name.contains("pdftoppm") {
                "poppler-utils"
            } else {
                "tesseract-ocr"
            }
        )),
        std::io::ErrorKind::PermissionDenied => {
            OcrError::Unavailable(format!("{} cannot be run: {e}", program.display()))
        }
        _ => OcrError::Io(format!("{} could not be started: {e}", program.display())),
    })
}

/// Read a pipe to its end on a thread, keeping at most `max` bytes.
fn reader<R: Read + Send + 'static>(mut r: R, max: usize) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let room = max.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send(kept);
    });
    rx
}

/// SIGKILL the child's process group (it leads it), then reap the child.
fn kill_group(pid: libc::pid_t, child: &mut Child) {
    // SAFETY: kill(2) with a negative pid signals the process group `pid`, which the child
    // leads (`process_group(0)`) and which exists until the child is reaped below.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Writing to a pipe whose reader is gone raises SIGPIPE in the writing thread; the CLI
/// restores SIGPIPE's default action (which ends the process), so block it on the thread
/// that feeds a child and let the write fail with EPIPE instead.
fn block_sigpipe_on_this_thread() {
    // SAFETY: plain libc calls on a local, zero-initialised signal set; pthread_sigmask
    // only changes this thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// The last few lines of a program's error output, for a message.
pub(crate) fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let start = lines.len().saturating_sub(3);
    let t = lines[start..].join(" / ");
    if t.is_empty() {
        "no error output".into()
    } else if t.chars().count() > 500 {
        t.chars().take(500).collect::<String>() + "…"
    } else {
        t
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::path::PathBuf;

    pub(in crate::capture::ocr) fn script(dir: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join("fake-tool");
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    #[test]
    fn timeout_kills_the_whole_group_and_reaps() {
        let dir = tempfile::tempdir().unwrap();
        let pids = dir.path().join("pids");
        // The shell starts a grandchild that would outlive a plain kill of the shell and
        // hold the output pipe open.
        let prog = script(
            dir.path(),
            &format!("sleep 30 & echo $$ $! > {}; wait", pids.display()),
        );
        let started = Instant::now();
        let e = run_tool(&prog, &[], None, Duration::from_millis(700))
            .err()
            .unwrap();
        assert!(matches!(e, OcrError::Timeout { .. }), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
        let ids = std::fs::read_to_string(&pids).unwrap();
        for pid in ids.split_whitespace() {
            let pid: libc::pid_t = pid.parse().unwrap();
            // The shell is reaped (no zombie: the pid is gone); the grandchild was killed
            // with the group (and reaped by init), possibly a moment later.
            let gone = (0..100).any(|_| {
                // SAFETY: signal 0 only checks whether the process exists.
                let r = unsafe { libc::kill(pid, 0) };
                if r != 0 {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(20));
                false
            });
            assert!(gone, "process {pid} still exists");
        }
    }
}
