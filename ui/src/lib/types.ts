// Shapes of the data that crosses IPC. They mirror the serde output of `vault_core`
// and the shell's DTOs (see /work/plan/CONTRACT.md). When the generated files in
// ./bindings exist, these hand-written types are replaced by re-exports of them.

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

/** Who set a value. */
export type Origin = "extracted" | "user";

/** State of text recognition for a voucher. */
export type OcrState = "none" | "pending" | "done" | "failed" | "unavailable";

/** Money as integer minor units plus an ISO 4217 code. Never a float. */
export interface Money {
  minor: number;
  currency: string;
}

export interface Fact<T> {
  value: T;
  origin: Origin;
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
  needs_review: boolean;
  ocr_state: OcrState;
  deleted_at: string | null;
}

/** A search result row. */
export interface Hit extends VoucherSummary {
  snippet: string | null;
}

export interface Confidence {
  merchant: number | null;
  amount: number | null;
  date: number | null;
  order_ref: number | null;
  payment_method: number | null;
}

export interface Source {
  path: string;
  added_at: string;
}

export interface EmailHeaders {
  from: string;
  to: string;
  subject: string;
  date: string | null;
  message_id: string | null;
}

/** Everything known about one voucher (`vault_core::Voucher`). */
export interface Voucher extends VoucherSummary {
  merchant_fact: Fact<string> | null;
  amount_fact: Fact<Money> | null;
  payment_method: Fact<string> | null;
  order_ref: Fact<string> | null;
  notes: string;
  text: string;
  width: number | null;
  height: number | null;
  thumb_sha256: string | null;
  sources: Source[];
  email: EmailHeaders | null;
  attachments: number[];
  warnings: string[];
  confidence: Confidence;
  tax: Money | null;
  reviewed_at: string | null;
  ocr_error: string | null;
  ocr_text: string;
  in_emails: number[];
}

/** A change to a voucher. Absent fields are left alone; "" clears a text field. */
export interface Edit {
  title?: string;
  merchant?: string | null;
  amount?: Money | null;
  payment_method?: string | null;
  order_ref?: string | null;
  /** RFC 3339 or YYYY-MM-DD. */
  occurred_at?: string;
  notes?: string;
  tags?: string[];
  add_tags?: string[];
  remove_tags?: string[];
}

export type Scope =
  | { type: "all" }
  | { type: "kind"; kind: Kind }
  | { type: "needs_review" }
  | { type: "trash" }
  | { type: "tag"; tag: string };

export type Order = "newest" | "oldest" | "relevance" | "amount_desc" | "amount_asc" | "merchant";

export interface SearchRequest {
  query: string;
  scope: Scope;
  order: Order;
  offset: number;
  limit: number;
}

export interface SearchPage {
  hits: Hit[];
  total: number;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface SavedSearch {
  id: number;
  name: string;
  query: string;
  scope: Scope;
  created_at: string;
}

export interface Facets {
  all: number;
  images: number;
  emails: number;
  pdfs: number;
  other: number;
  needs_review: number;
  trash: number;
  tags: TagCount[];
  saved: SavedSearch[];
}

/** Where the open vault lives, how big it is, whether OCR works (command `vault_info`). */
export interface VaultInfo {
  dir: string;
  count: number;
  size_bytes?: number | null;
  schema_version?: number | null;
  ocr_available?: boolean;
  ocr_reason?: string | null;
}

export interface EmailHtml {
  html: string;
  blocked_remote: number;
}

export type ImportOutcome = "added" | "duplicate" | "failed";

export type ImportEvent =
  | { type: "started"; total: number }
  | { type: "progress"; done: number; total: number; path: string }
  | {
      type: "file";
      path: string;
      outcome: ImportOutcome;
      id?: number | null;
      existingId?: number | null;
      error?: string | null;
    }
  | { type: "finished"; summary: ImportSummary };

export interface ImportSummary {
  added: number;
  duplicates: { path: string; id: number }[];
  failed: { path: string; code: string; message: string }[];
}

/** What to export: chosen vouchers, or everything a search finds. */
export type ExportTarget = { ids: number[] } | { query: string; scope: Scope };

export interface ExportEvent {
  done: number;
  total: number;
}

export interface ExportSummary {
  path: string;
  vouchers: number;
  bytes: number;
}

export type ProblemKind = "missing" | "corrupted" | "orphan" | "derived" | "database" | "stray";

export interface Problem {
  kind: ProblemKind;
  voucher_id: number | null;
  sha256: string | null;
  detail: string;
}

export interface VerifyReport {
  checked: number;
  bytes: number;
  problems: Problem[];
}

export interface VerifyEvent {
  done: number;
  total: number;
}

/**
 * Every error crosses IPC as `{code, message}`. The codes of `vault_core::Error`
 * plus the shell's own (`internal`, `busy`, `ipc`); branch on the code, show the message.
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
  | "ipc";

export interface IpcError {
  code: ErrorCode | (string & {});
  message: string;
}
