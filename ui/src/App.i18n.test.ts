// The window in German, state after state: no English word from the English table may be
// on screen (text, titles, labels, placeholders). This catches a string that a component
// or the store builds in code instead of taking it from i18n. Text the core wrote (file
// names, its messages, marked `data-core`) and query syntax (`<code>`) are left out.

import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import App from "./App.svelte";
import { fakeBackend, voucher, type FakeOptions } from "./lib/ipc.fake";
import { AppStore } from "./lib/stores/app.svelte";
import { en } from "./lib/i18n/en";
import { de } from "./lib/i18n/de";
import { i18n } from "./lib/i18n/index.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = "";
  i18n.system = "en-GB";
  i18n.set("system");
});

const words = (s: string) => (s.toLowerCase().match(/\p{L}[\p{L}'’]+/gu) ?? []).filter((w) => w.length >= 3);
const GERMAN = new Set(Object.values(de).flatMap(words));
/** Words that only English uses. */
const ENGLISH = new Set(Object.values(en).flatMap(words).filter((w) => !GERMAN.has(w)));

/** English words on screen now (after leaving out the core's text and query syntax). */
function englishOnScreen(): string[] {
  const root = document.body.cloneNode(true) as HTMLElement;
  for (const el of root.querySelectorAll("[data-core], code, script, style")) el.remove();
  const texts = [root.textContent ?? ""];
  for (const el of root.querySelectorAll("*")) {
    for (const a of ["title", "aria-label", "placeholder", "alt"]) {
      const v = el.getAttribute(a);
      if (v) texts.push(v);
    }
  }
  const found = new Set<string>();
  for (const t of texts) for (const w of words(t)) if (ENGLISH.has(w)) found.add(w);
  return [...found];
}

const one = (id: string) => {
  const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no [data-testid="${id}"]`);
  return el;
};
const settle = async (check: () => void) => {
  await expect
    .poll(() => {
      flushSync();
      try {
        check();
        return true;
      } catch {
        return false;
      }
    })
    .toBe(true);
};

async function render(opts: FakeOptions) {
  i18n.system = "de-DE";
  const backend = fakeBackend({ dir: "/home/anna/Tresor", ...opts });
  const store = new AppStore(backend);
  app = mount(App, { target: document.body, props: { store } });
  await store.load();
  await store.listen();
  flushSync();
  return { store, backend };
}

// Names, tags and texts a German user would have: no English words in the data itself.
const src = (name: string) => ({
  original_name: name,
  sources: [{ path: `/home/anna/Belege/${name}`, added_at: "2026-10-05T09:00:00+00:00" }],
});
const VOUCHERS = [
  voucher({ id: 1, ...src("kassenbon-1.png"), merchant: "Bäckerei Schmidt", amount: { minor: 450, currency: "EUR" }, tags: ["steuer"], needs_review: true, confidence: { merchant: 0.4, amount: 0.9, date: 0.5, order_ref: null, payment_method: null }, ocr_state: "done", ocr_text: "Brezel 4,50" }),
  voucher({ id: 2, ...src("scan-2.png"), occurred_source: "added", ocr_state: "pending" }),
  voucher({ id: 3, ...src("foto-3.jpg"), occurred_source: "file_mtime", tax: { minor: 70, currency: "EUR" } }),
  voucher({
    id: 4,
    ...src("bestellung.eml"),
    kind: "email",
    media_type: "message/rfc822",
    text: "Vielen Dank",
    email: { from: "shop@example.de", to: "anna@example.de", subject: "Ihre Bestellung", date: "2026-10-01T10:00:00+02:00", message_id: null },
    attachments: [5],
  }),
  voucher({ id: 5, ...src("rechnung.pdf"), kind: "pdf", media_type: "application/pdf", parent_id: 4, in_emails: [4], deleted_at: "2026-10-06T09:00:00+00:00" }),
];

describe("the window in German", () => {
  it("shows no English anywhere a person looks", async () => {
    const seen: Record<string, string[]> = {};
    const look = (step: string) => {
      flushSync();
      const w = englishOnScreen();
      if (w.length) seen[step] = w;
    };
    const { store, backend } = await render({
      vouchers: VOUCHERS,
      savedSearches: [{ id: 9, name: "Große", query: "amount:>100", scope: { type: "all" }, created_at: "" }],
      pick: { files: ["/in/neu.png", "/in/kaputt.pdf", "/in/leer.pdf"], save: "/home/anna/paket.zip" },
      failPaths: { "/in/leer.pdf": { code: "bad_file", message: "Datei ist leer" } },
      unreadablePaths: { "/in/kaputt.pdf": { code: "bad_file", message: "PDF beschädigt" } },
      corrupt: [1, 3],
      repairable: [1],
      exportFiles: 6,
    });
    expect(document.documentElement.lang).toBe("de");
    look("list");

    store.selection.single(0, 1);
    look("selection");
    await store.open(1);
    await settle(() => one("facts"));
    look("detail image");
    (one("fact-date") as HTMLInputElement).value = "99.99.2026";
    one("fact-date").dispatchEvent(new Event("input", { bubbles: true }));
    one("fact-date").dispatchEvent(new Event("change", { bubbles: true }));
    await settle(() => one("fact-date-error"));
    look("date error");
    await store.open(3);
    await settle(() => one("no-payment-date"));
    look("detail undated");
    await store.open(4);
    await settle(() => one("email-view"));
    look("detail email");
    store.close();

    for (const chip of ["merchant", "tag", "kind", "date", "amount"]) {
      one(`chip-${chip}`).click();
      flushSync();
      look(`chip ${chip}`);
      one(`chip-${chip}`).click();
    }
    await store.searchNow("amount:>=1EUR tag:steuer");
    look("chips applied");
    await store.searchNow("");

    backend.emitOcrProgress({ done: 3, total: 14, id: null });
    await settle(() => one("ocr-status"));
    look("ocr");

    await store.addFiles();
    await settle(() => one("import-summary"));
    look("import summary");
    store.importTask = null;

    one("export").click();
    flushSync();
    look("export menu");
    one("export-bundle").click();
    await settle(() => one("export-done"));
    look("export done");
    store.dialog = null;

    one("verify-vault").click();
    await settle(() => one("verify-report"));
    one("verify-repair").click();
    await settle(() => one("verify-repaired"));
    look("verify");
    store.dialog = null;

    one("open-settings").click();
    await settle(() => one("settings"));
    look("settings");
    store.dialog = null;

    window.dispatchEvent(new KeyboardEvent("keydown", { key: "F1", bubbles: true }));
    await settle(() => one("help-search"));
    look("help guide");
    one("help-tab-about").click();
    flushSync();
    look("help about");
    store.dialog = null;

    store.selection.single(0, 1);
    await store.trashSelected();
    await settle(() => one("toast-undo"));
    look("toast");
    await store.setScope({ type: "trash" });
    look("trash");
    await store.emptyTrash();
    await settle(() => one("no-results"));
    look("trash empty");

    expect(JSON.stringify(seen)).toBe("{}");
  });

  it("whole sentences: the export result and a voucher without a name, in German and Chinese", async () => {
    const { store } = await render({
      vouchers: [
        voucher({ id: 1234, title: "", original_name: "", sources: [] }),
        voucher({ id: 2, ...src("Quittung.png") }),
        voucher({ id: 3, ...src("Rechnung.pdf") }),
      ],
      exportFiles: 4,
      pick: { save: "/home/anna/Beweis.zip" },
    });
    const title = () => document.querySelector('[data-id="1234"] [data-testid="title"]')?.textContent;
    // An id is a name, not a quantity: no thousands separator.
    expect(title()).toBe("Beleg 1234");

    one("export").click();
    flushSync();
    one("export-bundle").click();
    await settle(() => one("export-done"));
    expect(one("export-sentence").textContent).toBe("3 Belege (4 Dateien, 3,6 KB) nach /home/anna/Beweis.zip exportiert");
    expect(one("export-path").textContent).toBe("/home/anna/Beweis.zip");
    i18n.set("zh");
    flushSync();
    expect(one("export-sentence").textContent).toBe("已将 3 张票据（4 个文件，3.6 KB）导出到 /home/anna/Beweis.zip");
    expect(title()).toBe("票据 1234");

    store.dialog = null;
    store.exportTask = null;
    flushSync();
    one("export").click();
    flushSync();
    one("export-csv").click();
    await settle(() => one("export-done"));
    expect(one("export-sentence").textContent).toBe("已将 3 张票据导出到 /home/anna/Beweis.zip");
    i18n.set("de");
    flushSync();
    expect(one("export-sentence").textContent).toBe("3 Belege nach /home/anna/Beweis.zip exportiert");
    i18n.set("en");
    flushSync();
    expect(one("export-sentence").textContent).toBe("Exported 3 vouchers to /home/anna/Beweis.zip");
    expect(title()).toBe("Voucher 1234");
  });

  it("the empty vault and a vault that cannot open speak German too", async () => {
    await render({ vouchers: [] });
    await settle(() => one("empty"));
    expect(englishOnScreen()).toEqual([]);
    unmount(app!);
    app = null;
    document.body.innerHTML = "";
    await render({ error: { code: "io", message: "/v: Zugriff verweigert" } });
    expect(englishOnScreen()).toEqual([]);
  });
});
