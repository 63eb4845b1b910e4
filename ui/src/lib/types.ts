// Shapes of the data that crosses IPC. They mirror the serde output of
// `vault_core::model` and the shell's DTOs in src-tauri/src/lib.rs; keep them in step.

/** Broad kind of a voucher (`vault_core::Kind`). */
export type Kind = "image" | "email" | "pdf" | "text" | "other";

/** Where `occurred_at` came from, best evidence first (`vault_core::DateSource`). */
export type DateSource =
  | "user"
  | "email_date"
  | "text"
  | "exif"
  | "pdf_created"
  | "file_mtime"
  | "added";

/** Money as integer minor units plus an ISO 4217 code. Never a float. */
export interface Money {
  minor: number;
  currency: string;
}

/** A voucher as listed (`vault_core::VoucherSummary`). */
export interface VoucherSummary {
  id: number;
  sha256: string;
  size: number;
  kind: Kind;
  media_type: string;
  original_name: string;
  title: string;
  added_at: string;
  /** RFC 3339. */
  occurred_at: string;
  occurred_source: DateSource;
  merchant: string | null;
  amount: Money | null;
  /** Formatted for people, e.g. "49.99 EUR". */
  amount_display: string | null;
  tags: string[];
  has_thumbnail: boolean;
  parent_id: number | null;
}

/** Where the open vault lives and how many vouchers it holds (command `vault_info`). */
export interface VaultInfo {
  dir: string;
  count: number;
}

/**
 * Every error crosses IPC as `{code, message}`. The codes of `vault_core::Error`
 * plus the shell's own (`internal`, `ipc`); branch on the code, show the message.
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
  | "internal"
  | "ipc";

export interface IpcError {
  code: ErrorCode | (string & {});
  message: string;
}
