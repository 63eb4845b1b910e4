// State of the window: the open vault, the search (query, scope, order), its results and
// selection, the voucher in the detail pane, background tasks (import, export, verify)
// and toasts. Components read it and call its methods; only this talks to the Backend.

import { tick } from "svelte";
import { toIpcError, type Backend, type Unlisten } from "../backend";
import { humanMessage } from "../errors";
import { pluralize } from "../format";
import type {
  Edit,
  ExportSummary,
  ExportTarget,
  Facets,
  ImportSummary,
  IpcError,
  Order,
  SavedSearch,
  Scope,
  VaultInfo,
  VerifySummary,
  Voucher,
} from "../types";
import { ResultsStore } from "./results.svelte";
import { Selection } from "./selection.svelte";

export const TOAST_MS = 8000;

export type Status = "loading" | "ready" | "error";
export type ViewMode = "list" | "grid";
export type Dialog = null | "settings" | "export" | "verify" | "import";

export interface Toast {
  id: number;
  text: string;
  tone: "info" | "success" | "error";
  action?: { label: string; run: () => void };
}

export interface ImportTask {
  running: boolean;
  total: number;
  done: number;
  current: string;
  summary: ImportSummary | null;
  error: IpcError | null;
}

export interface ExportTask {
  kind: "zip" | "csv";
  running: boolean;
  done: number;
  total: number;
  summary: ExportSummary | null;
  count: number | null;
  dest: string | null;
  error: IpcError | null;
}

export interface VerifyTask {
  running: boolean;
  done: number;
  total: number;
  report: VerifySummary | null;
  error: IpcError | null;
}

export function scopeKey(s: Scope): string {
  switch (s.type) {
    case "kind":
      return `kind:${s.kind}`;
    case "tag":
      return `tag:${s.tag}`;
    default:
      return s.type;
  }
}

export class AppStore {
  status: Status = $state("loading");
  info: VaultInfo | null = $state(null);
  facets: Facets | null = $state(null);
  /** Why the vault could not be opened. */
  error: IpcError | null = $state(null);

  query = $state("");
  scope: Scope = $state.raw({ type: "all" });
  order: Order = $state("newest");
  view: ViewMode = $state("list");

  readonly results: ResultsStore;
  readonly selection = new Selection();

  detailId: number | null = $state(null);
  detail: Voucher | null = $state(null);
  detailError: IpcError | null = $state(null);

  toasts: Toast[] = $state([]);
  dialog: Dialog = $state(null);
  importTask: ImportTask | null = $state(null);
  exportTask: ExportTask | null = $state(null);
  verifyTask: VerifyTask | null = $state(null);
  dragging = $state(false);

  readonly backend: Backend;
  #thumbs = new Map<number, Promise<string | null>>();
  /** The search loop while a search is in flight (at most one at a time). */
  #pump: Promise<void> | null = null;
  /** The query, scope or order changed while a search was in flight. */
  #dirty = false;
  #toastSeq = 0;
  #searchSeq = 0;
  #unlisten: Unlisten[] = [];
  #interactive = false;

  constructor(backend: Backend) {
    this.backend = backend;
    this.results = new ResultsStore(backend);
  }

  get isEmpty(): boolean {
    return this.status === "ready" && (this.facets?.all ?? 0) === 0 && (this.facets?.trash ?? 0) === 0;
  }

  get selectedCount(): number {
    return this.selection.count(this.results.total);
  }

  // ---- start-up and refresh ---------------------------------------------------------

  async load(): Promise<void> {
    this.status = "loading";
    this.error = null;
    try {
      // The first paint waits for these three only, asked for together.
      ++this.#searchSeq;
      // Marks for the start-up measurement: when each answer arrived.
      const mark = <T>(name: string) => (v: T) => {
        performance.mark(name);
        return v;
      };
      const [info, facets] = await Promise.all([
        this.backend.vaultInfo().then(mark("rv:info")),
        this.backend.facets().then(mark("rv:facets")),
        this.results.set({ query: this.query, scope: this.scope, order: this.order }).then(mark("rv:page")),
      ]);
      this.info = info;
      this.facets = facets;
      this.#thumbs.clear();
      const err = this.results.error;
      if (err && err.code !== "bad_query") throw err;
      this.status = "ready";
      await tick();
      performance.mark("rv:results", { detail: { query: this.query } });
      if (!this.#interactive) {
        this.#interactive = true;
        performance.mark("rv:interactive");
        performance.mark("rv:ready");
        document.body.dataset.ready = "1";
        document.documentElement.dataset.ready = "1";
      }
    } catch (e) {
      this.info = null;
      this.facets = null;
      this.error = toIpcError(e);
      this.status = "error";
    }
  }

  /** Listen for background changes; returns when listening. */
  async listen(): Promise<void> {
    this.#unlisten.push(await this.backend.onVaultChanged(() => void this.refresh()));
  }

  dispose(): void {
    for (const u of this.#unlisten) u();
    this.#unlisten = [];
  }

  /** Facets, the visible page and the open voucher again (the vault changed). */
  async refresh(): Promise<void> {
    if (this.status !== "ready") return;
    try {
      const [info, facets] = await Promise.all([
        this.backend.vaultInfo(),
        this.backend.facets(),
        this.results.refresh(),
      ]);
      this.info = info;
      this.facets = facets;
      this.#thumbs.clear();
      if (this.detailId !== null) await this.#loadDetail(this.detailId, false);
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  async refreshFacets(): Promise<void> {
    try {
      const [info, facets] = await Promise.all([this.backend.vaultInfo(), this.backend.facets()]);
      this.info = info;
      this.facets = facets;
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  thumbnail(id: number): Promise<string | null> {
    let p = this.#thumbs.get(id);
    if (!p) {
      p = this.backend.thumbnail(id).catch(() => null);
      this.#thumbs.set(id, p);
    }
    return p;
  }

  // ---- search -------------------------------------------------------------------------

  /**
   * The user typed: search at once when no search is in flight; otherwise remember only
   * that the text changed, and search for the latest text when the in-flight one returns.
   * No fixed delay, at most one search in flight, the latest text wins.
   */
  setQuery(q: string): void {
    this.query = q;
    void this.#search();
  }

  /** Change the query and search now (chips, saved searches); resolves with its results. */
  async searchNow(q: string): Promise<void> {
    this.query = q;
    await this.#search();
  }

  async setScope(scope: Scope): Promise<void> {
    this.scope = scope;
    this.selection.clear();
    await this.#search();
  }

  async setOrder(order: Order): Promise<void> {
    this.order = order;
    await this.#search();
  }

  async applySaved(s: SavedSearch): Promise<void> {
    this.scope = s.scope;
    this.selection.clear();
    await this.searchNow(s.query);
  }

  /**
   * Start the search loop, or (one already runs) mark it dirty. The loop sends one search
   * for the state at the moment it is sent and, when that one returns, another if the
   * state changed meanwhile. Resolves once the latest state's results are in place.
   */
  #search(): Promise<void> {
    if (this.#pump) {
      this.#dirty = true;
      return this.#pump;
    }
    const pump = (async () => {
      try {
        do {
          this.#dirty = false;
          await this.runSearch();
        } while (this.#dirty);
      } finally {
        this.#pump = null;
      }
    })();
    this.#pump = pump;
    return pump;
  }

  /** Run one search for the current query, scope and order (use `#search` to coalesce). */
  async runSearch(): Promise<void> {
    const seq = ++this.#searchSeq;
    const started = performance.now();
    const req = { query: this.query, scope: this.scope, order: this.order };
    await this.results.set(req);
    // Newer text is waiting: skip rendering these results' bookkeeping, it goes out next.
    if (seq !== this.#searchSeq || this.#dirty) return;
    await tick();
    if (seq !== this.#searchSeq || this.results.error) return;
    const ms = performance.now() - started;
    performance.mark("rv:search-rendered", { detail: { query: req.query, ms } });
    performance.mark("rv:results", { detail: { query: req.query } });
    document.body.dataset.searchMs = ms.toFixed(1);
    document.body.dataset.searchQuery = req.query;
    this.selection.cursor = Math.min(this.selection.cursor, this.results.total - 1);
  }

  /** Wait until the results are those of the current text (before acting on "the current search"). */
  async flushSearch(): Promise<void> {
    if (this.#pump) await this.#pump;
  }

  async saveSearch(name: string): Promise<IpcError | null> {
    try {
      await this.backend.saveSearch(name.trim(), this.query, this.scope);
      await this.refreshFacets();
      this.toast(`Saved search “${name.trim()}”`, "success");
      return null;
    } catch (e) {
      return toIpcError(e);
    }
  }

  async deleteSaved(id: number): Promise<void> {
    try {
      await this.backend.deleteSavedSearch(id);
      await this.refreshFacets();
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  // ---- detail -------------------------------------------------------------------------

  async open(id: number): Promise<void> {
    this.detailId = id;
    await this.#loadDetail(id, true);
  }

  close(): void {
    this.detailId = null;
    this.detail = null;
    this.detailError = null;
  }

  async #loadDetail(id: number, reset: boolean): Promise<void> {
    if (reset) {
      this.detail = null;
      this.detailError = null;
    }
    try {
      const v = await this.backend.getVoucher(id);
      if (this.detailId === id) {
        this.detail = v;
        this.detailError = null;
      }
    } catch (e) {
      if (this.detailId === id) this.detailError = toIpcError(e);
    }
  }

  /** Apply an edit to the open voucher. Returns the error to show inline, or null. */
  async edit(edit: Edit): Promise<IpcError | null> {
    const id = this.detailId;
    if (id === null) return null;
    try {
      const v = await this.backend.editVoucher(id, edit);
      if (this.detailId === id) this.detail = v;
      void this.results.refresh();
      void this.refreshFacets();
      return null;
    } catch (e) {
      return toIpcError(e);
    }
  }

  async setReviewed(reviewed: boolean): Promise<void> {
    const id = this.detailId;
    if (id === null) return;
    try {
      await this.backend.setReviewed([id], reviewed);
      await this.#loadDetail(id, false);
      void this.results.refresh();
      void this.refreshFacets();
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  // ---- selection actions --------------------------------------------------------------

  /** Ids of the selection (fetching them when everything is selected). */
  async selectedIds(): Promise<number[]> {
    if (this.selection.all) return this.results.allIds();
    return [...this.selection.ids];
  }

  /** Delete key: move to Trash (or, in Trash, nothing: use Restore). Offers Undo. */
  async trashSelected(): Promise<void> {
    const ids = await this.selectedIds();
    if (!ids.length) return;
    try {
      const n = await this.backend.trash(ids);
      if (this.detailId !== null && ids.includes(this.detailId)) this.close();
      this.selection.clear();
      await Promise.all([this.results.refresh(), this.refreshFacets()]);
      this.toast(`Moved ${n} ${pluralize(n, "voucher", "vouchers")} to Trash`, "info", {
        label: "Undo",
        run: () => void this.restore(ids),
      });
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  async restore(ids: number[]): Promise<void> {
    try {
      const n = await this.backend.restore(ids);
      await Promise.all([this.results.refresh(), this.refreshFacets()]);
      this.toast(`Restored ${n} ${pluralize(n, "voucher", "vouchers")}`, "success");
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  async restoreSelected(): Promise<void> {
    const ids = await this.selectedIds();
    if (ids.length) {
      this.selection.clear();
      await this.restore(ids);
    }
  }

  async emptyTrash(): Promise<void> {
    try {
      const n = await this.backend.emptyTrash();
      this.selection.clear();
      this.close();
      await Promise.all([this.results.refresh(), this.refreshFacets()]);
      this.toast(`Deleted ${n} ${pluralize(n, "voucher", "vouchers")} for good`, "info");
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  // ---- import -------------------------------------------------------------------------

  async importPaths(paths: string[]): Promise<void> {
    if (!paths.length) return;
    if (this.importTask?.running) {
      this.toast(humanMessage({ code: "busy", message: "" }), "error");
      return;
    }
    const task: ImportTask = $state({
      running: true,
      total: paths.length,
      done: 0,
      current: "",
      summary: null,
      error: null,
    });
    this.importTask = task;
    let lastRefresh = performance.now();
    try {
      const summary = await this.backend.importPaths(paths, (e) => {
        if (e.type === "started") task.total = e.total;
        else if (e.type === "progress") {
          task.done = e.done;
          task.total = e.total;
          task.current = e.path;
          // Show new vouchers while a long import runs, at most every 2 s.
          if (performance.now() - lastRefresh > 2000) {
            lastRefresh = performance.now();
            void this.refresh();
          }
        } else if (e.type === "finished") task.summary = e.summary;
      });
      task.summary = summary;
    } catch (e) {
      task.error = toIpcError(e);
    } finally {
      task.running = false;
    }
    await this.refresh();
  }

  async addFiles(): Promise<void> {
    try {
      const paths = await this.backend.pickFiles();
      await this.importPaths(paths);
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  async addFolder(): Promise<void> {
    try {
      const dir = await this.backend.pickFolder();
      if (dir) await this.importPaths([dir]);
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  /** A pasted image becomes a voucher. */
  async importPasted(name: string, bytes: Uint8Array): Promise<void> {
    try {
      const s = await this.backend.importBytes(name, bytes);
      await this.refresh();
      if (s.failed.length) this.toast(humanMessage(s.failed[0]!), "error");
      else if (s.duplicates.length) {
        const id = s.duplicates[0]!.id;
        this.toast("This image is already in the vault", "info", { label: "Show", run: () => void this.open(id) });
      } else this.toast("Added the pasted image", "success");
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  // ---- export and verify --------------------------------------------------------------

  /** What "the selection" or "the current search" means for export. */
  async exportTarget(which: "selection" | "search"): Promise<ExportTarget> {
    if (which === "selection" && !this.selection.all) return [...this.selection.ids];
    await this.flushSearch();
    return { query: this.query, scope: this.scope };
  }

  async exportTo(kind: "zip" | "csv", which: "selection" | "search"): Promise<void> {
    const stamp = new Date().toISOString().slice(0, 10);
    const defaultName = kind === "zip" ? `evidence-${stamp}.zip` : `vouchers-${stamp}.csv`;
    let dest: string | null;
    try {
      dest = await this.backend.pickSave(defaultName, kind);
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
      return;
    }
    if (!dest) {
      if (this.dialog === "export" && !this.exportTask) this.dialog = null;
      return;
    }
    const target = await this.exportTarget(which);
    const task: ExportTask = $state({
      kind,
      running: true,
      done: 0,
      total: Array.isArray(target) ? target.length : this.results.total,
      summary: null,
      count: null,
      dest,
      error: null,
    });
    this.exportTask = task;
    try {
      if (kind === "zip") {
        task.summary = await this.backend.exportBundle(target, dest, (e) => {
          task.done = e.done;
          task.total = e.total;
        });
        task.count = task.summary.vouchers;
        task.dest = task.summary.path;
      } else {
        task.count = await this.backend.exportCsv(target, dest);
        task.done = task.total = task.count;
      }
    } catch (e) {
      task.error = toIpcError(e);
    } finally {
      task.running = false;
    }
  }

  async showInFolder(path: string): Promise<void> {
    try {
      await this.backend.showInFolder(path);
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  async verifyAll(): Promise<void> {
    if (this.verifyTask?.running) return;
    const task: VerifyTask = $state({ running: true, done: 0, total: 0, report: null, error: null });
    this.verifyTask = task;
    this.dialog = "verify";
    try {
      task.report = await this.backend.verifyVault((e) => {
        task.done = e.done;
        task.total = e.total;
      });
    } catch (e) {
      task.error = toIpcError(e);
    } finally {
      task.running = false;
    }
  }

  // ---- vaults -------------------------------------------------------------------------

  async switchVault(create: boolean): Promise<IpcError | null> {
    let dir: string | null;
    try {
      dir = await this.backend.pickFolder();
    } catch (e) {
      return toIpcError(e);
    }
    if (!dir) return null;
    try {
      this.info = create ? await this.backend.createVault(dir) : await this.backend.openVault(dir);
    } catch (e) {
      return toIpcError(e);
    }
    this.close();
    this.selection.clear();
    this.query = "";
    this.scope = { type: "all" };
    await this.load();
    this.toast(`Opened ${dir}`, "success");
    return null;
  }

  // ---- toasts -------------------------------------------------------------------------

  toast(text: string, tone: Toast["tone"] = "info", action?: Toast["action"]): number {
    const id = ++this.#toastSeq;
    this.toasts = [...this.toasts.slice(-3), { id, text, tone, action }];
    setTimeout(() => this.dismiss(id), TOAST_MS);
    return id;
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}
