//! `vault settings`: show the vault's settings, or change them.

use crate::output::{fail, print_json, Exit};
use std::path::Path;
use vault_core::{DefaultCurrency, Vault};

/// Shows the settings; with `currency` sets the default currency ("auto" goes back to the
/// system locale's).
pub fn settings(dir: &Path, json: bool, currency: Option<String>) -> Result<u8, Exit> {
    let mut v = Vault::open(dir).map_err(fail)?;
    let d = match currency.as_deref() {
        Some("auto") => v.set_default_currency(None),
        Some(code) => v.set_default_currency(Some(code)),
        None => v.default_currency(),
    }
    .map_err(fail)?;
    if json {
        print_json(&serde_json::json!({ "defaultCurrency": d }))?;
    } else {
        println!("default currency: {}", describe(&d));
    }
    Ok(0)
}

/// "MYR (chosen)", "EUR (from the system locale)", "none (...)".
fn describe(d: &DefaultCurrency) -> String {
    match (d.currency, d.chosen) {
        (Some(c), true) => format!("{c} (chosen; `--currency auto` follows the system locale)"),
        (Some(c), false) => format!("{c} (from the system locale; set one with --currency CODE)"),
        (None, _) => {
            "none (the system locale names no country; set one with --currency CODE)".to_string()
        }
    }
}
