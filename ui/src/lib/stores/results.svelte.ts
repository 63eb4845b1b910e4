// The current search's results, paged from the core: only the pages near what is on
// screen are held (never all rows at once). A new query replaces the results only when
// its first page arrives, so a bad query or a slow answer never blanks the list; answers
// to queries that are no longer the latest are dropped.
// Rows updated in place (OCR finished) stay updated when a page asked for before them
// lands after them.

import { toIpcError, type Backend } from "../backend";
import type { Hit, IpcError, Order, Scope, VoucherSummary } from "../types";

export const PAGE = 200;
/** Pages kept around the visible range; farther ones are dropped. */
export const KEEP_PAGES = 8;

export interface Request {
  query: string;
  scope: Scope;
  order: Order;
}

export class ResultsStore {
  /** Rows the search finds. */
  total = $state(0);
  /** Bumped whenever pages arrive or are dropped, so readers of `row()` re-render. */
  version = $state(0);
  /** The latest request's error (e.g. bad_query); the previous results stay. */
  error: IpcError | null = $state(null);
  /** The first answer arrived (for this vault). */
  loaded = $state(false);
  searching = $state(false);
  /** Milliseconds from the request to its rows being in place, for the latest search. */
  lastLatency: number | null = $state(null);
  /** Bumped when a new search's rows replace the old ones (lists scroll back to the top). */
  epoch = $state(0);

  request: Request = $state.raw({ query: "", scope: { type: "all" }, order: "newest" });
  /** The request whose rows are shown (the latest one that worked). */
  shown: Request = $state.raw({ query: "", scope: { type: "all" }, order: "newest" });

  #backend: Backend;
  #pages = new Map<number, Hit[]>();
  #inflight = new Map<number, Promise<void>>();
  #generation = 0;
  #focusPage = 0;
  /** Order of asking: each page request and each row fetch (`stamp`) takes the next number. */
  #seq = 0;
  /** When each held page was asked for. */
  #pageSeq = new Map<number, number>();
  /**
   * Fresh versions of rows (OCR finished), by voucher id, with when they were fetched. A
   * page asked for before that and landing after it holds the old row ("Reading…" again),
   * so these go over it; a page asked for after it is newer and keeps its own. Cleared
   * when a new search or a refresh is asked for: its pages are newer than all of them.
   */
  #fresh = new Map<number, { row: VoucherSummary; seq: number }>();

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** Pages currently held (for tests and for the memory bound). */
  get pageCount(): number {
    return this.#pages.size;
  }

  /** Fresh rows kept for pages still to land (for tests and for the memory bound). */
  get freshCount(): number {
    return this.#fresh.size;
  }

  /** Call before fetching rows for `replace`: pages asked for before this do not undo them. */
  stamp(): number {
    return ++this.#seq;
  }

  /** The row at `index`, or undefined while its page loads (call `ensure` for the range). */
  row(index: number): Hit | undefined {
    void this.version;
    const page = this.#pages.get(Math.floor(index / PAGE));
    return page?.[index % PAGE];
  }

  /** Index of a voucher among the loaded rows, or -1. */
  indexOf(id: number): number {
    for (const [p, hits] of this.#pages) {
      const i = hits.findIndex((h) => h.id === id);
      if (i >= 0) return p * PAGE + i;
    }
    return -1;
  }

  /**
   * Run a new search. Resolves once its first page is in place (or failed). The rows of
   * the previous search stay until then.
   */
  async set(req: Request): Promise<void> {
    this.request = req;
    const gen = ++this.#generation;
    const seq = ++this.#seq;
    this.#fresh.clear();
    const started = performance.now();
    this.searching = true;
    try {
      const page = await this.#backend.search({ ...req, offset: 0, limit: PAGE });
      if (gen !== this.#generation) return;
      this.#pages.clear();
      this.#pageSeq.clear();
      this.#inflight.clear();
      this.#put(0, page.hits, seq);
      this.#focusPage = 0;
      this.shown = req;
      this.total = page.total;
      this.error = null;
      this.loaded = true;
      this.version++;
      this.epoch++;
      this.lastLatency = performance.now() - started;
    } catch (e) {
      if (gen !== this.#generation) return;
      this.error = toIpcError(e);
      this.loaded = true;
    } finally {
      if (gen === this.#generation) this.searching = false;
    }
  }

  /** Re-run the current request keeping the position (the vault changed underneath). */
  async refresh(): Promise<void> {
    const gen = ++this.#generation;
    const seq = ++this.#seq;
    this.#fresh.clear();
    const req = this.request;
    const wanted = [...new Set([0, this.#focusPage, this.#focusPage + 1])];
    try {
      const pages = await Promise.all(
        wanted.map((p) => this.#backend.search({ ...req, offset: p * PAGE, limit: PAGE })),
      );
      if (gen !== this.#generation) return;
      this.#pages.clear();
      this.#pageSeq.clear();
      this.#inflight.clear();
      wanted.forEach((p, i) => {
        const hits = pages[i]?.hits ?? [];
        if (hits.length) this.#put(p, hits, seq);
      });
      this.total = pages[0]?.total ?? 0;
      this.error = null;
      this.version++;
    } catch (e) {
      if (gen !== this.#generation) return;
      this.error = toIpcError(e);
    }
  }

  /**
   * Put fresh versions of some vouchers in their rows, where they are (OCR finished): no
   * search, nothing moves; a row's snippet stays. `seq` is the `stamp()` taken before the
   * rows were fetched (now, by default). They also go over pages that land later but were
   * asked for before them; a page asked for after them keeps its own rows.
   */
  replace(rows: VoucherSummary[], seq: number = this.stamp()): void {
    if (!rows.length) return;
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const row of rows) {
      const kept = this.#fresh.get(row.id);
      if (!kept || kept.seq < seq) this.#fresh.set(row.id, { row, seq });
    }
    let changed = false;
    for (const [p, hits] of this.#pages) {
      if ((this.#pageSeq.get(p) ?? 0) > seq) continue;
      if (!hits.some((h) => byId.has(h.id))) continue;
      this.#pages.set(
        p,
        hits.map((h) => {
          const r = byId.get(h.id);
          return r ? { ...r, snippet: h.snippet } : h;
        }),
      );
      changed = true;
    }
    if (changed) this.version++;
  }

  /** Make sure rows [start, end) are loaded; drops pages far from them. */
  ensure(start: number, end: number): void {
    if (this.total === 0) return;
    const first = Math.max(0, Math.floor(start / PAGE));
    const last = Math.min(Math.floor((this.total - 1) / PAGE), Math.floor(Math.max(start, end - 1) / PAGE));
    this.#focusPage = first;
    for (let p = first; p <= last; p++) void this.#load(p);
    this.#evict(first, last);
  }

  /** Ids of rows [start, end], loading what is missing. */
  async idsIn(start: number, end: number): Promise<number[]> {
    const a = Math.max(0, Math.min(start, end));
    const b = Math.min(this.total - 1, Math.max(start, end));
    const loads: Promise<void>[] = [];
    for (let p = Math.floor(a / PAGE); p <= Math.floor(b / PAGE); p++) loads.push(this.#load(p));
    await Promise.all(loads);
    const ids: number[] = [];
    for (let i = a; i <= b; i++) {
      const h = this.row(i);
      if (h) ids.push(h.id);
    }
    return ids;
  }

  /** Every id the current search finds, fetched in pages (for Ctrl+A then an action). */
  async allIds(): Promise<number[]> {
    const req = this.request;
    const ids: number[] = [];
    const step = 2000;
    for (let offset = 0; offset < this.total; offset += step) {
      const page = await this.#backend.search({ ...req, offset, limit: step });
      for (const h of page.hits) ids.push(h.id);
      if (page.hits.length < step) break;
    }
    return ids;
  }

  #load(p: number): Promise<void> {
    if (this.#pages.has(p)) return Promise.resolve();
    const pending = this.#inflight.get(p);
    if (pending) return pending;
    const gen = this.#generation;
    const seq = ++this.#seq;
    const req = this.request;
    const task = this.#backend
      .search({ ...req, offset: p * PAGE, limit: PAGE })
      .then((page) => {
        if (gen !== this.#generation) return;
        this.#put(p, page.hits, seq);
        this.total = page.total;
        this.version++;
      })
      .catch((e) => {
        if (gen === this.#generation) this.error = toIpcError(e);
      })
      .finally(() => {
        if (this.#inflight.get(p) === task) this.#inflight.delete(p);
      });
    this.#inflight.set(p, task);
    return task;
  }

  /** Hold a page asked for at `seq`, with the rows fetched since over its old ones. */
  #put(p: number, hits: Hit[], seq: number): void {
    if (this.#fresh.size) {
      hits = hits.map((h) => {
        const f = this.#fresh.get(h.id);
        return f && f.seq > seq ? { ...f.row, snippet: h.snippet } : h;
      });
    }
    this.#pages.set(p, hits);
    this.#pageSeq.set(p, seq);
  }

  #evict(first: number, last: number): void {
    if (this.#pages.size <= KEEP_PAGES) return;
    const mid = (first + last) / 2;
    const far = [...this.#pages.keys()]
      .filter((p) => p < first || p > last)
      .sort((a, b) => Math.abs(b - mid) - Math.abs(a - mid));
    let dropped = false;
    while (this.#pages.size > KEEP_PAGES && far.length) {
      const p = far.shift()!;
      this.#pages.delete(p);
      this.#pageSeq.delete(p);
      dropped = true;
    }
    if (dropped) this.version++;
  }
}
