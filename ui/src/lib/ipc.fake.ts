// In-memory twin of ipc.ts for vitest: the same Backend, backed by a small fake vault
// that implements every command (search with the query language's filters and its
// bad_query errors, paging, facets, edits, trash, saved searches, import with channel
// events, export, verify, switching vaults, the default currency). No Tauri.

import type { Backend, Unlisten } from "./backend";
import { currencyExponent, isUndated, minorToDecimal } from "./format";
import type {
  DefaultCurrency,
  Edit,
  Facets,
  Hit,
  ImportEvent,
  ImportSummary,
  IpcError,
  Kind,
  OcrProgress,
  Order,
  SafeHtml,
  SavedSearch,
  Scope,
  SearchRequest,
  VerifySummary,
  Voucher,
  VoucherSummary,
} from "./types";

/** The core's own "49.99 EUR" (amount_display), which the window no longer shows as is. */
function display(minor: number, currency: string): string {
  return `${minorToDecimal(minor, currency)} ${currency}`;
}

/** A 1x1 transparent PNG, enough for an <img> to have a source. */
export const FAKE_THUMBNAIL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

export interface FakeOptions {
  dir?: string;
  vouchers?: Voucher[];
  /** Besides `vouchers`, this many generated vouchers (ids from 1_000_000), never all built at once. */
  bulk?: number;
  /** When set, every call rejects with this error (as a vault that failed to open does). */
  error?: IpcError;
  /** Sanitized email bodies by voucher id. */
  emailHtml?: Record<number, SafeHtml>;
  /** Paths that fail to import, with the reason. */
  failPaths?: Record<string, { code: string; message: string }>;
  /** Paths that are kept but whose content cannot be read (outcome `unreadable`). */
  unreadablePaths?: Record<string, { code: string; message: string }>;
  /** Voucher ids whose originals verify as corrupted. */
  corrupt?: number[];
  /** Voucher ids whose originals verify as missing. */
  missing?: number[];
  /** Of the corrupt or missing ones, those a source can repair. */
  repairable?: number[];
  /** Originals an export writes, when it differs from the vouchers (attachments). */
  exportFiles?: number;
  /** Vault folders that open_vault accepts besides the current one. */
  vaults?: string[];
  savedSearches?: SavedSearch[];
  ocrAvailable?: boolean;
  /** What the pickers return. */
  pick?: { files?: string[]; folder?: string | null; save?: string | null };
  /** Milliseconds each search takes (to test debouncing and stale answers). */
  searchDelay?: number;
  /** The system locale's currency (default EUR; null: the locale names none). */
  localeCurrency?: string | null;
  /** A default currency already chosen for the vault. */
  defaultCurrency?: string;
}

export interface FakeCall {
  cmd: string;
  args: unknown;
}

export interface FakeBackend extends Backend {
  /** Commands called so far, e.g. `["vault_info", "search"]`. */
  calls: string[];
  /** Commands with their arguments. */
  log: FakeCall[];
  /** The vouchers held (not the bulk ones). */
  vouchers: Voucher[];
  /** Pretend background work changed the vault. */
  emitVaultChanged(): void;
  /** Pretend files were dropped on the window. */
  drop(paths: string[]): void;
  /** Make the next import stop after `started` until `release()` is called. */
  holdImport(): { release: () => void };
  /** Pretend text recognition reported progress. */
  emitOcrProgress(p: OcrProgress): void;
}

const BULK_BASE = 1_000_000;
const MERCHANTS = ["Amazon", "Lidl", "Deutsche Bahn", "IKEA", "Apple", "Rewe", "Shell", "Zalando"];

function bulkVoucher(i: number): Voucher {
  const id = BULK_BASE + i;
  const day = String((i % 28) + 1).padStart(2, "0");
  const month = String(12 - (Math.floor(i / 28) % 12)).padStart(2, "0");
  const year = 2026 - Math.floor(i / 336);
  const minor = 100 + ((i * 7919) % 50000);
  return voucher({
    id,
    merchant: MERCHANTS[i % MERCHANTS.length] ?? null,
    amount: { minor, currency: "EUR" },
    amount_display: display(minor, "EUR"),
    title: `Receipt ${i + 1}`,
    original_name: `receipt-${i + 1}.png`,
    occurred_at: `${year}-${month}-${day}T12:00:00+00:00`,
  });
}

/** A voucher with plausible defaults; override what the test cares about. */
let nextId = 1;
export function voucher(over: Partial<Voucher> = {}): Voucher {
  const id = over.id ?? nextId++;
  const base: Voucher = {
    id,
    sha256: id.toString(16).padStart(64, "0"),
    size: 1234,
    kind: "image",
    media_type: "image/png",
    original_name: `receipt-${id}.png`,
    title: "",
    added_at: "2026-10-05T09:00:00+00:00",
    occurred_at: "2026-10-03T10:00:00+00:00",
    occurred_source: "text",
    merchant: null,
    amount: null,
    amount_display: null,
    tags: [],
    has_thumbnail: false,
    parent_id: null,
    needs_review: false,
    ocr_state: "none",
    deleted_at: null,
    merchant_fact: null,
    amount_fact: null,
    payment_method: null,
    order_ref: null,
    notes: "",
    text: "",
    width: null,
    height: null,
    thumb_sha256: null,
    sources: [{ path: `/home/test/Downloads/receipt-${id}.png`, added_at: "2026-10-05T09:00:00+00:00" }],
    email: null,
    attachments: [],
    warnings: [],
    confidence: { merchant: null, amount: null, date: null, order_ref: null, payment_method: null },
    tax: null,
    reviewed_at: null,
    ocr_error: null,
    ocr_text: "",
    in_emails: [],
  };
  const v = { ...base, ...over };
  if (over.merchant !== undefined && over.merchant_fact === undefined && over.merchant !== null) {
    v.merchant_fact = { value: over.merchant, origin: "extracted" };
  }
  if (over.amount !== undefined && over.amount_fact === undefined && over.amount !== null) {
    v.amount_fact = { value: over.amount, origin: "extracted" };
    v.amount_display ??= display(over.amount.minor, over.amount.currency);
  }
  return v;
}

// ---- the query language, as much as the fake needs ---------------------------------

interface Parsed {
  words: string[];
  test: ((v: Voucher) => boolean)[];
  review: boolean;
  trash: boolean;
}

const bad = (message: string): IpcError => ({ code: "bad_query", message: `bad query: ${message}` });

function tokens(q: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of q) {
    if (ch === '"') {
      quoted = !quoted;
      cur += ch;
    } else if (!quoted && /\s/.test(ch)) {
      if (cur) out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (quoted) throw bad("a quote is not closed");
  if (cur) out.push(cur);
  return out;
}

function dateBound(key: string, value: string): [string, string] {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value);
  if (!m) throw bad(`${key}:${value} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY`);
  const [, y, mo, d] = m;
  if (d) {
    const next = new Date(Date.UTC(+y, +mo - 1, +d + 1)).toISOString().slice(0, 10);
    return [`${y}-${mo}-${d}`, next];
  }
  if (mo) {
    const next = new Date(Date.UTC(+y, +mo, 1)).toISOString().slice(0, 10);
    return [`${y}-${mo}-01`, next];
  }
  return [`${y}-01-01`, `${+y + 1}-01-01`];
}

function amountTest(raw: string): (v: Voucher) => boolean {
  const err = () =>
    bad(`amount:${raw} is not an amount; use e.g. amount:49.99, amount:>=12.50 or amount:10..20`);
  // A currency code before or after the number (amount:>=50EUR, amount:EUR50) picks one currency.
  const cur = /[A-Za-z]{3}$/.exec(raw)?.[0] ?? /^(?:>=|<=|>|<|=)?([A-Za-z]{3})/.exec(raw)?.[1] ?? null;
  const value = cur ? raw.replace(cur, "") : raw;
  const inner = amountValue(value, err);
  return cur ? (v) => v.amount?.currency === cur.toUpperCase() && inner(v) : inner;
}

function amountValue(value: string, err: () => IpcError): (v: Voucher) => boolean {
  const num = (s: string) => {
    if (!/^\d+(\.\d{1,4})?$/.test(s)) throw err();
    return Number(s);
  };
  const major = (v: Voucher) =>
    v.amount ? v.amount.minor / 10 ** currencyExponent(v.amount.currency) : null;
  if (value.includes("..")) {
    const [lo, hi] = value.split("..");
    if (!lo && !hi) throw err();
    const l = lo ? num(lo) : -Infinity;
    const h = hi ? num(hi) : Infinity;
    return (v) => {
      const a = major(v);
      return a !== null && a >= l && a <= h;
    };
  }
  const m = /^(>=|<=|>|<|=)?(.*)$/.exec(value);
  const op = m?.[1] ?? "=";
  const n = num(m?.[2] ?? "");
  return (v) => {
    const a = major(v);
    if (a === null) return false;
    switch (op) {
      case ">=":
        return a >= n;
      case "<=":
        return a <= n;
      case ">":
        return a > n;
      case "<":
        return a < n;
      default:
        return Math.abs(a - n) < 1e-9;
    }
  };
}

export function parseFakeQuery(q: string): Parsed {
  const p: Parsed = { words: [], test: [], review: false, trash: false };
  for (const t of tokens(q)) {
    const i = t.indexOf(":");
    const key = i > 0 ? t.slice(0, i) : "";
    if (key && /^[a-z]+$/i.test(key)) {
      const value = t.slice(i + 1).replace(/^"|"$/g, "");
      if (!value) throw bad(`${key}: needs a value`);
      const v = value.toLowerCase();
      switch (key.toLowerCase()) {
        case "merchant":
        case "m":
          p.test.push((x) => (x.merchant ?? "").toLowerCase().includes(v));
          break;
        case "tag":
        case "t":
          p.test.push((x) => x.tags.includes(v));
          break;
        case "kind":
        case "type": {
          const kinds = ["image", "email", "pdf", "text", "other"];
          const k = v.replace(/s$/, "");
          if (!kinds.includes(k))
            throw bad(`kind:${value} is not a kind; use image, email, pdf, text or other`);
          p.test.push((x) => x.kind === k);
          break;
        }
        case "currency":
          if (!/^[a-z]{3}$/.test(v))
            throw bad(`currency:${value} is not an ISO 4217 code such as EUR or USD`);
          p.test.push((x) => x.amount?.currency.toLowerCase() === v);
          break;
        case "after":
        case "from":
        case "since": {
          const [start] = dateBound(key, value);
          p.test.push((x) => !isUndated(x.occurred_source) && x.occurred_at.slice(0, 10) >= start);
          break;
        }
        case "before":
        case "until": {
          const [start] = dateBound(key, value);
          p.test.push((x) => !isUndated(x.occurred_source) && x.occurred_at.slice(0, 10) < start);
          break;
        }
        case "date":
        case "on": {
          const [start, end] = dateBound(key, value);
          p.test.push((x) => {
            if (isUndated(x.occurred_source)) return false;
            const d = x.occurred_at.slice(0, 10);
            return d >= start && d < end;
          });
          break;
        }
        case "amount":
        case "total":
          p.test.push(amountTest(value));
          break;
        case "is":
        case "in":
          if (["review", "unreviewed"].includes(v)) p.review = true;
          else if (["trash", "trashed", "deleted"].includes(v)) p.trash = true;
          else throw bad(`${key}:${value} is not known; use is:review or is:trash`);
          break;
        default:
          throw bad(
            `unknown filter ${key}: (known: merchant:, tag:, kind:, currency:, after:, before:, date:, amount:); put the word in quotes to search for it`,
          );
      }
      continue;
    }
    const w = t.replace(/^"|"$/g, "").replace(/\*$/, "").toLowerCase();
    if (w) p.words.push(w);
  }
  return p;
}

function haystack(v: Voucher): string {
  return [v.title, v.merchant ?? "", v.text, v.notes, v.tags.join(" "), v.original_name, v.ocr_text]
    .join(" ")
    .toLowerCase();
}

function inScope(v: Voucher, scope: Scope, p: Parsed): boolean {
  const trash = scope.type === "trash" || p.trash;
  if (trash !== (v.deleted_at !== null)) return false;
  if ((scope.type === "needs_review" || p.review) && !v.needs_review) return false;
  if (scope.type === "kind") {
    if (scope.kind === "other") return v.kind === "other" || v.kind === "text";
    return v.kind === scope.kind;
  }
  if (scope.type === "tag") return v.tags.includes(scope.tag);
  return true;
}

function compare(order: Order): (a: Voucher, b: Voucher) => number {
  // Undated vouchers (mtime or import time only) come after the dated ones.
  const undated = (a: Voucher, b: Voucher) => Number(isUndated(a.occurred_source)) - Number(isUndated(b.occurred_source));
  const byDate = (a: Voucher, b: Voucher) => b.occurred_at.localeCompare(a.occurred_at) || b.id - a.id;
  const newest = (a: Voucher, b: Voucher) => undated(a, b) || byDate(a, b);
  const amt = (v: Voucher) => (v.amount ? v.amount.minor : null);
  switch (order) {
    case "oldest":
      return (a, b) => undated(a, b) || -byDate(a, b);
    case "added":
      return (a, b) => b.added_at.localeCompare(a.added_at) || b.id - a.id;
    case "amount_desc":
    case "amount_asc":
      return (a, b) => {
        const x = amt(a);
        const y = amt(b);
        if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0);
        return (order === "amount_desc" ? y - x : x - y) || newest(a, b);
      };
    case "merchant":
      return (a, b) => {
        if (!a.merchant || !b.merchant) return (a.merchant ? 0 : 1) - (b.merchant ? 0 : 1);
        return a.merchant.localeCompare(b.merchant) || newest(a, b);
      };
    default:
      return newest;
  }
}

function toSummary(v: Voucher): VoucherSummary {
  const { snippet: _, ...s } = toHit(v);
  void _;
  return s;
}

function toHit(v: Voucher): Hit {
  const s: Hit = {
    id: v.id,
    sha256: v.sha256,
    size: v.size,
    kind: v.kind,
    media_type: v.media_type,
    original_name: v.original_name,
    title: v.title,
    added_at: v.added_at,
    occurred_at: v.occurred_at,
    occurred_source: v.occurred_source,
    merchant: v.merchant,
    amount: v.amount,
    amount_display: v.amount_display,
    tags: v.tags,
    has_thumbnail: v.has_thumbnail,
    parent_id: v.parent_id,
    needs_review: v.needs_review,
    ocr_state: v.ocr_state,
    deleted_at: v.deleted_at,
    snippet: null,
  };
  return s;
}

const KIND_BY_EXT: Record<string, [Kind, string]> = {
  png: ["image", "image/png"],
  jpg: ["image", "image/jpeg"],
  jpeg: ["image", "image/jpeg"],
  eml: ["email", "message/rfc822"],
  pdf: ["pdf", "application/pdf"],
  txt: ["text", "text/plain"],
};

export function fakeBackend(opts: FakeOptions = {}): FakeBackend {
  let dir = opts.dir ?? "/home/test/.local/share/receipt-vault";
  const knownVaults = new Set([dir, ...(opts.vaults ?? [])]);
  let vouchers: Voucher[] = (opts.vouchers ?? []).map((v) => structuredClone(v));
  let bulk = opts.bulk ?? 0;
  let saved: SavedSearch[] = [...(opts.savedSearches ?? [])];
  const localeCurrency = opts.localeCurrency === undefined ? "EUR" : opts.localeCurrency;
  let chosenCurrency: string | null = opts.defaultCurrency ?? null;
  const currencyNow = (): DefaultCurrency => ({
    currency: chosenCurrency ?? localeCurrency,
    chosen: chosenCurrency !== null,
    locale: localeCurrency,
  });
  let idSeq = Math.max(0, ...vouchers.map((v) => v.id)) + 1;
  const calls: string[] = [];
  const log: FakeCall[] = [];
  const changed = new Set<() => void>();
  const ocr = new Set<(p: OcrProgress) => void>();
  const dropped = new Set<(e: { type: "over" | "drop" | "leave"; paths: string[] }) => void>();
  let importing = false;
  let hold: Promise<void> | null = null;

  const guard = async (cmd: string, args?: unknown) => {
    calls.push(cmd);
    log.push({ cmd, args });
    await Promise.resolve();
    if (opts.error) throw { ...opts.error };
  };
  const find = (id: number): Voucher => {
    const v = vouchers.find((x) => x.id === id);
    if (v) return v;
    if (id >= BULK_BASE && id < BULK_BASE + bulk) return bulkVoucher(id - BULK_BASE);
    throw { code: "not_found", message: `no voucher with id ${id}` } satisfies IpcError;
  };
  const matching = (query: string, scope: Scope, order: Order): Voucher[] => {
    const p = parseFakeQuery(query);
    const out = vouchers.filter(
      (v) =>
        inScope(v, scope, p) &&
        p.test.every((t) => t(v)) &&
        p.words.every((w) => haystack(v).includes(w)),
    );
    return out.sort(compare(order));
  };
  const bulkApplies = (req: { query: string; scope: Scope }) =>
    bulk > 0 && req.query.trim() === "" && req.scope.type === "all";
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, "+00:00");

  const backend: FakeBackend = {
    calls,
    log,
    get vouchers() {
      return vouchers;
    },
    emitVaultChanged() {
      for (const h of changed) h();
    },
    drop(paths) {
      for (const h of dropped) h({ type: "drop", paths });
    },
    emitOcrProgress(p) {
      for (const h of ocr) h(p);
    },
    holdImport() {
      let release = () => {};
      hold = new Promise<void>((r) => (release = r));
      return { release: () => release() };
    },

    async vaultInfo() {
      await guard("vault_info");
      return {
        dir,
        count: vouchers.filter((v) => !v.deleted_at).length + bulk,
        sizeBytes: vouchers.reduce((n, v) => n + v.size, 0) + bulk * 1234,
        schemaVersion: 2,
        ocrAvailable: opts.ocrAvailable ?? true,
        ocrReason: opts.ocrAvailable === false ? "tesseract is not installed" : null,
      };
    },
    async facets() {
      await guard("facets");
      const live = vouchers.filter((v) => !v.deleted_at);
      const tags = new Map<string, number>();
      for (const v of live) for (const t of v.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
      const f: Facets = {
        all: live.length + bulk,
        images: live.filter((v) => v.kind === "image").length + bulk,
        emails: live.filter((v) => v.kind === "email").length,
        pdfs: live.filter((v) => v.kind === "pdf").length,
        other: live.filter((v) => v.kind === "other" || v.kind === "text").length,
        needs_review: live.filter((v) => v.needs_review).length,
        trash: vouchers.length - live.length,
        tags: [...tags]
          .map(([tag, count]) => ({ tag, count }))
          .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
        saved: [...saved],
      };
      return f;
    },
    async search(req: SearchRequest) {
      await guard("search", req);
      if (opts.searchDelay) await new Promise((r) => setTimeout(r, opts.searchDelay));
      const list = matching(req.query, req.scope, req.order);
      if (bulkApplies(req)) {
        // Bulk vouchers sort after the hand-made ones; built only for the page asked for.
        const hits: Hit[] = [];
        for (let i = req.offset; i < Math.min(req.offset + req.limit, list.length + bulk); i++) {
          hits.push(toHit(i < list.length ? list[i]! : bulkVoucher(i - list.length)));
        }
        return { hits, total: list.length + bulk };
      }
      return {
        hits: list.slice(req.offset, req.offset + req.limit).map(toHit),
        total: list.length,
      };
    },
    async getVoucher(id) {
      await guard("get_voucher", { id });
      return structuredClone(find(id));
    },
    async summaries(ids) {
      await guard("summaries", { ids });
      return ids.flatMap((id) => {
        try {
          return [toSummary(find(id))];
        } catch {
          return [];
        }
      });
    },
    async emailHtml(id) {
      await guard("email_html", { id });
      const v = find(id);
      if (v.kind !== "email") throw { code: "invalid", message: `voucher ${id} is not an email` };
      return opts.emailHtml?.[id] ?? { html: `<p>${v.text}</p>`, blocked_remote: 0 };
    },
    async thumbnail(id) {
      await guard("thumbnail", { id });
      return find(id).has_thumbnail ? FAKE_THUMBNAIL : null;
    },
    originalUrl(id) {
      return `rvault://localhost/object/${id}`;
    },
    async editVoucher(id, edit: Edit) {
      await guard("edit_voucher", { id, edit });
      const v = find(id);
      if (edit.amount) {
        if (!Number.isSafeInteger(edit.amount.minor))
          throw { code: "invalid", message: "invalid value: amount is not a whole number of minor units" };
        if (!/^[A-Z]{3}$/.test(edit.amount.currency))
          throw { code: "invalid", message: `invalid value: ${edit.amount.currency} is not an ISO 4217 currency code` };
      }
      if (edit.occurred_at != null && !/^\d{4}-\d{2}-\d{2}/.test(edit.occurred_at))
        throw { code: "invalid", message: `invalid value: ${edit.occurred_at} is not a date (YYYY-MM-DD)` };
      const text = (s: string | null | undefined) => (s ?? "").trim() || null;
      if (edit.title != null) v.title = edit.title.trim();
      if (edit.merchant !== undefined) {
        v.merchant = text(edit.merchant);
        v.merchant_fact = v.merchant ? { value: v.merchant, origin: "user" } : null;
      }
      if (edit.amount !== undefined) {
        v.amount = edit.amount;
        v.amount_fact = edit.amount ? { value: edit.amount, origin: "user" } : null;
        v.amount_display = edit.amount ? display(edit.amount.minor, edit.amount.currency) : null;
      }
      if (edit.payment_method !== undefined) {
        const t = text(edit.payment_method);
        v.payment_method = t ? { value: t, origin: "user" } : null;
      }
      if (edit.order_ref !== undefined) {
        const t = text(edit.order_ref);
        v.order_ref = t ? { value: t, origin: "user" } : null;
      }
      if (edit.occurred_at != null) {
        v.occurred_at = edit.occurred_at.length === 10 ? `${edit.occurred_at}T00:00:00+00:00` : edit.occurred_at;
        v.occurred_source = "user";
      }
      if (edit.notes != null) v.notes = edit.notes;
      if (edit.tags) v.tags = [...new Set(edit.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
      for (const t of edit.add_tags ?? []) {
        const n = t.trim().toLowerCase();
        if (n && !v.tags.includes(n)) v.tags = [...v.tags, n];
      }
      if (edit.remove_tags?.length) v.tags = v.tags.filter((t) => !edit.remove_tags!.includes(t));
      return structuredClone(v);
    },
    async setReviewed(ids, reviewed) {
      await guard("set_reviewed", { ids, reviewed });
      let n = 0;
      for (const v of vouchers) {
        if (ids.includes(v.id)) {
          v.reviewed_at = reviewed ? now() : null;
          v.needs_review = !reviewed && v.amount === null;
          n++;
        }
      }
      return n;
    },
    async trash(ids) {
      await guard("trash", { ids });
      let n = 0;
      for (const v of vouchers)
        if (ids.includes(v.id) && !v.deleted_at) {
          v.deleted_at = now();
          n++;
        }
      return n;
    },
    async restore(ids) {
      await guard("restore", { ids });
      let n = 0;
      for (const v of vouchers)
        if (ids.includes(v.id) && v.deleted_at) {
          v.deleted_at = null;
          n++;
        }
      return n;
    },
    async emptyTrash() {
      await guard("empty_trash");
      const before = vouchers.length;
      vouchers = vouchers.filter((v) => !v.deleted_at);
      return before - vouchers.length;
    },
    async saveSearch(name, query, scope) {
      await guard("save_search", { name, query, scope });
      if (!name.trim()) throw { code: "invalid", message: "invalid value: a saved search needs a name" };
      saved = saved.filter((s) => s.name !== name);
      const s: SavedSearch = { id: idSeq++, name, query, scope, created_at: now() };
      saved.push(s);
      return s;
    },
    async deleteSavedSearch(id) {
      await guard("delete_saved_search", { id });
      saved = saved.filter((s) => s.id !== id);
    },
    async importPaths(paths, onEvent: (e: ImportEvent) => void) {
      await guard("import_paths", { paths });
      if (importing) throw { code: "busy", message: "an import is already running" };
      importing = true;
      try {
        const summary: ImportSummary = {
          added: 0,
          addedIds: [],
          duplicates: [],
          failed: [],
          unreadable: [],
          unreadableIds: [],
        };
        onEvent({ type: "started", total: paths.length });
        if (hold) {
          await hold;
          hold = null;
        }
        let done = 0;
        for (const path of paths) {
          await new Promise((r) => setTimeout(r, 0));
          const name = path.split("/").pop() ?? path;
          const fail = opts.failPaths?.[path];
          const existing = vouchers.find((v) => v.sources.some((s) => s.path === path) || v.original_name === name);
          if (fail) {
            summary.failed.push({ path, ...fail });
            onEvent({ type: "file", path, outcome: "failed", id: null, existingId: null, error: { ...fail } });
          } else if (existing) {
            summary.duplicates.push({ path, id: existing.id });
            onEvent({ type: "file", path, outcome: "duplicate", id: null, existingId: existing.id, error: null });
          } else {
            const ext = name.split(".").pop()?.toLowerCase() ?? "";
            const [kind, media_type] = KIND_BY_EXT[ext] ?? ["other", "application/octet-stream"];
            const v = voucher({
              id: idSeq++,
              kind,
              media_type,
              original_name: name,
              added_at: now(),
              occurred_at: now(),
              occurred_source: "file_mtime",
              sources: [{ path, added_at: now() }],
              needs_review: true,
              ocr_state: kind === "image" ? "pending" : "none",
            });
            vouchers.push(v);
            summary.added++;
            summary.addedIds.push(v.id);
            const unreadable = opts.unreadablePaths?.[path];
            if (unreadable) {
              v.ocr_state = "none";
              v.warnings = [unreadable.message];
              summary.unreadable.push({ path, ...unreadable });
              summary.unreadableIds.push(v.id);
              onEvent({ type: "file", path, outcome: "unreadable", id: v.id, existingId: null, error: { ...unreadable } });
            } else onEvent({ type: "file", path, outcome: "added", id: v.id, existingId: null, error: null });
          }
          done++;
          onEvent({ type: "progress", done, total: paths.length, path });
        }
        onEvent({ type: "finished", summary });
        return summary;
      } finally {
        importing = false;
      }
    },
    async importBytes(name, bytes) {
      await guard("import_bytes", { name, size: bytes.length });
      const v = voucher({
        id: idSeq++,
        original_name: name,
        size: bytes.length,
        occurred_source: "added",
        added_at: now(),
        occurred_at: now(),
        sources: [],
        needs_review: true,
      });
      vouchers.push(v);
      return { added: 1, addedIds: [v.id], duplicates: [], failed: [], unreadable: [], unreadableIds: [] };
    },
    async pickFiles(title) {
      await guard("pick_files", { title });
      return opts.pick?.files ?? [];
    },
    async pickFolder(title) {
      await guard("pick_folder", { title });
      return opts.pick?.folder ?? null;
    },
    async pickSave(defaultName, kind, title) {
      await guard("pick_save", { defaultName, kind, title });
      return opts.pick?.save === undefined ? `/home/test/${defaultName}` : opts.pick.save;
    },
    async exportBundle(target, dest, onEvent) {
      await guard("export_bundle", { target, dest });
      const ids = Array.isArray(target)
        ? target
        : matching(target.query, target.scope, "newest").map((v) => v.id);
      ids.forEach((_, i) => onEvent({ done: i + 1, total: ids.length }));
      return { path: dest, vouchers: ids.length, bytes: ids.length * 1234, files: opts.exportFiles ?? ids.length };
    },
    async exportCsv(target, dest) {
      await guard("export_csv", { target, dest });
      return Array.isArray(target) ? target.length : matching(target.query, target.scope, "newest").length;
    },
    async showInFolder(path) {
      await guard("show_in_folder", { path });
    },
    async openOriginal(id) {
      await guard("open_original", { id });
      find(id);
    },
    async verifyVault(onEvent) {
      await guard("verify_vault");
      const total = vouchers.length;
      for (let i = 0; i < total; i++) onEvent({ done: i + 1, total });
      return verifyReport(vouchers.map((v) => v.id));
    },
    async verifyVoucher(id) {
      await guard("verify_voucher", { id });
      find(id);
      return verifyReport([id]);
    },
    async repairVoucher(id) {
      await guard("repair_voucher", { id });
      const v = find(id);
      const broken = [...(opts.corrupt ?? []), ...(opts.missing ?? [])];
      if (!broken.includes(id)) return { repaired: false, from: null, message: "the original is intact" };
      if (!(opts.repairable ?? []).includes(id))
        return { repaired: false, from: null, message: "no source still holds these bytes" };
      opts.corrupt = (opts.corrupt ?? []).filter((x) => x !== id);
      opts.missing = (opts.missing ?? []).filter((x) => x !== id);
      const from = v.sources[0]?.path ?? null;
      return { repaired: true, from, message: `restored from ${from}` };
    },
    async openVault(d) {
      await guard("open_vault", { dir: d });
      if (!knownVaults.has(d))
        throw { code: "not_a_vault", message: `${d}: not a Receipt Vault (no vault.db); run \`vault init\` to create one` };
      dir = d;
      return backend.vaultInfo();
    },
    async createVault(d) {
      await guard("create_vault", { dir: d });
      knownVaults.add(d);
      dir = d;
      vouchers = [];
      bulk = 0;
      saved = [];
      chosenCurrency = null;
      return backend.vaultInfo();
    },
    async defaultCurrency() {
      await guard("default_currency");
      return currencyNow();
    },
    async setDefaultCurrency(code) {
      await guard("set_default_currency", { code });
      const c = (code ?? "").trim().toUpperCase();
      if (c === "") chosenCurrency = null;
      else if (/^[A-Z]{3}$/.test(c)) chosenCurrency = c;
      else
        throw {
          code: "invalid",
          message: `${JSON.stringify(code)} is not a currency code (three letters, like EUR or MYR)`,
        } satisfies IpcError;
      return currencyNow();
    },
    async onVaultChanged(handler) {
      changed.add(handler);
      const off: Unlisten = () => changed.delete(handler);
      return off;
    },
    async onOcrProgress(handler) {
      ocr.add(handler);
      return () => ocr.delete(handler);
    },
    async onDragDrop(handler) {
      dropped.add(handler);
      return () => dropped.delete(handler);
    },
  };

  function verifyReport(ids: number[]): VerifySummary {
    const corrupt = new Set(opts.corrupt ?? []);
    const missing = new Set(opts.missing ?? []);
    const repairable = new Set(opts.repairable ?? []);
    const problems = ids
      .filter((id) => corrupt.has(id) || missing.has(id))
      .map((id) => ({
        kind: missing.has(id) ? ("missing" as const) : ("corrupted" as const),
        voucher_id: id,
        sha256: find(id).sha256,
        detail: missing.has(id) ? "the original's object file is gone" : "the bytes no longer match their SHA-256",
        name: find(id).original_name,
        repairable: repairable.has(id),
      }));
    return { ok: problems.length === 0, checked: ids.length, bytes: ids.length * 1234, problems };
  }

  return backend;
}
