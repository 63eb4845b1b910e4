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

/** Digits after the decimal point for an ISO 4217 currency (most have 2). */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function currencyExponent(code: string): number {
  return EXPONENTS[code.toUpperCase()] ?? 2;
}

/** Minor units as a plain decimal string: (4999, "EUR") -> "49.99", (500, "JPY") -> "500". */
export function minorToDecimal(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const neg = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exp + 1, "0");
  const whole = exp ? digits.slice(0, -exp) : digits;
  const frac = exp ? digits.slice(-exp) : "";
  return `${neg ? "-" : ""}${whole}${frac ? "." + frac : ""}`;
}

/**
 * A typed amount in minor units, or null when it is not an amount for this currency.
 * Accepts "49.99", "49,99", "1,234.50", "1.234,50", "1 234,50" and "49".
 */
export function parseAmount(text: string, currency: string): number | null {
  let s = text.trim().replace(/[\s\u00a0']/g, "");
  if (!s) return null;
  const neg = s.startsWith("-");
  if (neg) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s)) return null;
  const lastSep = Math.max(s.lastIndexOf("."), s.lastIndexOf(","));
  let whole = s;
  let frac = "";
  const exp = currencyExponent(currency);
  if (lastSep >= 0) {
    const tail = s.slice(lastSep + 1);
    // A separator followed by exactly three digits is a thousands separator unless the
    // currency has three decimals or it is the only separator with a different one before.
    const head = s.slice(0, lastSep).replace(/[.,]/g, "");
    const isDecimal = tail.length !== 3 || exp === 3 || /^0*$/.test(head);
    if (isDecimal) {
      whole = s.slice(0, lastSep);
      frac = tail;
    }
  }
  whole = whole.replace(/[.,]/g, "");
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(frac) || (whole === "" && frac === "")) return null;
  if (frac.length > exp) return null;
  const minor = Number(whole || "0") * 10 ** exp + Number(frac.padEnd(exp, "0") || "0");
  if (!Number.isSafeInteger(minor)) return null;
  return neg ? -minor : minor;
}

/** Money for people: (4999, "EUR") -> "49.99 EUR". */
export function formatMoney(minor: number, currency: string): string {
  return `${minorToDecimal(minor, currency)} ${currency}`;
}

/** Bytes for people: 1536 -> "1.5 KB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "2026-10-03T10:00:00+02:00" -> "3 Oct 2026, 10:00". */
export function formatDateTime(rfc3339: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(rfc3339);
  if (!m) return formatDate(rfc3339);
  return `${formatDate(rfc3339)}, ${m[4]}:${m[5]}`;
}

/** The last part of a path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}
