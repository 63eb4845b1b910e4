//! Running third-party parsers over hostile input: on their own thread, with a time
//! limit, and with their panics turned into errors.

use std::sync::mpsc;
use std::time::Duration;

/// Thread names of guarded work start with this; `quiet_guarded_panics` keys on it.
const PREFIX: &str = "guarded-";

/// Run `f` on its own thread. A panic becomes `Err("failed")`; running past `limit`
/// becomes `Err("took too long")` and the thread is left to finish on its own.
pub fn run<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name(format!("{PREFIX}{what}"))
        .spawn(move || {
            let _ = tx.send(f());
        });
    if let Err(e) = spawned {
        return Err(format!("could not start: {e}"));
    }
    match rx.recv_timeout(limit) {
        Ok(v) => Ok(v),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(format!("took too long (over {limit:?}) and was abandoned"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("failed (the parser crashed)".into()),
    }
}

/// Install a panic hook that stays quiet for panics inside guarded parser threads (they
/// are reported as warnings on the voucher) and behaves as before for everything else.
/// For binaries; call once at start-up.
pub fn quiet_guarded_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let guarded = std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with(PREFIX));
        if !guarded {
            default(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_panics_and_timeouts() {
        assert_eq!(run("ok", Duration::from_secs(5), || 7), Ok(7));
        let e = run("boom", Duration::from_secs(5), || -> i32 { panic!("boom") }).unwrap_err();
        assert!(e.contains("crashed"), "{e}");
        let e = run("slow", Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_millis(500));
        })
        .unwrap_err();
        assert!(e.contains("too long"), "{e}");
    }
}
