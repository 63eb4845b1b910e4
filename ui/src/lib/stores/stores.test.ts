import { describe, expect, it } from "vitest";
import { fakeBackend, voucher } from "../ipc.fake";
import { KEEP_PAGES, PAGE, ResultsStore } from "./results.svelte";
import { Selection } from "./selection.svelte";
import { AppStore } from "./app.svelte";

const all = { type: "all" } as const;

describe("ResultsStore", () => {
  it("pages a 100,000-row search: first page only, then the pages asked for, dropping far ones", async () => {
    const backend = fakeBackend({ bulk: 100_000 });
    const r = new ResultsStore(backend);
    await r.set({ query: "", scope: all, order: "newest" });
    expect(r.total).toBe(100_000);
    expect(r.pageCount).toBe(1);
    expect(r.row(0)).toBeDefined();
    expect(r.row(PAGE)).toBeUndefined();

    r.ensure(50_000, 50_040);
    await expect.poll(() => r.row(50_000)?.id).toBeDefined();
    expect(r.row(50_039)).toBeDefined();

    for (let p = 0; p < 40; p++) r.ensure(p * PAGE * 10, p * PAGE * 10 + 40);
    await expect.poll(() => backend.calls.filter((c) => c === "search").length).toBeGreaterThanOrEqual(38);
    r.ensure(0, 40);
    expect(r.pageCount).toBeLessThanOrEqual(KEEP_PAGES + 1);
    // Every request asked for one page, never everything.
    for (const c of backend.log.filter((l) => l.cmd === "search"))
      expect((c.args as { limit: number }).limit).toBe(PAGE);
  });

  it("keeps the last results when a query is bad, and clears the error on the next good one", async () => {
    const backend = fakeBackend({
      vouchers: [voucher({ merchant: "Amazon" }), voucher({ merchant: "Lidl" })],
    });
    const r = new ResultsStore(backend);
    await r.set({ query: "", scope: all, order: "newest" });
    expect(r.total).toBe(2);

    await r.set({ query: "kind:car", scope: all, order: "newest" });
    expect(r.error?.code).toBe("bad_query");
    expect(r.error?.message).toContain("kind:car is not a kind");
    expect(r.total).toBe(2);
    expect(r.row(0)).toBeDefined();
    expect(r.shown.query).toBe("");

    await r.set({ query: "merchant:lidl", scope: all, order: "newest" });
    expect(r.error).toBeNull();
    expect(r.total).toBe(1);
    expect(r.row(0)?.merchant).toBe("Lidl");
  });

  it("drops the answer of a query that is no longer the latest", async () => {
    const backend = fakeBackend({
      vouchers: [voucher({ merchant: "Amazon" }), voucher({ merchant: "Lidl" })],
      searchDelay: 5,
    });
    const r = new ResultsStore(backend);
    const slow = r.set({ query: "amazon", scope: all, order: "newest" });
    const fast = r.set({ query: "lidl", scope: all, order: "newest" });
    await Promise.all([slow, fast]);
    expect(r.shown.query).toBe("lidl");
    expect(r.row(0)?.merchant).toBe("Lidl");
  });
});

describe("Selection", () => {
  it("click, ctrl+click, shift range and select all", () => {
    const s = new Selection();
    s.single(3, 30);
    expect([...s.ids]).toEqual([30]);
    s.toggle(5, 50, () => []);
    expect(s.has(30) && s.has(50)).toBe(true);
    s.toggle(3, 30, () => []);
    expect(s.has(30)).toBe(false);
    s.range(8, [50, 60, 70, 80]);
    expect(s.count(100)).toBe(4);
    s.selectAll();
    expect(s.count(100_000)).toBe(100_000);
    expect(s.has(12345)).toBe(true);
    s.clear();
    expect(s.count(10)).toBe(0);
  });
});

describe("AppStore", () => {
  it("moves the selection to Trash and Undo restores it", async () => {
    const backend = fakeBackend({ vouchers: [voucher({ id: 1 }), voucher({ id: 2 })] });
    const store = new AppStore(backend);
    await store.load();
    store.selection.single(0, 1);
    await store.trashSelected();
    expect(store.results.total).toBe(1);
    expect(store.facets?.trash).toBe(1);
    const toast = store.toasts.at(-1)!;
    expect(toast.text).toBe("Moved 1 voucher to Trash");
    expect(toast.action?.label).toBe("Undo");

    toast.action!.run();
    await expect.poll(() => store.results.total).toBe(2);
    expect(backend.log.find((c) => c.cmd === "restore")?.args).toEqual({ ids: [1] });
    expect(store.facets?.trash).toBe(0);
  });

  it("searches at once as you type, with at most one search in flight, and ends with the last text", async () => {
    const backend = fakeBackend({
      vouchers: [voucher({ merchant: "Amazon" }), voucher({ merchant: "Lidl" }), voucher({ merchant: "Lindt" })],
      searchDelay: 20,
    });
    // Count searches in flight at the same time.
    let inFlight = 0;
    let maxInFlight = 0;
    const search = backend.search.bind(backend);
    backend.search = async (req) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await search(req);
      } finally {
        inFlight--;
      }
    };
    const store = new AppStore(backend);
    await store.load();
    const searches = () => backend.log.filter((c) => c.cmd === "search").map((c) => (c.args as { query: string }).query);
    const before = searches().length;

    // The first keystroke goes out at once: no fixed delay.
    store.setQuery("l");
    expect(searches().slice(before)).toEqual(["l"]);
    // Typed while "l" is in flight: nothing more is sent until it returns.
    store.setQuery("li");
    store.setQuery("lin");
    await new Promise((r) => setTimeout(r, 5));
    store.setQuery("lind");
    expect(searches().slice(before)).toEqual(["l"]);

    await expect.poll(() => store.results.shown.query).toBe("lind");
    await store.flushSearch();
    // "l" and then only the latest text; the ones in between were never sent.
    expect(searches().slice(before)).toEqual(["l", "lind"]);
    expect(maxInFlight).toBe(1);
    expect(store.results.total).toBe(1);
    expect(store.results.row(0)?.merchant).toBe("Lindt");
    expect(document.body.dataset.searchQuery).toBe("lind");
    expect(Number(document.body.dataset.searchMs)).toBeGreaterThanOrEqual(0);

    // Typing in bursts: every answer that arrives is for text that was typed, the last is the last text.
    for (const q of ["a", "am", "ama", "amaz"]) {
      store.setQuery(q);
      await new Promise((r) => setTimeout(r, 7));
    }
    await store.flushSearch();
    expect(maxInFlight).toBe(1);
    expect(store.results.shown.query).toBe("amaz");
    expect(store.results.row(0)?.merchant).toBe("Amazon");
    expect(searches().at(-1)).toBe("amaz");
  });

  it("a stale answer never replaces newer results", async () => {
    const backend = fakeBackend({
      vouchers: [voucher({ merchant: "Amazon" }), voucher({ merchant: "Lidl" })],
      searchDelay: 10,
    });
    const store = new AppStore(backend);
    await store.load();
    store.setQuery("amazon");
    const chip = store.searchNow("lidl");
    store.setQuery("lidl");
    await chip;
    expect(store.results.shown.query).toBe("lidl");
    expect(store.results.row(0)?.merchant).toBe("Lidl");
    await new Promise((r) => setTimeout(r, 30));
    expect(store.results.shown.query).toBe("lidl");
  });

  it("imports with progress events and keeps the summary", async () => {
    const backend = fakeBackend({
      vouchers: [voucher({ id: 7, original_name: "old.png" })],
      failPaths: { "/in/broken.pdf": { code: "bad_file", message: "/in/broken.pdf: not a PDF" } },
    });
    const store = new AppStore(backend);
    await store.load();
    const hold = backend.holdImport();
    const run = store.importPaths(["/in/a.png", "/in/old.png", "/in/broken.pdf"]);
    await expect.poll(() => store.importTask?.total).toBe(3);
    expect(store.importTask?.running).toBe(true);
    hold.release();
    await run;
    const t = store.importTask!;
    expect(t.running).toBe(false);
    expect(t.done).toBe(3);
    expect(t.summary?.added).toBe(1);
    expect(t.summary?.duplicates).toEqual([{ path: "/in/old.png", id: 7 }]);
    expect(t.summary?.failed[0]?.message).toContain("not a PDF");
    expect(store.facets?.all).toBe(2);
  });

  it("a second import while one runs is refused as busy, without calling the shell", async () => {
    const backend = fakeBackend();
    const store = new AppStore(backend);
    await store.load();
    const hold = backend.holdImport();
    const run = store.importPaths(["/in/a.png"]);
    await store.importPaths(["/in/b.png"]);
    expect(store.toasts.at(-1)?.text).toContain("Another import is still running");
    hold.release();
    await run;
    expect(backend.log.filter((c) => c.cmd === "import_paths")).toHaveLength(1);
  });

  it("exports the selection as ids, and the current search as {query, scope}", async () => {
    const backend = fakeBackend({ vouchers: [voucher({ id: 1, merchant: "Amazon" }), voucher({ id: 2 })] });
    const store = new AppStore(backend);
    await store.load();
    store.selection.single(0, 1);
    await store.exportTo("zip", "selection");
    expect(backend.log.find((c) => c.cmd === "export_bundle")?.args).toMatchObject({ target: [1] });
    expect(store.exportTask?.summary?.vouchers).toBe(1);
    store.setQuery("amazon");
    await store.exportTo("csv", "search");
    expect(backend.log.find((c) => c.cmd === "export_csv")?.args).toMatchObject({
      target: { query: "amazon", scope: { type: "all" } },
    });
    expect(store.exportTask?.count).toBe(1);
  });

  it("refreshes facets and the list when the vault changes in the background", async () => {
    const backend = fakeBackend({ vouchers: [voucher({ id: 1 })] });
    const store = new AppStore(backend);
    await store.listen();
    await store.load();
    expect(store.facets?.all).toBe(1);
    backend.vouchers.push(voucher({ id: 2 }));
    backend.emitVaultChanged();
    await expect.poll(() => store.facets?.all).toBe(2);
    await expect.poll(() => store.results.total).toBe(2);
  });
});

describe("rows replaced in place (OCR results)", () => {
  it("replace swaps a held row for its new version, keeping its snippet and position", async () => {
    const backend = fakeBackend({
      vouchers: [voucher({ id: 1, title: "coffee a" }), voucher({ id: 2, title: "coffee b", ocr_state: "pending" })],
    });
    const r = new ResultsStore(backend);
    await r.set({ query: "coffee", scope: all, order: "newest" });
    const before = r.version;
    const i = r.indexOf(2);
    const old = r.row(i)!;
    r.replace([{ ...old, merchant: "Luckin", ocr_state: "done" }]);
    expect(r.indexOf(2)).toBe(i);
    expect(r.row(i)).toMatchObject({ merchant: "Luckin", ocr_state: "done", snippet: old.snippet });
    expect(r.version).toBe(before + 1);
    r.replace([{ ...old, id: 99 }]);
    expect(r.version).toBe(before + 1);
  });

  it("updateRows gathers a burst of ids into one summaries call", async () => {
    const backend = fakeBackend({ vouchers: [voucher({ id: 1 }), voucher({ id: 2 }), voucher({ id: 3 })] });
    const store = new AppStore(backend);
    await store.load();
    await Promise.all([store.updateRows([1]), store.updateRows([2]), store.updateRows([3])]);
    expect(backend.log.filter((c) => c.cmd === "summaries").map((c) => c.args)).toEqual([{ ids: [1, 2, 3] }]);
  });

  it("undo restores only the last move to Trash, once", async () => {
    const backend = fakeBackend({ vouchers: [voucher({ id: 1 }), voucher({ id: 2 })] });
    const store = new AppStore(backend);
    await store.load();
    store.selection.single(0, 1);
    await store.trashSelected();
    store.selection.single(0, 2);
    await store.trashSelected();
    await store.undo();
    await store.undo();
    expect(backend.log.filter((c) => c.cmd === "restore").map((c) => c.args)).toEqual([{ ids: [2] }]);
  });
});

describe("Ctrl+Z after the Trash changed otherwise (the ids may mean other vouchers)", () => {
  const restores = (backend: ReturnType<typeof fakeBackend>) =>
    backend.log.filter((c) => c.cmd === "restore").map((c) => c.args);
  const undoToasts = (store: AppStore) => store.toasts.filter((t) => t.action?.testid === "toast-undo");

  async function trashedOne() {
    const backend = fakeBackend({
      vouchers: [voucher({ id: 1 }), voucher({ id: 2 })],
      pick: { folder: "/home/test/other-vault" },
    });
    const store = new AppStore(backend);
    await store.load();
    store.selection.single(0, 1);
    await store.trashSelected();
    expect(undoToasts(store)).toHaveLength(1);
    return { backend, store };
  }

  it("Empty Trash: nothing left to undo, and the Undo toast goes", async () => {
    const { backend, store } = await trashedOne();
    await store.emptyTrash();
    expect(undoToasts(store)).toEqual([]);
    await store.undo();
    expect(restores(backend)).toEqual([]);
  });

  it("a restore by hand: Ctrl+Z does not restore it again later, and the Undo toast goes", async () => {
    const { backend, store } = await trashedOne();
    await store.setScope({ type: "trash" });
    store.selection.single(0, 1);
    await store.restoreSelected();
    expect(undoToasts(store)).toEqual([]);
    // Moved to the Trash again by something else (not a move Ctrl+Z can undo).
    await backend.trash([1]);
    await store.undo();
    expect(restores(backend)).toEqual([{ ids: [1] }]);
  });

  it("the detail pane's Restore counts as a restore by hand too", async () => {
    const { backend, store } = await trashedOne();
    await store.open(1);
    await store.restore([1]);
    expect(undoToasts(store)).toEqual([]);
    await backend.trash([1]);
    await store.undo();
    expect(restores(backend)).toEqual([{ ids: [1] }]);
  });

  it("another vault opened: the old vault's ids restore nothing there, and the Undo toast goes", async () => {
    const { backend, store } = await trashedOne();
    expect(await store.switchVault(true)).toBeNull();
    // The new vault happens to hold a trashed voucher with the same id.
    backend.vouchers.push(voucher({ id: 1, deleted_at: "2026-12-01T00:00:00Z" }));
    expect(undoToasts(store)).toEqual([]);
    await store.undo();
    expect(restores(backend)).toEqual([]);
  });

  it("Ctrl+Z still undoes the last move when nothing else happened, and takes its toast away", async () => {
    const { backend, store } = await trashedOne();
    await store.undo();
    expect(restores(backend)).toEqual([{ ids: [1] }]);
    expect(undoToasts(store)).toEqual([]);
  });
});

describe("rows replaced in place stay replaced when an older page lands late", () => {
  /** Searches answer with the vault as it was when asked, but only when released. */
  function holdSearches(backend: ReturnType<typeof fakeBackend>) {
    const search = backend.search.bind(backend);
    let holding = false;
    const waiting: (() => void)[] = [];
    backend.search = async (req) => {
      const page = structuredClone(await search(req));
      if (holding) await new Promise<void>((r) => waiting.push(r));
      return page;
    };
    return {
      hold: () => (holding = true),
      release: () => {
        holding = false;
        for (const go of waiting.splice(0)) go();
      },
      waiting: () => waiting.length,
    };
  }
  const pending = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      // Oldest first is by id: voucher PAGE + 3 is on the second page.
      voucher({ id: i + 1, ocr_state: "pending", occurred_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() }),
    );
  const read = (backend: ReturnType<typeof fakeBackend>, id: number, merchant: string) =>
    Object.assign(backend.vouchers.find((v) => v.id === id)!, { ocr_state: "done", merchant });

  it("a page scrolled to, asked for before the OCR result, gets the fresh row when it lands", async () => {
    const backend = fakeBackend({ vouchers: pending(PAGE + 5) });
    const gate = holdSearches(backend);
    const r = new ResultsStore(backend);
    await r.set({ query: "", scope: all, order: "oldest" });
    gate.hold();
    r.ensure(PAGE, PAGE + 5);
    await expect.poll(gate.waiting).toBe(1);
    const id = PAGE + 3;
    expect(r.indexOf(id)).toBe(-1);
    read(backend, id, "Luckin");
    r.replace(await backend.summaries([id]));
    gate.release();
    await expect.poll(() => r.row(PAGE + 2)).toBeDefined();
    expect(r.row(r.indexOf(id))).toMatchObject({ id, ocr_state: "done", merchant: "Luckin" });
  });

  it("a refresh asked for before the OCR result does not put 'Reading…' back (through the app store)", async () => {
    const backend = fakeBackend({ vouchers: pending(3) });
    const gate = holdSearches(backend);
    const store = new AppStore(backend);
    await store.load();
    gate.hold();
    const refresh = store.refresh();
    await expect.poll(gate.waiting).toBeGreaterThan(0);
    read(backend, 2, "Bakery");
    await store.updateRows([2]);
    expect(store.results.row(store.results.indexOf(2))?.ocr_state).toBe("done");
    gate.release();
    await refresh;
    expect(store.results.row(store.results.indexOf(2))).toMatchObject({ ocr_state: "done", merchant: "Bakery" });
  });

  it("a page asked for after the rows were fetched is newer and keeps its own", async () => {
    const backend = fakeBackend({ vouchers: pending(PAGE + 5) });
    const r = new ResultsStore(backend);
    await r.set({ query: "", scope: all, order: "oldest" });
    const id = PAGE + 3;
    read(backend, id, "Luckin");
    const stamp = r.stamp();
    const rows = await backend.summaries([id]);
    // Edited by hand after the fetch; the page is asked for after that.
    backend.vouchers.find((v) => v.id === id)!.merchant = "Luckin Coffee";
    r.ensure(PAGE, PAGE + 5);
    r.replace(rows, stamp);
    await expect.poll(() => r.row(PAGE + 2)).toBeDefined();
    expect(r.row(r.indexOf(id))?.merchant).toBe("Luckin Coffee");
    // And the older rows do not go over a held page that is newer either.
    r.replace(rows, stamp);
    expect(r.row(r.indexOf(id))?.merchant).toBe("Luckin Coffee");
  });

  it("the fresh rows are let go when the search changes or the vault reloads", async () => {
    const backend = fakeBackend({ vouchers: pending(3) });
    const r = new ResultsStore(backend);
    await r.set({ query: "", scope: all, order: "newest" });
    r.replace(await backend.summaries([1, 2]));
    expect(r.freshCount).toBe(2);
    await r.set({ query: "", scope: all, order: "oldest" });
    expect(r.freshCount).toBe(0);
    r.replace(await backend.summaries([3]));
    expect(r.freshCount).toBe(1);
    await r.refresh();
    expect(r.freshCount).toBe(0);
  });
});
