// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = receipt_vault::run() {
        eprintln!("receipt-vault: {e}");
        std::process::exit(1);
    }
}
