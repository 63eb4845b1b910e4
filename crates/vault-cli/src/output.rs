//! What every command shares: the error that carries its exit code, JSON printing, the
//! progress bar on standard error, and shortening text for the terminal.

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::IsTerminal;

/// An error with the exit code it maps to.
pub struct Exit(pub u8, pub anyhow::Error);

/// The exit code an error maps to: 2 for a bad query or bad input, 4 for a bad bundle,
/// else 1.
pub fn fail(e: impl Into<anyhow::Error>) -> Exit {
    let e = e.into();
    let code = match e.downcast_ref::<vault_core::Error>() {
        Some(vault_core::Error::BadQuery(_)) | Some(vault_core::Error::Invalid(_)) => 2,
        Some(vault_core::Error::BadBundle { .. }) => 4,
        _ => 1,
    };
    Exit(code, e)
}

pub fn print_json<T: Serialize>(v: &T) -> Result<(), Exit> {
    let s = serde_json::to_string_pretty(v).map_err(fail)?;
    println!("{s}");
    Ok(())
}

/// A bar on standard error, hidden when it is not a terminal, for `--json` or for a
/// single item.
pub fn progress_bar(total: u64, enabled: bool, what: &str) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() || total < 2 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total);
    pb.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(what.to_string());
    pb
}

pub fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
