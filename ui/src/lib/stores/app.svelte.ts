// State of the window: the open vault, the search (query, scope, order), its results and
// selection, the voucher in the detail pane, background tasks (import, export, verify)
// and toasts. Components read it and call its methods; only this talks to the Backend.

import { tick } from "svelte";
import { toIpcError, type Backend, type Unlisten } from "../backend";
import { humanMessage } from "../errors";
import { t, tn } from "../i18n/index.svelte";
import type {
  Edit,
  ExportSummary,
  ExportTarget,
  Facets,
  ImportSummary,
  IpcError,
  OcrProgress,
  Order,
  RepairOutcome,
  SavedSearch,
  Scope,
  VaultInfo,
  VerifySummary,
  Voucher,
} from "../types";
import { ResultsStore } from "./results.svelte";
import { Selection } from "./selection.svelte";

export const TOAST_MS = 8000;
/** An import summary without failures closes by itself after this long. */
export const IMPORT_CLOSE_MS = 8000;

export type Status = "loading" | "ready" | "error";
export type ViewMode = "list" | "grid";
export type Dialog = null | "settings" | "export" | "verify" | "import" | "help";

export interface Toast {
  id: number;
  text: string;
  tone: "info" | "success" | "error";
  action?: { label: string; run: () => void; testid?: string };
}

export interface ImportTask {
  running: boolean;
  total: number;
  done: number;
  current: string;
  summary: ImportSummary | null;
  error: IpcError | null;
  /** The voucher each file became (from the `file` events), by path. */
  ids: Record<string, number>;
}

export interface ExportTask {
  kind: "zip" | "csv";
  running: boolean;
  done: number;
  total: number;
  summary: ExportSummary | null;
  count: number | null;
  /** Originals written (a bundle), when known. */
  files: number | null;
  dest: string | null;
  error: IpcError | null;
}

export interface VerifyTask {
  running: boolean;
  done: number;
  total: number;
  report: VerifySummary | null;
  error: IpcError | null;
  /** Repairs asked for from the report, by voucher id: running, or the outcome. */
  repairs: Record<number, RepairOutcome | "running">;
}

/** Text recognition in progress: `done` of `total` images read. */
export interface OcrStatus {
  done: number;
  total: number;
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
  /** Text recognition running in the background (from `ocr-progress`), or null. */
  ocr: OcrStatus | null = $state(null);
  /** How long a clean import summary stays (tests shorten it). */
  importCloseMs = IMPORT_CLOSE_MS;

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
  /** The ids of the last move to Trash, for Ctrl+Z, and its toast. */
  #lastTrashed: number[] | null = null;
  #lastTrashedToast = 0;
  /** Toasts offering Undo of a move to Trash (the last one's, and older ones still up). */
  #undoToasts = new Set<number>();
  /** Rows whose OCR finished, waiting to be fetched together. */
  #staleRows = new Set<number>();
  #rowFlush: Promise<void> | null = null;

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
    this.#unlisten.push(await this.backend.onOcrProgress((p) => this.onOcrProgress(p)));
  }

  /** A text-recognition step: the status line, and the row (and open voucher) just read. */
  onOcrProgress(p: OcrProgress): void {
    this.ocr = p.total > p.done ? { done: p.done, total: p.total } : null;
    if (p.id !== null) void this.updateRows([p.id]);
  }

  /**
   * Fetch these vouchers again and replace their rows where they are: no new search, the
   * list does not move and the selection stays. Ids arriving while a fetch runs go in the next.
   */
  updateRows(ids: number[]): Promise<void> {
    for (const id of ids) this.#staleRows.add(id);
    if (!this.#staleRows.size) return this.#rowFlush ?? Promise.resolve();
    this.#rowFlush ??= (async () => {
      // Let a burst of events gather into one request.
      await Promise.resolve();
      try {
        do {
          const batch = [...this.#staleRows];
          this.#staleRows.clear();
          // Pages asked for before this fetch and landing after it get these rows too.
          const stamp = this.results.stamp();
          const rows = await this.backend.summaries(batch);
          this.results.replace(rows, stamp);
          if (this.detailId !== null && batch.includes(this.detailId)) await this.#loadDetail(this.detailId, false);
          if (!this.#staleRows.size) await this.refreshFacets();
        } while (this.#staleRows.size);
      } catch (e) {
        this.toast(humanMessage(toIpcError(e)), "error");
      } finally {
        this.#rowFlush = null;
      }
    })();
    return this.#rowFlush;
  }

  dispose(): void {
    for (const u of this.#unlisten) u();
    this.#unlisten = [];
  }

  /** Facets, the visible page and the open voucher again (the vault changed). */
  async refresh(): Promise<void> {
    if (this.status !== "ready") return;
    // The keyboard cursor stays on its voucher, wherever the refresh puts it.
    const cursorId = this.results.row(this.selection.cursor)?.id;
    try {
      const [info, facets] = await Promise.all([
        this.backend.vaultInfo(),
        this.backend.facets(),
        this.results.refresh(),
      ]);
      this.info = info;
      this.facets = facets;
      this.#thumbs.clear();
      if (cursorId !== undefined) {
        const i = this.results.indexOf(cursorId);
        if (i >= 0) this.selection.cursor = i;
      }
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

  /** "All" in the sidebar: everything, whatever was searched for. */
  async showAll(): Promise<void> {
    this.scope = { type: "all" };
    this.query = "";
    if (this.order === "added") this.order = "newest";
    this.selection.clear();
    await this.#search();
  }

  /** "Recently added": everything, the newest additions first. */
  async showRecent(): Promise<void> {
    this.scope = { type: "all" };
    this.query = "";
    this.order = "added";
    this.selection.clear();
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
      this.toast(t("toast.saved", { name: name.trim() }), "success");
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
      this.#lastTrashed = ids;
      await Promise.all([this.results.refresh(), this.refreshFacets()]);
      const toast = this.toast(tn("toast.trashed", n), "info", {
        label: t("toast.undo"),
        testid: "toast-undo",
        run: () => {
          this.#undoToasts.delete(toast);
          if (this.#lastTrashed === ids) this.#lastTrashed = null;
          void this.#restore(ids);
        },
      });
      this.#undoToasts.add(toast);
      this.#lastTrashedToast = toast;
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  /** Ctrl+Z or the toast's Undo: bring back what the last move to Trash took. */
  async undo(): Promise<void> {
    const ids = this.#lastTrashed;
    if (!ids) return;
    this.#lastTrashed = null;
    // Its toast goes; older ones' Undo still restores what they moved.
    this.dismiss(this.#lastTrashedToast);
    await this.#restore(ids);
  }

  /**
   * Nothing to undo any more: the Trash was emptied, something was restored by hand or
   * another vault opened, so the ids the last move to Trash took may now mean other
   * vouchers (or none). Ctrl+Z does nothing and no toast offers Undo.
   */
  #forgetUndo(): void {
    this.#lastTrashed = null;
    for (const id of [...this.#undoToasts]) this.dismiss(id);
    this.#undoToasts.clear();
  }

  /** Restore by hand (the detail pane's Restore, Restore in the Trash): nothing is left to undo. */
  async restore(ids: number[]): Promise<void> {
    this.#forgetUndo();
    await this.#restore(ids);
  }

  async #restore(ids: number[]): Promise<void> {
    try {
      const n = await this.backend.restore(ids);
      // The open voucher shows its new state (no longer "In Trash").
      const open = this.detailId;
      await Promise.all([
        this.results.refresh(),
        this.refreshFacets(),
        open !== null && ids.includes(open) ? this.#loadDetail(open, false) : null,
      ]);
      this.toast(tn("toast.restored", n), "success");
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
      this.#forgetUndo();
      this.selection.clear();
      this.close();
      await Promise.all([this.results.refresh(), this.refreshFacets()]);
      this.toast(tn("toast.deleted", n), "info");
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
      ids: {},
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
        } else if (e.type === "file" && e.id !== null) task.ids[e.path] = e.id;
        else if (e.type === "finished") task.summary = e.summary;
      });
      task.summary = summary;
    } catch (e) {
      task.error = toIpcError(e);
    } finally {
      task.running = false;
    }
    await this.refresh();
    // A clean import's summary goes away by itself; one with problems waits to be read.
    const s = task.summary;
    if (s && !task.error && !s.failed.length && !(s.unreadable ?? []).length) {
      setTimeout(() => {
        if (this.importTask === task) this.importTask = null;
      }, this.importCloseMs);
    }
  }

  async addFiles(): Promise<void> {
    try {
      const paths = await this.backend.pickFiles(t("picker.files"));
      await this.importPaths(paths);
    } catch (e) {
      this.toast(humanMessage(toIpcError(e)), "error");
    }
  }

  async addFolder(): Promise<void> {
    try {
      const dir = await this.backend.pickFolder(t("picker.folder"));
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
        this.toast(t("toast.pasteDuplicate"), "info", { label: t("toast.show"), run: () => void this.open(id) });
      } else this.toast(t("toast.pasted"), "success");
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
      dest = await this.backend.pickSave(defaultName, kind, t("picker.save"));
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
      files: null,
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
        task.files = task.summary.files ?? null;
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
    const task: VerifyTask = $state({ running: true, done: 0, total: 0, report: null, error: null, repairs: {} });
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

  /** Repair one voucher's original from the report; the outcome shows next to the problem. */
  async repair(id: number): Promise<void> {
    const task = this.verifyTask;
    if (!task || task.repairs[id] === "running") return;
    task.repairs[id] = "running";
    try {
      task.repairs[id] = await this.backend.repairVoucher(id);
    } catch (e) {
      task.repairs[id] = { repaired: false, from: null, message: humanMessage(toIpcError(e)) };
    }
  }

  // ---- vaults -------------------------------------------------------------------------

  async switchVault(create: boolean): Promise<IpcError | null> {
    let dir: string | null;
    try {
      dir = await this.backend.pickFolder(t("picker.folder"));
    } catch (e) {
      return toIpcError(e);
    }
    if (!dir) return null;
    try {
      this.info = create ? await this.backend.createVault(dir) : await this.backend.openVault(dir);
    } catch (e) {
      return toIpcError(e);
    }
    this.#forgetUndo();
    this.close();
    this.selection.clear();
    this.query = "";
    this.scope = { type: "all" };
    await this.load();
    this.toast(t("toast.opened", { dir }), "success");
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
    this.#undoToasts.delete(id);
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}
