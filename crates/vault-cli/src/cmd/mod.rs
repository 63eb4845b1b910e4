//! One module per group of subcommands. Each command is a function that takes the vault
//! directory, whether to print JSON, and its arguments; it prints its result and returns the
//! exit code. Parsing the command line stays in `main.rs`; shared helpers are in `output`.

pub mod add;
pub mod edit;
pub mod export;
pub mod ocr;
pub mod search;
pub mod settings;
pub mod verify;
