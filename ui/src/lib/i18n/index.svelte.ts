// The window's language: English, Deutsch or 简体中文, chosen from the system locale
// (navigator.language) unless the person picked one in Settings (kept in localStorage).
// `t` and `tn` read the current language, so whatever renders them follows a change.
// `i18n.locale` is the BCP 47 tag Intl formats dates, numbers and amounts with.

import { en, type Key, type Table } from "./en";
import { de } from "./de";
import { zh } from "./zh";

export type Lang = "en" | "de" | "zh";
export type Choice = Lang | "system";

export const TABLES: Record<Lang, Table> = { en, de, zh };
/** Each language's own name, as people look for it in a list. */
export const LANG_NAMES: Record<Lang, string> = { en: "English", de: "Deutsch", zh: "简体中文" };
export const STORAGE_KEY = "receipt-vault.language";

/** Intl locale for a language when the system's own locale is of another language. */
const DEFAULT_LOCALE: Record<Lang, string> = { en: "en-GB", de: "de-DE", zh: "zh-CN" };

/** The language a BCP 47 tag asks for ("de-CH" → de, "zh-Hans-CN" → zh); English otherwise. */
export function langOf(tag: string | null | undefined): Lang {
  const t = (tag ?? "").toLowerCase();
  if (t.startsWith("de")) return "de";
  if (t.startsWith("zh")) return "zh";
  return "en";
}

/**
 * `tag` as a locale Intl accepts, or null. A desktop started without a locale (LANG=C, as
 * in CI or a bare session) reports "C", which Intl rejects with a RangeError.
 */
export function validTag(tag: string | null | undefined): string | null {
  if (!tag) return null;
  try {
    const canonical = Intl.getCanonicalLocales(tag)[0];
    return canonical && !/^(c|posix)$/i.test(canonical) ? canonical : null;
  } catch {
    return null;
  }
}

/** The system's locale tag, or "" when it reports none Intl accepts. */
function systemTag(): string {
  if (typeof navigator === "undefined") return "";
  const tags = [navigator.language, ...(navigator.languages ?? [])];
  for (const tag of tags) {
    const valid = validTag(tag);
    if (valid) return valid;
  }
  return "";
}

function stored(): Choice {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === "en" || v === "de" || v === "zh" ? v : "system";
  } catch {
    return "system";
  }
}

class I18n {
  /** What the person chose (Settings), or "system". */
  choice: Choice = $state(stored());
  /** The system's locale tag (navigator.language); settable for tests. */
  system: string = $state(systemTag());

  get lang(): Lang {
    return this.choice === "system" ? langOf(this.system) : this.choice;
  }

  /** The tag for Intl: the system's own when it is of this language (keeps its region). */
  get locale(): string {
    const system = validTag(this.system);
    return system && langOf(system) === this.lang ? system : DEFAULT_LOCALE[this.lang];
  }

  /** Choose a language (remembered) or "system". */
  set(choice: Choice): void {
    this.choice = choice;
    try {
      if (choice === "system") globalThis.localStorage?.removeItem(STORAGE_KEY);
      else globalThis.localStorage?.setItem(STORAGE_KEY, choice);
    } catch {
      // No storage (private mode): the choice holds for this session.
    }
  }
}

export const i18n = new I18n();

// Intl objects are costly to make and rows format on every scroll: one per locale and options.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** An Intl.NumberFormat for the locale (current by default), made once. */
export function numberFormat(options: Intl.NumberFormatOptions = {}, locale: string = i18n.locale): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

/** An Intl.DateTimeFormat for the locale (current by default), made once. */
export function dateFormat(options: Intl.DateTimeFormatOptions, locale: string = i18n.locale): Intl.DateTimeFormat {
  return cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

export type Params = Record<string, string | number>;

function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === "number" ? formatNumber(v) : v;
  });
}

/** A number in the current locale: 12345 → "12,345" / "12.345". */
export function formatNumber(n: number): string {
  return numberFormat().format(n);
}

/** The text for `key` in the current language, parameters filled in (numbers localised). */
export function t(key: Key, params?: Params): string {
  const text = TABLES[i18n.lang][key] || en[key];
  return fill(text, params);
}

/** Keys that have plural forms, without the `.one` / `.other` ending. */
export type PluralKey = { [K in Key]: K extends `${infer B}.other` ? B : never }[Key];

/** The plural form for `n` (as `{n}`), by the language's plural rules. */
export function tn(key: PluralKey, n: number, params?: Params): string {
  const rule = cached(`p|${i18n.locale}`, () => new Intl.PluralRules(i18n.locale)).select(n);
  const table = TABLES[i18n.lang] as Record<string, string>;
  const text = table[`${key}.${rule}`] || table[`${key}.other`] || (en as Record<string, string>)[`${key}.other`] || key;
  return fill(text, { n, ...params });
}

export type { Key };
