// Shapes of the data that crosses IPC. They are generated from the Rust DTOs by ts-rs
// (./bindings, `make bindings`), so the UI and the shell cannot drift apart; only what
// has no Rust counterpart is written by hand below.

export type {
  Confidence,
  DateSource,
  DefaultCurrency,
  Duplicate,
  EmailHeaders,
  ExportSummary,
  ExportTarget,
  Facets,
  Fact,
  Failure,
  FileOutcome,
  Hit,
  ImportEvent,
  ImportSummary,
  IpcError,
  Kind,
  Money,
  OcrProgress,
  OcrState,
  Order,
  Origin,
  Problem,
  ProblemKind,
  Progress,
  RepairOutcome,
  SafeHtml,
  SaveKind,
  SavedSearch,
  Scope,
  SearchPage,
  SearchRequest,
  Source,
  TagCount,
  VaultInfo,
  VerifySummary,
  Voucher,
  VoucherSummary,
} from "./bindings";

/** A change to a voucher: an absent field is left alone, `null` clears it. */
export type { Edit } from "./bindings";

/**
 * The codes errors carry (`IpcError.code`): those of `vault_core::Error::code` plus the
 * shell's own and the UI's `ipc` (the call itself failed). Branch on the code, show the message.
 */
export type ErrorCode =
  | "not_a_vault"
  | "newer_schema"
  | "io"
  | "database"
  | "not_found"
  | "bad_file"
  | "bad_query"
  | "invalid"
  | "bad_bundle"
  | "no_data_dir"
  | "busy"
  | "internal"
  | "unsupported"
  | "no_viewer"
  | "ipc";
