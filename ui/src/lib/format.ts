// Formatting for display. Deterministic (no locale or time-zone lookups) so the
// window shows the same text on every machine and in tests.

import type { DateSource, Kind, VoucherSummary } from "./types";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * "2026-10-03T10:00:00+02:00" -> "3 Oct 2026": the calendar date as written in the
 * timestamp's own offset, which is the date on the receipt.
 */
export function formatDate(rfc3339: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(rfc3339);
  if (!m) return rfc3339;
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) return rfc3339;
  return `${Number(m[3])} ${month} ${m[1]}`;
}

const DATE_SOURCES: Record<DateSource, string> = {
  user: "set by you",
  email_date: "from the email's Date header",
  text: "found in the text",
  exif: "from the photo's EXIF data",
  pdf_created: "from the PDF's creation date",
  file_mtime: "from the file's modification time",
  added: "when it was added",
};

export function dateSourceLabel(source: DateSource): string {
  return DATE_SOURCES[source] ?? source;
}

const KINDS: Record<Kind, string> = {
  image: "Image",
  email: "Email",
  pdf: "PDF",
  text: "Text",
  other: "File",
};

export function kindLabel(kind: Kind): string {
  return KINDS[kind] ?? kind;
}

/** What to call a voucher: its title, else the name of the file it came from. */
export function displayTitle(v: VoucherSummary): string {
  return v.title.trim() || v.original_name || `Voucher ${v.id}`;
}

export function pluralize(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
