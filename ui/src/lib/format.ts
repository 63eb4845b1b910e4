// Formatting for display, in the window's language and locale (i18n.locale): dates,
// numbers and amounts through Intl. Two kinds of time:
// - a payment date (occurred_at, an email's Date header) is shown as written in its own
//   offset (the date on the receipt), never shifted into the machine's time zone:
//   formatDate, formatDateTime;
// - an instant the vault recorded (added_at, a source's import time; UTC "…Z") is shown in
//   this machine's time zone, the day and hour it was for the person: formatLocalDate,
//   formatLocalShortDate, formatLocalDateTime.

import type { DateSource, Kind, VoucherSummary } from "./types";
import { dateFormat, i18n, langOf, numberFormat, t, validTag } from "./i18n/index.svelte";

type Parts = { y: number; m: number; d: number; hh?: number; mm?: number };

/** Year, month, day (and hour, minute) as written in an RFC 3339 timestamp. */
function parts(rfc3339: string): Parts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(rfc3339);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return { y, m: mo, d, hh: m[4] ? Number(m[4]) : undefined, mm: m[5] ? Number(m[5]) : undefined };
}

/**
 * An instant's wall-clock parts in this machine's time zone ("2026-12-03T20:00:00Z" is
 * 4 Dec 09:00 in Auckland, 3 Dec 12:00 in Los Angeles), or null when it is not a time.
 * Read through Date on every call, so a change of time zone shows at once.
 */
function localParts(instant: string): Parts | null {
  const written = parts(instant);
  // A bare date is no instant: nothing to shift.
  if (!written || written.hh === undefined) return written;
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return null;
  return { y: at.getFullYear(), m: at.getMonth() + 1, d: at.getDate(), hh: at.getHours(), mm: at.getMinutes() };
}

// Wall-clock parts are formatted as a UTC date holding them, so Intl shifts nothing.
function utc(p: Parts): Date {
  return new Date(Date.UTC(p.y, p.m - 1, p.d, p.hh ?? 0, p.mm ?? 0));
}

function dayMonthYear(p: Parts): string {
  return dateFormat({ day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(utc(p));
}

function dayMonthYearTime(p: Parts): string {
  return dateFormat({
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
  }).format(utc(p));
}

/**
 * A payment date as written in its own offset: "2026-10-03T10:00:00+02:00" -> "3 Oct 2026"
 * (en-GB), "3. Okt. 2026" (de), "2026年10月3日" (zh).
 */
export function formatDate(rfc3339: string): string {
  const p = parts(rfc3339);
  return p ? dayMonthYear(p) : rfc3339;
}

/** When the vault recorded something (added_at), on this machine's calendar: "4 Dec 2026". */
export function formatLocalDate(instant: string): string {
  const p = localParts(instant);
  return p ? dayMonthYear(p) : instant;
}

/** Like formatLocalDate, without the year when it is this year: "added 4 Dec". */
export function formatLocalShortDate(instant: string, now: Date = new Date()): string {
  const p = localParts(instant);
  if (!p) return instant;
  if (p.y !== now.getFullYear()) return dayMonthYear(p);
  return dateFormat({ day: "numeric", month: "short", timeZone: "UTC" }).format(utc(p));
}

/** When the vault recorded something, with the time, on this machine's clock: "4 Dec 2026, 09:00". */
export function formatLocalDateTime(instant: string): string {
  const p = localParts(instant);
  return p ? dayMonthYearTime(p) : instant;
}

/** A date known only from the file's mtime or the time it was added: no payment date. */
export function isUndated(source: DateSource): boolean {
  return source === "file_mtime" || source === "added";
}

export function dateSourceLabel(source: DateSource): string {
  return t(`source.${source}`);
}

export function kindLabel(kind: Kind): string {
  return ["image", "email", "pdf", "text", "other"].includes(kind) ? t(`kind.${kind}`) : kind;
}

/** What to call a voucher: its title, else the name of the file it came from, else "Voucher 12". */
export function displayTitle(v: VoucherSummary): string {
  // The id as a string: an id is a name, not a quantity ("Voucher 1234", not "1,234").
  return v.title.trim() || v.original_name || t("row.untitled", { id: String(v.id) });
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

/** Minor units as the decimal people type here: (450, "EUR") -> "4.50" (en), "4,50" (de). */
export function minorToLocalDecimal(minor: number, currency: string): string {
  const sep =
    numberFormat().formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  return minorToDecimal(minor, currency).replace(".", sep);
}

/**
 * Money for people in the current locale: (4999, "EUR") -> "€49.99" (en-GB), "49,99 €" (de).
 * Intl gets the exact decimal as a string, never a float, so no digit is lost.
 */
export function formatMoney(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const decimal = minorToDecimal(minor, currency);
  try {
    return numberFormat({
      style: "currency",
      currency: currency.toUpperCase(),
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    }).format(decimal as unknown as number);
  } catch {
    // Not a currency code Intl accepts: the plain decimal and the code.
    return `${decimal} ${currency}`;
  }
}

/** Bytes for people: 1536 -> "1.5 KB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${numberFormat().format(n)} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = v < 10 ? 1 : 0;
  const num = numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
  return `${num} ${units[i]}`;
}

/** "2026-10-03T10:00:00+02:00" -> "3 Oct 2026, 10:00", the time as written in its offset (an email's Date). */
export function formatDateTime(rfc3339: string): string {
  const p = parts(rfc3339);
  if (!p || p.hh === undefined) return formatDate(rfc3339);
  return dayMonthYearTime(p);
}

/**
 * A folder path that fits in `max` characters: whole trailing parts are kept and the
 * start is cut with "…" ("/home/ann/Documents/Receipt Vault" -> "…/Documents/Receipt Vault").
 */
export function shortPath(path: string, max: number): string {
  if (path.length <= max) return path;
  const sep = path.includes("\\") && !path.includes("/") ? "\\" : "/";
  const parts = path.split(sep);
  let tail = parts.pop() ?? "";
  while (parts.length) {
    const next = `${parts[parts.length - 1]}${sep}${tail}`;
    if (next.length + 2 > max) break;
    tail = next;
    parts.pop();
  }
  if (tail.length + 2 > max) return `…${tail.slice(tail.length - (max - 1))}`;
  return `…${sep}${tail}`;
}

/** The currency people around this locale pay in, as a default for a new amount. */
export function localCurrency(): string {
  // Only the system's own region says where the person pays: the locale the app falls
  // back to (en-GB when the system reports none Intl accepts, e.g. "C") says nothing.
  const system = validTag(i18n.system) ?? "";
  const ownRegion = langOf(system) === i18n.lang ? system.split("-")[1] : undefined;
  const region = (ownRegion ?? "").toUpperCase();
  const BY_REGION: Record<string, string> = {
    US: "USD", GB: "GBP", CH: "CHF", CN: "CNY", CA: "CAD", AU: "AUD", NZ: "NZD", IE: "EUR", IN: "INR",
    SG: "SGD", HK: "HKD", TW: "TWD", MY: "MYR", JP: "JPY",
  };
  return BY_REGION[region] ?? (i18n.lang === "zh" ? "CNY" : "EUR");
}

/** The last part of a path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}
