import { afterEach, describe, expect, it } from "vitest";
import { en } from "./en";
import { i18n, LANG_NAMES, langOf, numberFormat, STORAGE_KEY, t, TABLES, tn, validTag, type Lang } from "./index.svelte";
import {
  formatBytes,
  formatDate,
  formatDateTime,
  formatMoney,
  localCurrency,
  formatLocalShortDate,
  minorToLocalDecimal,
  parseAmount,
  shortPath,
} from "../format";
import { dateOrder, formatNumericDate, parseDateInput } from "../dateinput";

afterEach(() => {
  i18n.system = "en-GB";
  i18n.set("system");
});

const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  it("every language has every key, non-empty, with the same parameters", () => {
    const keys = Object.keys(en).sort();
    const problems: string[] = [];
    for (const [lang, table] of Object.entries(TABLES)) {
      const have = Object.keys(table).sort();
      for (const k of keys) {
        const v = (table as Record<string, unknown>)[k];
        if (typeof v !== "string" || !v.trim()) problems.push(`${lang}: ${k} is missing or empty`);
        else if (params(v).join() !== params(en[k as keyof typeof en]).join())
          problems.push(`${lang}: ${k} has parameters {${params(v)}} instead of {${params(en[k as keyof typeof en])}}`);
      }
      for (const k of have) if (!(k in en)) problems.push(`${lang}: ${k} is not an English key`);
    }
    expect(problems).toEqual([]);
  });

  it("German and Chinese are translations, not copies of the English", () => {
    // Texts that may stay the same: names, codes, examples, symbols.
    const SAME = /^(app\.name|search\.shortcut|chip\.amountExample|kind\.pdf|nav\.pdfs|email\.html|image\.actual|about\.version|help\.q\.words|key\.|toolbar\.help|fact\.auto|fact\.autoPct|settings\.system|nav\.tags|col\.tags|tags\.label|chip\.tag$|kind\.text|detail\.text|email\.text|nav\.tags|import\.progress|toolbar\.selectedOf|prov\.sha256)/;
    for (const lang of ["de", "zh"] as Lang[]) {
      const copies = Object.entries(en)
        .filter(([k, v]) => !SAME.test(k) && TABLES[lang][k as keyof typeof en] === v)
        .map(([k]) => k);
      expect(copies, `${lang} keys still in English`).toEqual([]);
    }
  });

  it("picks the language from the system locale, and remembers a choice", () => {
    expect(langOf("de-CH")).toBe("de");
    expect(langOf("zh-Hans-CN")).toBe("zh");
    expect(langOf("fr-FR")).toBe("en");
    i18n.system = "de-AT";
    expect(i18n.lang).toBe("de");
    expect(i18n.locale).toBe("de-AT");
    expect(t("nav.trash")).toBe("Papierkorb");
    i18n.set("zh");
    expect(localStorage.getItem(STORAGE_KEY)).toBe("zh");
    expect(i18n.lang).toBe("zh");
    // A language other than the system's is formatted in its own default region.
    expect(i18n.locale).toBe("zh-CN");
    expect(t("nav.trash")).toBe("回收站");
    i18n.set("system");
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(Object.keys(LANG_NAMES)).toEqual(["en", "de", "zh"]);
  });

  it("a system without a locale (LANG=C reports \"C\") gets English, not a RangeError", () => {
    expect(validTag("C")).toBeNull();
    expect(validTag("POSIX")).toBeNull();
    expect(validTag("")).toBeNull();
    expect(validTag("de-at")).toBe("de-AT");
    i18n.system = "C";
    expect(i18n.lang).toBe("en");
    expect(i18n.locale).toBe("en-GB");
    expect(() => numberFormat().format(1)).not.toThrow();
    expect(tn("count.vouchers", 2)).toBe("2 vouchers");
    // The fallback's region (GB) is no hint of the person's currency.
    expect(localCurrency()).toBe("EUR");
    i18n.system = "";
    expect(i18n.locale).toBe("en-GB");
    expect(localCurrency()).toBe("EUR");
    i18n.system = "en-GB";
    expect(localCurrency()).toBe("GBP");
    i18n.system = "de-CH";
    i18n.set("de");
    expect(localCurrency()).toBe("CHF");
    i18n.set("system");
    i18n.system = "en-GB";
  });

  it("plural forms follow the language's rules, numbers its digits", () => {
    expect(tn("count.vouchers", 1)).toBe("1 voucher");
    expect(tn("count.vouchers", 12345)).toBe("12,345 vouchers");
    i18n.set("de");
    i18n.system = "de-DE";
    expect(tn("count.vouchers", 1)).toBe("1 Beleg");
    expect(tn("count.vouchers", 12345)).toBe("12.345 Belege");
    i18n.set("zh");
    expect(tn("count.vouchers", 1)).toBe("1 张票据");
  });
});

describe("dates, numbers and amounts by locale", () => {
  it("writes a receipt's date in its own offset, in the locale's way", () => {
    expect(formatDate("2026-10-03T23:30:00-05:00")).toBe("3 Oct 2026");
    i18n.system = "en-US";
    expect(formatDate("2026-10-03T23:30:00-05:00")).toBe("Oct 3, 2026");
    i18n.system = "de-DE";
    expect(formatDate("2026-10-03T10:00:00+02:00")).toBe("3. Okt. 2026");
    expect(formatDateTime("2026-10-03T10:05:00+02:00")).toBe("3. Okt. 2026, 10:05");
    i18n.system = "zh-CN";
    expect(formatDate("2026-10-03T10:00:00+08:00")).toBe("2026年10月3日");
    i18n.system = "en-GB";
    expect(formatLocalShortDate("2026-12-04T09:00:00+00:00", new Date(2026, 11, 5))).toBe("4 Dec");
    expect(formatLocalShortDate("2025-12-04T09:00:00+00:00", new Date(2026, 11, 5))).toBe("4 Dec 2025");
  });

  it("formats amounts from minor units exactly, with the currency's digits", () => {
    expect(formatMoney(4999, "EUR")).toBe("€49.99");
    expect(formatMoney(500, "JPY")).toBe("JP¥500");
    expect(formatMoney(1005, "KWD")).toBe("KWD\u00a01.005");
    // Beyond a double's 15-16 digits nothing is rounded away.
    expect(formatMoney(9007199254740991, "EUR")).toBe("€90,071,992,547,409.91");
    expect(formatMoney(-250, "USD")).toBe("-US$2.50");
    expect(formatMoney(100, "XYZ")).toBe("XYZ\u00a01.00");
    expect(minorToLocalDecimal(450, "EUR")).toBe("4.50");
    i18n.system = "de-DE";
    expect(formatMoney(123456, "EUR")).toBe("1.234,56\u00a0€");
    // The amount field shows the decimal people type here, and reads it back.
    expect(minorToLocalDecimal(123456, "EUR")).toBe("1234,56");
    expect(parseAmount(minorToLocalDecimal(123456, "EUR"), "EUR")).toBe(123456);
    expect(minorToLocalDecimal(1005, "KWD")).toBe("1,005");
    expect(parseAmount("1,005", "KWD")).toBe(1005);
    expect(formatBytes(1536)).toBe("1,5 KB");
    i18n.system = "zh-CN";
    expect(formatMoney(3650, "CNY")).toBe("¥36.50");
  });

  it("reads typed dates in the locale's order and as ISO, refusing the rest", () => {
    expect(dateOrder("en-US")).toEqual(["month", "day", "year"]);
    expect(dateOrder("de-DE")).toEqual(["day", "month", "year"]);
    expect(dateOrder("zh-CN")).toEqual(["year", "month", "day"]);
    expect(formatNumericDate("2026-10-31", "de-DE")).toBe("31.10.2026");
    expect(formatNumericDate("2026-10-31", "en-GB")).toBe("31/10/2026");
    expect(formatNumericDate("2026-10-31", "en-US")).toBe("10/31/2026");
    expect(formatNumericDate("2026-10-31", "zh-CN")).toBe("2026/10/31");
    for (const locale of ["de-DE", "en-GB", "en-US", "zh-CN"]) {
      expect(parseDateInput("2026-10-31", locale)).toBe("2026-10-31");
      expect(parseDateInput(formatNumericDate("2026-10-31", locale), locale)).toBe("2026-10-31");
    }
    expect(parseDateInput("3.4.26", "de-DE")).toBe("2026-04-03");
    expect(parseDateInput("4/3/2026", "en-US")).toBe("2026-04-03");
    expect(parseDateInput("4/3/2026", "en-GB")).toBe("2026-03-04");
    expect(parseDateInput("2026年10月31日", "zh-CN")).toBe("2026-10-31");
    expect(parseDateInput("31.02.2026", "de-DE")).toBeNull();
    expect(parseDateInput("13/31/2026", "en-GB")).toBeNull();
    expect(parseDateInput("yesterday", "en-GB")).toBeNull();
    expect(parseDateInput("2026-10", "en-GB")).toBeNull();
  });

  it("cuts a long vault path at its start, keeping whole folder names", () => {
    expect(shortPath("/home/ann/Receipt Vault", 32)).toBe("/home/ann/Receipt Vault");
    expect(shortPath("/home/ann/Documents/Private/Receipt Vault", 32)).toBe("…/Private/Receipt Vault");
    expect(shortPath("/home/ann/Documents/Private/Receipt Vault", 20)).toBe("…/Receipt Vault");
    const cut = shortPath("/a/AVeryLongFolderNameThatDoesNotFit", 12);
    expect(cut).toHaveLength(12);
    expect(cut.startsWith("…") && cut.endsWith("DoesNotFit")).toBe(true);
  });
});

// ---- no hard-coded English in the components' markup ----------------------------------

const SOURCES = import.meta.glob("../../**/*.svelte", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

/** Drop `{…}` expressions (strings inside them included), keeping a marker. */
function withoutExpressions(src: string): string {
  let out = "";
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (depth === 0) {
      if (c === "{") depth = 1;
      else out += c;
      continue;
    }
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) out += "\u0000";
  }
  return out;
}

/** Words a person would read that are written into a component instead of taken from i18n. */
export function hardCodedText(src: string): string[] {
  const markup = withoutExpressions(
    src
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<style[\s\S]*?<\/style>/g, "")
      .replace(/<!--[\s\S]*?-->/g, ""),
  );
  const found: string[] = [];
  for (const tag of markup.match(/<[^>]*>/g) ?? []) {
    for (const m of tag.matchAll(/\s(title|aria-label|placeholder|alt|label)="([^"]*)"/g)) {
      const v = m[2]!.replace(/\u0000/g, "").trim();
      if (/[A-Za-z]{2,}/.test(v) && !/^[A-Z]{3}$/.test(v)) found.push(`${m[1]}="${v}"`);
    }
  }
  const text = markup.replace(/<[^>]*>/g, " ").replace(/\u0000/g, " ");
  for (const w of text.match(/[A-Za-z][A-Za-z'’]+/g) ?? []) found.push(w);
  return found;
}

describe("components", () => {
  it("the scanner finds text and labels written into markup", () => {
    expect(hardCodedText(`<p>Hello {name}</p><button title="Close">{t("x")}</button>`)).toEqual([
      `title="Close"`,
      "Hello",
    ]);
    expect(hardCodedText(`<p>{t("a", { b: "Not this" })}</p><input placeholder="EUR" />`)).toEqual([]);
  });

  it("write no English into their markup: every word a person reads comes from i18n", () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(25);
    const offences = Object.entries(SOURCES)
      .map(([file, src]) => [file, hardCodedText(src)] as const)
      .filter(([, words]) => words.length)
      .map(([file, words]) => `${file}: ${words.join(", ")}`);
    expect(offences).toEqual([]);
  });
});
