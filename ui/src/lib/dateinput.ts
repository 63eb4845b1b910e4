// Typing a date: shown in the locale's own numeric order ("31.10.2026", "31/10/2026",
// "10/31/2026", "2026/10/31"), read back from that order or from ISO "2026-10-31".
// Dates travel as ISO "YYYY-MM-DD"; nothing here depends on the machine's time zone.

import { dateFormat, i18n, t } from "./i18n/index.svelte";

type Part = "day" | "month" | "year";

function numeric(locale: string): Intl.DateTimeFormat {
  return dateFormat({ year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }, locale);
}

/** The order of day, month and year in the locale's numeric dates. */
export function dateOrder(locale: string = i18n.locale): Part[] {
  return numeric(locale)
    .formatToParts(new Date(Date.UTC(2026, 9, 31)))
    .map((p) => p.type)
    .filter((t): t is Part => t === "day" || t === "month" || t === "year");
}

/** How to type a date here, in the locale's order: "DD/MM/YYYY", "TT.MM.JJJJ", "年/月/日". */
export function datePattern(locale: string = i18n.locale): string {
  const [d = "DD", m = "MM", y = "YYYY"] = t("date.parts").split(" ");
  return numeric(locale)
    .formatToParts(new Date(Date.UTC(2026, 9, 31)))
    .map((p) => (p.type === "day" ? d : p.type === "month" ? m : p.type === "year" ? y : p.value))
    .join("");
}

/** ISO "2026-10-31" in the locale's numeric form; "" for anything else. */
export function formatNumericDate(iso: string, locale: string = i18n.locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return "";
  return numeric(locale).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

function iso(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null; // 31 Feb
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A typed date as ISO "YYYY-MM-DD", or null when it is not one. Accepts ISO (2026-10-31)
 * and the locale's order with any separators ("31.10.2026", "31/10/26", "2026年10月31日");
 * a leading four-digit number is always the year (year, month, day).
 */
export function parseDateInput(text: string, locale: string = i18n.locale): string | null {
  const s = text.trim();
  if (!s) return null;
  const nums = s.split(/\D+/).filter(Boolean);
  if (nums.length !== 3 || nums.some((n) => n.length > 4)) return null;
  if (nums[0]!.length === 4 || nums[0]!.length === 3) {
    return iso(Number(nums[0]), Number(nums[1]), Number(nums[2]));
  }
  const order = dateOrder(locale);
  if (order.length !== 3) return null;
  const got: Partial<Record<Part, number>> = {};
  order.forEach((part, i) => {
    const raw = nums[i]!;
    let n = Number(raw);
    if (part === "year" && raw.length <= 2) n += 2000;
    got[part] = n;
  });
  if (got.year === undefined || got.month === undefined || got.day === undefined) return null;
  return iso(got.year, got.month, got.day);
}
