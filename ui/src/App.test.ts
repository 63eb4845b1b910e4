import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import App from "./App.svelte";
import { fakeBackend, voucher, type FakeBackend, type FakeOptions } from "./lib/ipc.fake";
import { AppStore } from "./lib/stores/app.svelte";
import { inTimeZone } from "./test/timezone";
import { i18n } from "./lib/i18n/index.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = "";
});

async function render(opts: FakeOptions): Promise<{ store: AppStore; backend: FakeBackend }> {
  const backend = fakeBackend(opts);
  const store = new AppStore(backend);
  app = mount(App, { target: document.body, props: { store } });
  await store.load();
  flushSync();
  return { store, backend };
}

const all = (id: string) => Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
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
  check();
};

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}
function change(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

describe("window", () => {
  it("shows the rows with their columns and marks itself ready", async () => {
    await render({
      dir: "/home/ana/vault",
      vouchers: [
        voucher({
          id: 1,
          kind: "email",
          merchant: "Shop",
          amount: { minor: 4999, currency: "EUR" },
          title: "Your receipt",
          tags: ["tax"],
          occurred_at: "2026-10-03T10:00:00+00:00",
        }),
        voucher({ id: 2, original_name: "screenshot.png", occurred_at: "2026-09-01T08:00:00+00:00" }),
      ],
    });
    expect(one("vault-dir").textContent).toBe("/home/ana/vault");
    expect(one("voucher-count").dataset.count).toBe("2");
    expect(one("voucher-count").textContent).toBe("2");
    expect(one("voucher-count").parentElement!.textContent).toBe("2 vouchers");
    const rows = all("voucher-row");
    expect(rows).toHaveLength(2);
    const [email, image] = rows;
    expect(email!.querySelector('[data-testid="merchant"]')?.textContent?.trim()).toBe("Shop");
    expect(email!.querySelector('[data-testid="amount"]')?.textContent?.trim()).toBe("€49.99");
    // The same amount for machines (end-to-end tests), whatever the locale.
    expect(email!.querySelector<HTMLElement>('[data-testid="amount"]')?.dataset.amount).toBe("49.99 EUR");
    expect(email!.querySelector('[data-testid="date"]')?.textContent?.trim()).toBe("3 Oct 2026");
    expect(email!.querySelector('[data-testid="kind"]')?.textContent).toBe("Email");
    expect(email!.textContent).toContain("tax");
    expect(image!.querySelector('[data-testid="title"]')?.textContent).toBe("screenshot.png");
    expect(document.documentElement.dataset.ready).toBe("1");
    expect(document.body.dataset.ready).toBe("1");
    expect(performance.getEntriesByName("rv:interactive").length).toBeGreaterThan(0);
    expect(one("results").dataset.total).toBe("2");
  });

  it("sidebar shows the count of each collection, tags and saved searches", async () => {
    await render({
      vouchers: [
        voucher({ kind: "image", tags: ["tax", "travel"] }),
        voucher({ kind: "image", tags: ["tax"], needs_review: true }),
        voucher({ kind: "email" }),
        voucher({ kind: "pdf" }),
        voucher({ kind: "text" }),
        voucher({ kind: "other", deleted_at: "2026-10-05T00:00:00+00:00" }),
      ],
      savedSearches: [{ id: 9, name: "Big ones", query: "amount:>100", scope: { type: "all" }, created_at: "" }],
    });
    const count = (id: string) => one(id).querySelector('[data-testid="nav-count"]')?.textContent?.trim();
    expect(count("nav-all")).toBe("5");
    expect(count("nav-images")).toBe("2");
    expect(count("nav-emails")).toBe("1");
    expect(count("nav-pdfs")).toBe("1");
    expect(count("nav-other")).toBe("1");
    expect(count("nav-review")).toBe("1");
    expect(count("nav-trash")).toBe("1");
    const tags = all("nav-tag").map((t) => [t.dataset.tag, t.querySelector('[data-testid="nav-count"]')?.textContent]);
    expect(tags).toEqual([
      ["tax", "2"],
      ["travel", "1"],
    ]);
    expect(all("nav-saved")[0]?.textContent).toContain("Big ones");

    one("nav-images").click();
    await settle(() => expect(all("voucher-row")).toHaveLength(2));
  });

  it("a bad query shows the core's message under the field and keeps the results", async () => {
    const { store } = await render({
      vouchers: [voucher({ merchant: "Amazon" }), voucher({ merchant: "Lidl" })],
    });
    const input = one("search-input") as HTMLInputElement;
    type(input, "kind:car");
    await settle(() => expect(one("search-error").textContent).toContain("kind:car is not a kind"));
    expect(one("search-error").dataset.code).toBe("bad_query");
    expect(all("voucher-row")).toHaveLength(2);
    expect(one("results").dataset.query).toBe("");

    type(input, "merchant:lidl");
    await settle(() => expect(all("search-error")).toHaveLength(0));
    await settle(() => expect(all("voucher-row")).toHaveLength(1));
    expect(one("results").dataset.query).toBe("merchant:lidl");
    expect(store.results.total).toBe(1);
  });

  it("renders only a window of rows for 100,000 vouchers", async () => {
    const { backend } = await render({ bulk: 100_000 });
    const rows = all("voucher-row");
    expect(one("results").dataset.total).toBe("100000");
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(80);
    expect(rows[0]?.dataset.id).toBe("1000000");
    const spacer = one("list-viewport").firstElementChild as HTMLElement;
    expect(parseInt(spacer.style.height)).toBe(100_000 * 40);
    for (const c of backend.log.filter((l) => l.cmd === "search"))
      expect((c.args as { limit: number }).limit).toBeLessThanOrEqual(200);

    // Scroll to the middle: the rows there are fetched and drawn, still only a window.
    const vp = one("list-viewport");
    vp.scrollTop = 2_000_000;
    vp.dispatchEvent(new Event("scroll"));
    await settle(() => expect(all("voucher-row").some((r) => r.dataset.index === "50000" && r.dataset.id)).toBe(true));
    expect(all("voucher-row").length).toBeLessThan(80);
  });

  it("filter chips edit the query text", async () => {
    const { store } = await render({ vouchers: [voucher({ merchant: "Amazon", amount: { minor: 2500, currency: "EUR" } })] });
    one("chip-amount").click();
    flushSync();
    const input = one("chip-amount-input") as HTMLInputElement;
    type(input, ">=20");
    flushSync();
    (one("chip-pop-amount") as HTMLFormElement).requestSubmit();
    // The chip says which currency (the vault's first listed one is offered).
    expect((one("chip-amount-currency") as HTMLInputElement).value).toBe("EUR");
    await settle(() => expect(store.query).toBe("amount:>=20EUR"));
    expect((one("search-input") as HTMLInputElement).value).toBe("amount:>=20EUR");
    await settle(() => expect(one("results").dataset.query).toBe("amount:>=20EUR"));
    expect(all("voucher-row")).toHaveLength(1);
    one("chip-clear-amount").click();
    await settle(() => expect(store.query).toBe(""));
  });

  it("keyboard: arrows move, Enter opens, Delete trashes with Undo, Escape closes", async () => {
    const { store } = await render({ vouchers: [voucher({ id: 1, merchant: "A" }), voucher({ id: 2, merchant: "B" })] });
    const key = (k: string, extra: KeyboardEventInit = {}) =>
      window.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, ...extra }));
    key("ArrowDown");
    await settle(() => expect(store.selection.cursor).toBe(0));
    key("ArrowDown");
    await settle(() => expect(store.selection.cursor).toBe(1));
    key("Enter");
    await settle(() => expect(one("detail").dataset.id).toBe(String(all("voucher-row")[1]?.dataset.id)));
    key("Escape");
    await settle(() => expect(all("detail")).toHaveLength(0));
    key("a", { ctrlKey: true });
    expect(store.selectedCount).toBe(2);
    key("k", { ctrlKey: true });
    expect(document.activeElement).toBe(one("search-input"));
    (document.activeElement as HTMLElement).blur();
    store.selection.single(0, 1);
    key("Delete");
    await settle(() => expect(one("toast").textContent).toContain("Moved 1 voucher to Trash"));
    expect(all("voucher-row")).toHaveLength(1);
    one("toast-undo").click();
    await settle(() => expect(all("voucher-row")).toHaveLength(2));
  });
});

describe("more of the window", () => {
  it("the grid view shows tiles, virtualized too", async () => {
    await render({ bulk: 100_000 });
    one("view-grid").click();
    await settle(() => expect(one("results").dataset.view).toBe("grid"));
    const tiles = all("voucher-row");
    expect(tiles.length).toBeGreaterThan(5);
    expect(tiles.length).toBeLessThan(120);
  });

  it("saves the current search in the sidebar and deletes it", async () => {
    const { store } = await render({ vouchers: [voucher({ merchant: "Amazon" })] });
    await store.searchNow("merchant:amazon");
    one("save-search").click();
    flushSync();
    const name = one("save-search-name") as HTMLInputElement;
    type(name, "Amazon orders");
    (name.form as HTMLFormElement).requestSubmit();
    await settle(() => expect(all("nav-saved").map((s) => s.textContent?.trim())).toEqual(["Amazon orders"]));
    await store.searchNow("");
    all("nav-saved")[0]!.click();
    await settle(() => expect(store.query).toBe("merchant:amazon"));
    (document.querySelector('[aria-label="Delete saved search Amazon orders"]') as HTMLElement).click();
    await settle(() => expect(all("nav-saved")).toHaveLength(0));
  });

  it("Ctrl+V with an image on the clipboard adds it as a voucher", async () => {
    const { backend } = await render({ vouchers: [] });
    const png = new File([new Uint8Array([137, 80, 78, 71])], "image.png", { type: "image/png" });
    const e = new Event("paste", { bubbles: true, cancelable: true }) as ClipboardEvent;
    Object.defineProperty(e, "clipboardData", {
      value: { items: [{ kind: "file", type: "image/png", getAsFile: () => png }] },
    });
    window.dispatchEvent(e);
    await settle(() => expect(all("voucher-row")).toHaveLength(1));
    const call = backend.log.find((c) => c.cmd === "import_bytes")?.args as { name: string; size: number };
    expect(call.size).toBe(4);
    expect(call.name).toMatch(/^Pasted image .*\.png$/);
    expect(one("toast").textContent).toContain("Added the pasted image");
  });
});

describe("detail pane", () => {
  it("editing the amount calls edit_voucher and marks it as the user's", async () => {
    const { backend } = await render({
      vouchers: [
        voucher({
          id: 5,
          merchant: "Cafe",
          amount: { minor: 450, currency: "EUR" },
          confidence: { merchant: 0.9, amount: 0.4, date: null, order_ref: null, payment_method: null },
        }),
      ],
    });
    all("voucher-row")[0]!.click();
    await settle(() => expect(one("fact-amount")).toBeTruthy());
    const amount = one("fact-amount") as HTMLInputElement;
    expect(amount.value).toBe("4.50");
    expect(amount.dataset.origin).toBe("extracted");
    expect(one("confidence-amount").textContent).toContain("40 %");
    expect(one("factbox-amount").classList.contains("low")).toBe(true);

    change(amount, "5,20");
    await settle(() => expect(all("edited-amount")).toHaveLength(1));
    expect(backend.log.find((c) => c.cmd === "edit_voucher")?.args).toEqual({
      id: 5,
      edit: { amount: { minor: 520, currency: "EUR" } },
    });
    expect((one("fact-amount") as HTMLInputElement).dataset.origin).toBe("user");
    expect(one("save-status").textContent).toContain("Saved");
    await settle(() => expect(all("voucher-row")[0]?.querySelector('[data-testid="amount"]')?.textContent?.trim()).toBe("€5.20"));
  });

  it("an invalid amount shows an inline error by code and saves nothing", async () => {
    const { backend } = await render({ vouchers: [voucher({ id: 5, amount: { minor: 450, currency: "EUR" } })] });
    all("voucher-row")[0]!.click();
    await settle(() => expect(one("fact-amount")).toBeTruthy());
    change(one("fact-amount") as HTMLInputElement, "12.3x");
    await settle(() => expect(one("error-amount").dataset.code).toBe("invalid"));
    expect(one("error-amount").textContent).toContain("not an amount");
    change(one("fact-currency") as HTMLInputElement, "EURO");
    await settle(() => expect(one("error-amount").textContent).toContain("not a currency code"));
    expect(backend.log.filter((c) => c.cmd === "edit_voucher")).toHaveLength(0);
  });

  it("emptying a fact clears it: null is sent, not an empty string", async () => {
    const { backend } = await render({
      vouchers: [
        voucher({
          id: 8,
          merchant: "Cafe",
          amount: { minor: 450, currency: "EUR" },
          payment_method: { value: "Visa", origin: "extracted" },
          order_ref: { value: "A-1", origin: "extracted" },
        }),
      ],
    });
    all("voucher-row")[0]!.click();
    await settle(() => expect(one("fact-amount")).toBeTruthy());
    change(one("fact-amount") as HTMLInputElement, "  ");
    await settle(() => expect(backend.log.filter((c) => c.cmd === "edit_voucher")).toHaveLength(1));
    expect(backend.log.find((c) => c.cmd === "edit_voucher")?.args).toEqual({ id: 8, edit: { amount: null } });
    await settle(() => expect(all("voucher-row")[0]?.querySelector('[data-testid="amount"]')?.textContent?.trim()).toBe("—"));
    expect((one("fact-amount") as HTMLInputElement).value).toBe("");
    // Nothing left to clear: no second call.
    change(one("fact-amount") as HTMLInputElement, "");
    change(one("fact-merchant") as HTMLInputElement, "");
    change(one("fact-payment-method") as HTMLInputElement, "");
    change(one("fact-order-ref") as HTMLInputElement, " ");
    await settle(() => expect(backend.log.filter((c) => c.cmd === "edit_voucher")).toHaveLength(4));
    expect(backend.log.filter((c) => c.cmd === "edit_voucher").map((c) => (c.args as { edit: unknown }).edit)).toEqual([
      { amount: null },
      { merchant: null },
      { payment_method: null },
      { order_ref: null },
    ]);
    await settle(() => expect(one("save-status").textContent).toContain("Saved"));
    expect(backend.vouchers[0]).toMatchObject({ merchant: null, amount: null, payment_method: null, order_ref: null });
  });

  it("an amount without a currency is refused inline", async () => {
    const { backend } = await render({ vouchers: [voucher({ id: 5, amount: { minor: 450, currency: "EUR" } })] });
    all("voucher-row")[0]!.click();
    await settle(() => expect(one("fact-currency")).toBeTruthy());
    change(one("fact-currency") as HTMLInputElement, "");
    await settle(() => expect(one("error-amount").textContent).toContain("Add a currency code"));
    expect(backend.log.filter((c) => c.cmd === "edit_voucher")).toHaveLength(0);
  });

  it("adds and removes tags, marks reviewed", async () => {
    const { backend } = await render({ vouchers: [voucher({ id: 3, tags: ["old"], needs_review: true })] });
    all("voucher-row")[0]!.click();
    await settle(() => expect(one("tags-input")).toBeTruthy());
    const input = one("tags-input") as HTMLInputElement;
    type(input, "Tax");
    (input.form as HTMLFormElement).requestSubmit();
    await settle(() => expect(all("tag").map((t) => t.textContent?.trim())).toEqual(["old", "tax"]));
    one("remove-tag-old").click();
    await settle(() => expect(all("tag").map((t) => t.textContent?.trim())).toEqual(["tax"]));
    one("mark-reviewed").click();
    await settle(() => expect(all("reviewed")).toHaveLength(1));
    expect(backend.log.find((c) => c.cmd === "set_reviewed")?.args).toEqual({ ids: [3], reviewed: true });
  });

  it("shows an email's HTML in a sandboxed frame without scripts, with a CSP and the blocked count", async () => {
    await render({
      vouchers: [
        voucher({
          id: 8,
          kind: "email",
          media_type: "message/rfc822",
          text: "Thanks for your order",
          email: { from: "shop@example.com", to: "ana@example.com", subject: "Receipt", date: null, message_id: null },
        }),
      ],
      emailHtml: { 8: { html: "<p>Thanks <b>Ana</b></p>", blocked_remote: 2 } },
    });
    all("voucher-row")[0]!.click();
    await settle(() => expect(one("email-frame")).toBeTruthy());
    const frame = one("email-frame") as HTMLIFrameElement;
    expect(frame.hasAttribute("sandbox")).toBe(true);
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("sandbox")).not.toContain("allow-scripts");
    expect(frame.getAttribute("sandbox")).not.toContain("allow-same-origin");
    const doc = frame.getAttribute("srcdoc") ?? "";
    expect(doc).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`);
    expect(doc).toContain("<p>Thanks <b>Ana</b></p>");
    expect(one("email-blocked").textContent).toContain("2 remote images blocked");
    expect(one("email-headers").textContent).toContain("shop@example.com");
    one("email-view-text").click();
    await settle(() => expect(one("email-text").textContent).toContain("Thanks for your order"));
    expect(all("email-frame")).toHaveLength(0);
  });

  it("shows provenance, links to the parent email, and verifies the voucher", async () => {
    await render({
      vouchers: [
        voucher({ id: 20, kind: "email", title: "Order mail", attachments: [21] }),
        voucher({ id: 21, kind: "pdf", media_type: "application/pdf", parent_id: 20, in_emails: [20], original_name: "invoice.pdf" }),
      ],
      corrupt: [21],
    });
    const row = all("voucher-row").find((r) => r.dataset.id === "21")!;
    row.click();
    await settle(() => expect(one("original-name").textContent).toContain("invoice.pdf"));
    expect(one("sha256").textContent).toBe((21).toString(16).padStart(64, "0"));
    expect(all("preview-pdf")).toHaveLength(1);
    one("verify-voucher").click();
    await settle(() => expect(one("verify-voucher-result").dataset.ok).toBe("false"));
    one("parent-link").click();
    await settle(() => expect(one("detail").dataset.id).toBe("20"));
    await settle(() => expect(all("attachment-link")).toHaveLength(1));
  });

  it("names vouchers by id without a thousands separator ('voucher 1234', not '1,234')", async () => {
    await render({
      vouchers: [
        voucher({ id: 1234, kind: "email", title: "Order mail", attachments: [1235] }),
        voucher({ id: 1235, kind: "pdf", media_type: "application/pdf", parent_id: 1234, in_emails: [1234], original_name: "invoice.pdf" }),
      ],
    });
    all("voucher-row").find((r) => r.dataset.id === "1235")!.click();
    await settle(() => expect(one("parent-link").textContent).toBe("the email (voucher 1234)"));
    one("parent-link").click();
    await settle(() => expect(one("attachment-link").textContent).toBe("voucher 1235"));
  });

  it("shows OCR state and the recognised text", async () => {
    await render({
      vouchers: [voucher({ id: 4, ocr_state: "failed", ocr_error: "tesseract crashed", ocr_text: "" }), voucher({ id: 6, ocr_state: "done", ocr_text: "TOTAL 12.00" })],
    });
    all("voucher-row").find((r) => r.dataset.id === "4")!.click();
    await settle(() => expect(one("ocr-state").textContent).toContain("tesseract crashed"));
    all("voucher-row").find((r) => r.dataset.id === "6")!.click();
    await settle(() => expect(one("ocr-state").textContent).toContain("Text recognised"));
    one("toggle-text").click();
    await settle(() => expect(one("ocr-text").textContent).toBe("TOTAL 12.00"));
  });
});

describe("import, export, verify, settings", () => {
  it("Add files imports the picked paths and shows a summary with links and reasons", async () => {
    const { store } = await render({
      vouchers: [voucher({ id: 7, original_name: "old.png" })],
      pick: { files: ["/in/new.png", "/in/old.png", "/in/bad.pdf"] },
      failPaths: { "/in/bad.pdf": { code: "bad_file", message: "/in/bad.pdf: not a PDF (no %PDF header)" } },
    });
    one("add-files").click();
    await settle(() => expect(one("import-summary")).toBeTruthy());
    expect(one("import-added").textContent).toBe("1");
    expect(one("import-duplicates").textContent).toBe("1");
    expect(one("import-failed").textContent).toBe("1");
    expect(one("import-failed-item").textContent).toContain("Not a PDF (no %PDF header)");
    expect(one("nav-all").querySelector('[data-testid="nav-count"]')?.textContent).toBe("2");
    one("import-duplicate-link").click();
    await settle(() => expect(one("detail").dataset.id).toBe("7"));
    one("import-summary-close").click();
    await settle(() => expect(all("import-summary")).toHaveLength(0));
    expect(store.importTask).toBeNull();
  });

  it("the native dialogs get their titles in the window's language", async () => {
    const { backend } = await render({ vouchers: [voucher({ id: 1 })], pick: { files: [], folder: null } });
    i18n.set("de");
    one("add-files").click();
    await settle(() => expect(backend.log.some((c) => c.cmd === "pick_files")).toBe(true));
    one("add-folder").click();
    await settle(() => expect(backend.log.some((c) => c.cmd === "pick_folder")).toBe(true));
    const titles = backend.log
      .filter((c) => c.cmd.startsWith("pick_"))
      .map((c) => (c.args as { title?: string }).title);
    expect(titles).toEqual(["Dateien zum Tresor hinzufügen", "Ordner auswählen"]);
    i18n.set("system");
  });

  it("files dropped on the window are imported", async () => {
    const { backend } = await render({ vouchers: [] });
    backend.drop(["/tmp/receipt.pdf"]);
    await settle(() => expect(one("import-summary")).toBeTruthy());
    expect(backend.log.find((c) => c.cmd === "import_paths")?.args).toEqual({ paths: ["/tmp/receipt.pdf"] });
    await settle(() => expect(all("voucher-row")).toHaveLength(1));
  });

  it("exports a bundle with progress and offers Show in folder", async () => {
    const { backend } = await render({ vouchers: [voucher({ id: 1 }), voucher({ id: 2 })], pick: { save: "/out/e.zip" } });
    one("export").click();
    flushSync();
    one("export-bundle").click();
    await settle(() => expect(one("export-done").textContent).toContain("/out/e.zip"));
    expect(one("export-sentence").textContent).toBe("Exported 2 vouchers (2.4 KB) to /out/e.zip");
    expect(one("export-path").textContent).toBe("/out/e.zip");
    one("show-in-folder").click();
    await settle(() => expect(backend.log.find((c) => c.cmd === "show_in_folder")?.args).toEqual({ path: "/out/e.zip" }));
  });

  it("verifies the vault and reports problems per voucher, or all intact", async () => {
    await render({ vouchers: [voucher({ id: 1 }), voucher({ id: 2 })] });
    one("verify-vault").click();
    await settle(() => expect(one("verify-report").dataset.ok).toBe("true"));
    expect(one("verify-report").textContent).toContain("All 2 originals intact");
    unmount(app!);
    app = null;
    document.body.innerHTML = "";
    await render({ vouchers: [voucher({ id: 1 }), voucher({ id: 2 })], corrupt: [2] });
    one("verify-vault").click();
    await settle(() => expect(one("verify-report").dataset.ok).toBe("false"));
    expect(one("verify-problem").textContent).toContain("changed or damaged");
    // Named by its file, not "voucher 2".
    expect(one("verify-problem-link").textContent?.trim()).toBe("receipt-2.png");
  });

  it("settings show the vault and open another one; a wrong folder says why", async () => {
    await render({ dir: "/v1", vouchers: [voucher()], pick: { folder: "/not/a/vault" } });
    one("open-settings").click();
    await settle(() => expect(one("settings-dir").textContent).toBe("/v1"));
    expect(one("settings-size").textContent).toBe("1.2 KB on disk");
    one("open-vault").click();
    await settle(() => expect(one("settings-error").dataset.code).toBe("not_a_vault"));
    expect(one("settings-error").textContent).toContain("This folder is not a Receipt Vault");
  });

  it("settings choose the vault's default currency, or follow the system again", async () => {
    const { backend } = await render({ vouchers: [voucher()], localeCurrency: "EUR" });
    one("open-settings").click();
    const select = () => one("settings-currency") as HTMLSelectElement;
    await settle(() => expect(select().disabled).toBe(false));
    expect(select().value).toBe("");
    expect(select().options[0]!.textContent?.trim()).toBe("From the system (EUR)");
    const codes = Array.from(select().options).map((o) => o.value);
    expect(codes).toEqual(expect.arrayContaining(["EUR", "USD", "GBP", "CHF", "JPY", "CNY", "MYR", "SGD"]));
    expect(one("settings").textContent).toContain("such totals go to Needs review");

    select().value = "MYR";
    select().dispatchEvent(new Event("change", { bubbles: true }));
    await settle(() => expect(backend.log.at(-1)).toEqual({ cmd: "set_default_currency", args: { code: "MYR" } }));
    expect((await backend.defaultCurrency()).currency).toBe("MYR");
    await settle(() => expect(select().disabled).toBe(false));
    expect(select().value).toBe("MYR");

    select().value = "";
    select().dispatchEvent(new Event("change", { bubbles: true }));
    await settle(() => expect(backend.log.at(-1)).toEqual({ cmd: "set_default_currency", args: { code: null } }));
    expect(await backend.defaultCurrency()).toEqual({ currency: "EUR", chosen: false, locale: "EUR" });
  });

  it("settings show a chosen currency not in the list, a locale without one, and errors", async () => {
    const { backend } = await render({ vouchers: [voucher()], localeCurrency: null, defaultCurrency: "KWD" });
    one("open-settings").click();
    const select = () => one("settings-currency") as HTMLSelectElement;
    await settle(() => expect(select().value).toBe("KWD"));
    expect(select().options[0]!.textContent?.trim()).toBe("From the system (none)");
    expect(select().options[1]!.value).toBe("KWD");

    // A code the vault refuses is shown like the dialog's other errors.
    const option = document.createElement("option");
    option.value = "XX1";
    select().append(option);
    select().value = "XX1";
    select().dispatchEvent(new Event("change", { bubbles: true }));
    await settle(() => expect(one("settings-currency-error").dataset.code).toBe("invalid"));
    expect(one("settings-currency-error").textContent).toContain("is not a currency code");
    expect(select().value).toBe("KWD");
    expect((await backend.defaultCurrency()).currency).toBe("KWD");
  });

  it("a vault that cannot open shows the reason and no retry for permanent errors", async () => {
    await render({ error: { code: "newer_schema", message: "/v: this vault has schema version 9" } });
    expect(one("error").textContent).toBe("/v: this vault has schema version 9");
    expect(document.body.textContent).toContain("written by a newer Receipt Vault");
    expect(all("voucher-row")).toHaveLength(0);
  });
});

describe("issue 9: search, keys, list and panels", () => {
  const key = (k: string, extra: KeyboardEventInit = {}, target: EventTarget = window) =>
    target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, ...extra }));
  const two = () => [voucher({ id: 1, merchant: "Amazon" }), voucher({ id: 2, merchant: "Lidl" })];

  it("Escape in the search box empties it and the applied query; All resets any query", async () => {
    const { store } = await render({ vouchers: two() });
    const input = one("search-input") as HTMLInputElement;
    input.focus();
    type(input, "merchant:lidl");
    await settle(() => expect(all("voucher-row")).toHaveLength(1));
    key("Escape", {}, input);
    expect(input.value).toBe("");
    expect(store.query).toBe("");
    await settle(() => expect(all("voucher-row")).toHaveLength(2));
    expect(one("results").dataset.query).toBe("");
    expect(document.activeElement).toBe(input); // the first Escape only empties

    type(input, "merchant:amazon");
    await settle(() => expect(all("voucher-row")).toHaveLength(1));
    one("nav-all").click();
    await settle(() => expect(all("voucher-row")).toHaveLength(2));
    expect(store.query).toBe("");
    expect(input.value).toBe("");

    // WebKit's own clearing of a search field fires `search`, not `input`.
    type(input, "merchant:amazon");
    await settle(() => expect(all("voucher-row")).toHaveLength(1));
    input.value = "";
    input.dispatchEvent(new Event("search"));
    await settle(() => expect(all("voucher-row")).toHaveLength(2));
  });

  it("a query applied but not in the field is shown, with a way to clear it", async () => {
    const { store } = await render({ vouchers: two() });
    await store.searchNow("merchant:lidl");
    store.query = ""; // the field was emptied without a search (what finding 2 saw)
    await settle(() => expect(one("query-applied").textContent).toContain("merchant:lidl"));
    (one("query-applied").querySelector("button") as HTMLElement).click();
    await settle(() => expect(all("voucher-row")).toHaveLength(2));
    expect(all("query-applied")).toHaveLength(0);
  });

  it("Ctrl+Z brings back what Delete moved to the Trash", async () => {
    const { store, backend } = await render({ vouchers: two() });
    store.selection.single(0, all("voucher-row")[0]!.dataset.id === "1" ? 1 : 2);
    key("Delete");
    await settle(() => expect(all("voucher-row")).toHaveLength(1));
    key("z", { ctrlKey: true });
    await settle(() => expect(all("voucher-row")).toHaveLength(2));
    expect(backend.calls.filter((c) => c === "restore")).toHaveLength(1);
    // Its Undo toast went with it; the Restored toast says what happened.
    expect(all("toast-undo")).toHaveLength(0);
    expect(one("toast").textContent).toContain("Restored 1 voucher");
    // Nothing left to undo.
    key("z", { ctrlKey: true });
    await new Promise((r) => setTimeout(r, 10));
    expect(backend.calls.filter((c) => c === "restore")).toHaveLength(1);
  });

  it("column headers sort, a second click turns the direction", async () => {
    const { store, backend } = await render({
      vouchers: [
        voucher({ id: 1, merchant: "Zeta", amount: { minor: 100, currency: "EUR" }, occurred_at: "2026-01-01T00:00:00+00:00", added_at: "2026-10-02T00:00:00+00:00" }),
        voucher({ id: 2, merchant: "Alpha", amount: { minor: 900, currency: "EUR" }, occurred_at: "2026-05-01T00:00:00+00:00", added_at: "2026-10-01T00:00:00+00:00" }),
        voucher({ id: 3, merchant: "Mid", amount: { minor: 500, currency: "EUR" }, occurred_at: "2026-03-01T00:00:00+00:00", added_at: "2026-10-03T00:00:00+00:00" }),
      ],
    });
    const ids = () => all("voucher-row").map((r) => r.dataset.id);
    const sortOf = (col: string) => one(`sort-${col}`).parentElement!.getAttribute("aria-sort");
    expect(ids()).toEqual(["2", "3", "1"]);
    expect(sortOf("date")).toBe("descending");
    const steps: [string, string, string[], string][] = [
      ["date", "oldest", ["1", "3", "2"], "ascending"],
      ["date", "newest", ["2", "3", "1"], "descending"],
      ["amount", "amount_desc", ["2", "3", "1"], "descending"],
      ["amount", "amount_asc", ["1", "3", "2"], "ascending"],
      ["merchant", "merchant", ["2", "3", "1"], "ascending"],
      ["added", "added", ["3", "1", "2"], "descending"],
    ];
    for (const [col, order, want, aria] of steps) {
      one(`sort-${col}`).click();
      await settle(() => expect(ids()).toEqual(want));
      expect(store.order).toBe(order);
      expect(sortOf(col)).toBe(aria);
      expect((one("sort") as HTMLSelectElement).value).toBe(order);
    }
    expect(backend.log.filter((c) => c.cmd === "search").some((c) => (c.args as { order: string }).order === "added")).toBe(true);
  });

  it("selecting a row does not change what the toolbar holds (nothing reflows)", async () => {
    const { store } = await render({ vouchers: two() });
    const shape = () =>
      Array.from(document.querySelectorAll(".toolbar button, .toolbar select")).map(
        (b) => (b as HTMLElement).dataset.testid ?? b.tagName,
      );
    const before = shape();
    expect((one("trash-selected") as HTMLButtonElement).disabled).toBe(true);
    expect(one("trash-selected").classList.contains("idle")).toBe(true);
    store.selection.single(0, 1);
    flushSync();
    expect(shape()).toEqual(before);
    expect((one("trash-selected") as HTMLButtonElement).disabled).toBe(false);
    expect(one("trash-selected").classList.contains("idle")).toBe(false);
    expect(one("result-count").textContent).toContain("1 of 2");
  });

  it("the sidebar shows the vault path as written, cut at its start when long", async () => {
    await render({ dir: "/home/ann/Receipt Vault", vouchers: [] });
    const dir = one("vault-dir");
    expect(dir.textContent).toBe("/home/ann/Receipt Vault");
    expect(dir.getAttribute("dir")).toBeNull();
    expect(dir.outerHTML).not.toContain("rtl");
    unmount(app!);
    app = null;
    document.body.innerHTML = "";
    const long = "/home/ann/Documents/Finances/Private/Receipt Vault";
    await render({ dir: long, vouchers: [] });
    expect(one("vault-dir").textContent).toBe("…/Private/Receipt Vault");
    expect(one("vault-dir").dataset.dir).toBe(long);
    expect(one("vault-dir").parentElement!.title).toContain(long);
  });

  it("the detail pane shows a voucher's new state after Restore", async () => {
    const { store } = await render({ vouchers: [voucher({ id: 1, deleted_at: "2026-10-05T00:00:00+00:00" })] });
    await store.setScope({ type: "trash" });
    all("voucher-row")[0]!.click();
    await settle(() => expect(one("in-trash")).toBeTruthy());
    one("restore-one").click();
    await settle(() => expect(all("in-trash")).toHaveLength(0));
    expect(one("trash-one")).toBeTruthy();
    expect(all("voucher-row")).toHaveLength(0);
  });

  it("a clean import summary closes by itself; one with problems stays until closed", async () => {
    const { store } = await render({
      vouchers: [],
      pick: { files: ["/in/a.png"] },
    });
    store.importCloseMs = 300;
    one("add-files").click();
    await settle(() => expect(one("import-summary")).toBeTruthy());
    expect(one("import-summary-close")).toBeTruthy();
    await settle(() => expect(all("import-summary")).toHaveLength(0));

    unmount(app!);
    app = null;
    document.body.innerHTML = "";
    const next = await render({
      vouchers: [],
      pick: { files: ["/in/b.pdf"] },
      failPaths: { "/in/b.pdf": { code: "bad_file", message: "not a PDF" } },
    });
    next.store.importCloseMs = 30;
    one("add-files").click();
    await settle(() => expect(one("import-summary")).toBeTruthy());
    await new Promise((r) => setTimeout(r, 80));
    expect(all("import-summary")).toHaveLength(1);
    one("import-summary-close").click();
    await settle(() => expect(all("import-summary")).toHaveLength(0));
  });

  it("a filter the core refused is no active chip", async () => {
    const { store } = await render({ vouchers: [voucher({ amount: { minor: 2500, currency: "EUR" } })] });
    await store.searchNow("amount:abc");
    flushSync();
    expect(one("search-error").dataset.code).toBe("bad_query");
    expect(one("chip-amount").classList.contains("active")).toBe(false);
    expect(all("chip-clear-amount")).toHaveLength(0);
    await store.searchNow("amount:>=20EUR");
    await settle(() => expect(one("chip-amount").classList.contains("active")).toBe(true));
    expect(one("chip-amount").textContent).toContain(">=20EUR");
  });

  it("the amount chip refuses an amount without a currency or one it cannot read", async () => {
    const { store } = await render({ vouchers: [] });
    one("chip-amount").click();
    flushSync();
    type(one("chip-amount-input") as HTMLInputElement, "lots");
    flushSync();
    (one("chip-pop-amount") as HTMLFormElement).requestSubmit();
    flushSync();
    expect(one("chip-amount-error").textContent).toContain("49.99");
    type(one("chip-amount-input") as HTMLInputElement, "10..50");
    type(one("chip-amount-currency") as HTMLInputElement, "");
    flushSync();
    (one("chip-pop-amount") as HTMLFormElement).requestSubmit();
    flushSync();
    expect(one("chip-amount-error").textContent).toContain("currency code");
    expect(store.query).toBe("");
    type(one("chip-amount-currency") as HTMLInputElement, "cny");
    flushSync();
    (one("chip-pop-amount") as HTMLFormElement).requestSubmit();
    await settle(() => expect(store.query).toBe("amount:10..50CNY"));
  });

  it("verify of an empty vault says there is nothing to check", async () => {
    await render({ vouchers: [] });
    await settle(() => expect(one("empty")).toBeTruthy());
    one("verify-vault").click();
    await settle(() => expect(one("verify-report")).toBeTruthy());
    expect(one("verify-ok").textContent).toContain("The vault is empty: nothing to check");
    expect(one("verify-report").textContent).not.toContain("0 originals");
  });

  it("export says how many files when they differ from the vouchers", async () => {
    await render({
      vouchers: [voucher({ id: 1 }), voucher({ id: 2 }), voucher({ id: 3 }), voucher({ id: 4 })],
      exportFiles: 5,
    });
    one("export").click();
    flushSync();
    one("export-bundle").click();
    await settle(() => expect(one("export-done")).toBeTruthy());
    expect(one("export-sentence").textContent).toMatch(/^Exported 4 vouchers \(5 files, 4\.8 KB\) to \/home\/test\/evidence-[\d-]+\.zip$/);
  });
});

describe("issue 9: contract items in the window", () => {
  it("Recently added is one click away and lists the newest additions first", async () => {
    const { store } = await render({
      vouchers: [
        voucher({ id: 1, occurred_at: "2026-12-01T00:00:00+00:00", added_at: "2026-01-01T00:00:00+00:00" }),
        voucher({ id: 2, occurred_at: "2018-03-01T00:00:00+00:00", added_at: "2026-12-04T00:00:00+00:00" }),
      ],
    });
    expect(all("voucher-row").map((r) => r.dataset.id)).toEqual(["1", "2"]);
    one("nav-recent").click();
    await settle(() => expect(all("voucher-row").map((r) => r.dataset.id)).toEqual(["2", "1"]));
    expect(store.order).toBe("added");
    expect(one("nav-recent").classList.contains("active")).toBe(true);
    expect(one("nav-all").classList.contains("active")).toBe(false);
    expect(Array.from((one("sort") as HTMLSelectElement).options).map((o) => o.textContent)).toContain("Recently added");
    one("nav-all").click();
    await settle(() => expect(store.order).toBe("newest"));
  });

  it("a date known only from the file or the import is greyed as 'added …', not a payment date", async () => {
    const { backend } = await render({
      vouchers: [
        voucher({ id: 1, occurred_at: "2026-10-03T10:00:00+00:00", occurred_source: "text" }),
        voucher({ id: 2, occurred_at: "2026-12-04T09:00:00+00:00", added_at: "2026-12-04T09:00:00+00:00", occurred_source: "file_mtime" }),
        voucher({ id: 3, occurred_at: "2026-12-02T09:00:00+00:00", added_at: "2026-12-02T09:00:00+00:00", occurred_source: "added" }),
      ],
    });
    const date = (id: string) => all("voucher-row").find((r) => r.dataset.id === id)!.querySelector<HTMLElement>('[data-testid="date"]')!;
    expect(date("1").textContent?.trim()).toBe("3 Oct 2026");
    expect(date("1").dataset.undated).toBeUndefined();
    expect(date("2").textContent?.trim()).toMatch(/^added 4 Dec( 2026)?$/);
    expect(date("2").dataset.undated).toBe("true");
    expect(date("2").title).toContain("No payment date was found");
    expect(date("3").title).toContain("No payment date was found");
    // Dated ones first in "newest", and date filters leave the undated out.
    expect(all("voucher-row")[0]!.dataset.id).toBe("1");
    const hits = await backend.search({ query: "after:2026-01-01", scope: { type: "all" }, order: "newest", offset: 0, limit: 10 });
    expect(hits.hits.map((h) => h.id)).toEqual([1]);

    all("voucher-row").find((r) => r.dataset.id === "2")!.click();
    await settle(() => expect(one("fact-date")).toBeTruthy());
    expect((one("fact-date") as HTMLInputElement).value).toBe("");
    expect(one("no-payment-date").textContent).toContain("No payment date was found");
  });

  it("'added 4 Dec' is the day it was added on this machine's clock, not in UTC", async () => {
    await inTimeZone("Pacific/Auckland", async () => {
      // Added at 09:00 on 4 Dec in Auckland, which is still 3 Dec in UTC.
      const year = new Date().getFullYear();
      await render({
        vouchers: [
          voucher({
            id: 1,
            occurred_at: `${year}-12-03T20:00:00Z`,
            added_at: `${year}-12-03T20:00:00Z`,
            occurred_source: "added",
            sources: [{ path: "/home/test/r.png", added_at: `${year}-12-03T20:00:00Z` }],
          }),
        ],
      });
      const row = all("voucher-row")[0]!;
      expect(row.querySelector('[data-testid="date"]')?.textContent?.trim()).toBe("added 4 Dec");
      expect(row.querySelector('[data-testid="date"]')?.getAttribute("title")).toContain(`4 Dec ${year}`);
      expect(row.querySelector('[data-testid="added"]')?.textContent?.trim()).toBe("4 Dec");
      row.click();
      await settle(() => expect(one("provenance")).toBeTruthy());
      expect(one("provenance").textContent).toContain(`4 Dec ${year}, 09:00`);
      expect(one("no-payment-date").textContent).toContain(`4 Dec ${year}`);
      one("view-grid").click();
      await settle(() => expect(one("results").dataset.view).toBe("grid"));
      expect(one("results").textContent).toContain("added 4 Dec");
    });
  });

  it("lists unreadable files in the import summary, each opening its voucher", async () => {
    await render({
      vouchers: [],
      pick: { files: ["/in/ok.png", "/in/random.pdf"] },
      unreadablePaths: { "/in/random.pdf": { code: "bad_file", message: "/in/random.pdf: the PDF could not be parsed: no xref" } },
    });
    one("add-files").click();
    await settle(() => expect(one("import-summary")).toBeTruthy());
    expect(one("import-added").textContent).toBe("2");
    expect(one("import-unreadable").textContent).toBe("1");
    expect(one("import-failed").textContent).toBe("0");
    expect(one("import-unreadable-item").textContent).toContain("random.pdf");
    expect(one("import-unreadable-item").textContent).toContain("The PDF could not be parsed: no xref");
    const link = one("import-unreadable-link");
    link.click();
    await settle(() => expect(one("detail").dataset.id).toBe(link.dataset.id));
    // Problems keep the summary up.
    expect(one("import-summary")).toBeTruthy();
    // What was just added is one click away.
    one("import-show-added").click();
    await settle(() => expect(all("voucher-row")[0]?.dataset.id).toBe(link.dataset.id));
    expect(one("nav-recent").classList.contains("active")).toBe(true);
  });

  it("the verify report names files and repairs what a source can restore", async () => {
    const { backend } = await render({
      vouchers: [
        voucher({ id: 1, original_name: "fine.png" }),
        voucher({ id: 2, original_name: "changed.pdf" }),
        voucher({ id: 3, original_name: "gone.jpg" }),
      ],
      corrupt: [2],
      missing: [3],
      repairable: [2],
    });
    one("verify-vault").click();
    await settle(() => expect(one("verify-report").dataset.ok).toBe("false"));
    const problems = all("verify-problem");
    expect(problems.map((p) => p.querySelector('[data-testid="verify-problem-link"]')?.textContent?.trim())).toEqual([
      "changed.pdf",
      "gone.jpg",
    ]);
    expect(problems[0]!.querySelector('[data-testid="verify-repair"]')).not.toBeNull();
    expect(problems[1]!.querySelector('[data-testid="verify-repair"]')).toBeNull();
    one("verify-repair").click();
    await settle(() => expect(one("verify-repaired").textContent).toContain("Repaired from /home/test/Downloads/receipt-2.png"));
    expect(backend.log.find((c) => c.cmd === "repair_voucher")?.args).toEqual({ id: 2 });
    one("verify-again").click();
    await settle(() => expect(all("verify-problem")).toHaveLength(1));
  });

  it("OCR you can see: Reading… rows, a status line, rows replaced in place", async () => {
    const { store, backend } = await render({
      vouchers: [
        voucher({ id: 1, merchant: "Known", occurred_at: "2026-10-05T00:00:00+00:00" }),
        voucher({ id: 2, ocr_state: "pending", occurred_at: "2026-10-04T00:00:00+00:00" }),
        voucher({ id: 3, ocr_state: "pending", occurred_at: "2026-10-03T00:00:00+00:00" }),
      ],
    });
    await store.listen();
    const row = (id: number) => all("voucher-row").find((r) => r.dataset.id === String(id))!;
    expect(row(2).querySelector('[data-testid="reading"]')?.textContent).toBe("Reading…");
    expect(all("ocr-status")).toHaveLength(0);

    backend.emitOcrProgress({ done: 0, total: 2, id: null });
    await settle(() => expect(one("ocr-status").textContent).toContain("Reading 0 of 2"));

    // The user is on row 3 with its detail open while voucher 2's text lands.
    all("voucher-row")[2]!.click();
    await settle(() => expect(one("detail").dataset.id).toBe("3"));
    const searches = backend.calls.filter((c) => c === "search").length;
    Object.assign(backend.vouchers.find((v) => v.id === 2)!, { ocr_state: "done", merchant: "Luckin Coffee", amount: { minor: 3650, currency: "CNY" } });
    backend.emitOcrProgress({ done: 1, total: 2, id: 2 });
    await settle(() => expect(row(2).querySelector('[data-testid="merchant"]')?.textContent?.trim()).toBe("Luckin Coffee"));
    expect(row(2).querySelector('[data-testid="amount"]')?.textContent?.trim()).toBe("CN¥36.50");
    expect(one("ocr-status").textContent).toContain("Reading 1 of 2");
    expect(backend.log.find((c) => c.cmd === "summaries")?.args).toEqual({ ids: [2] });
    expect(backend.calls.filter((c) => c === "search").length).toBe(searches);
    expect(store.selection.cursor).toBe(2);
    expect([...store.selection.ids]).toEqual([3]);

    // The open voucher refreshes when its own text lands.
    Object.assign(backend.vouchers.find((v) => v.id === 3)!, { ocr_state: "done", merchant: "Bakery" });
    backend.emitOcrProgress({ done: 2, total: 2, id: 3 });
    await settle(() => expect((one("fact-merchant") as HTMLInputElement).value).toBe("Bakery"));
    expect(all("ocr-status")).toHaveLength(0);
    expect(row(3).querySelector('[data-testid="merchant"]')?.textContent?.trim()).toBe("Bakery");
  });

  it("a row still being read says so whatever it already shows (merchant, amount)", async () => {
    await render({
      vouchers: [
        voucher({ id: 1, ocr_state: "pending", merchant: "Shop", amount: { minor: 4999, currency: "EUR" }, occurred_at: "2026-10-05T00:00:00+00:00" }),
        voucher({ id: 2, ocr_state: "pending", occurred_at: "2026-10-04T00:00:00+00:00" }),
        voucher({ id: 3, ocr_state: "done", merchant: "Bakery", occurred_at: "2026-10-03T00:00:00+00:00" }),
      ],
    });
    const row = (id: number) => all("voucher-row").find((r) => r.dataset.id === String(id))!;
    const reading = (id: number) => row(id).querySelector<HTMLElement>('[data-testid="reading"]');
    expect(reading(1)?.textContent).toBe("Reading…");
    expect(reading(1)?.title).toBe("Text recognition is reading this file");
    expect(row(1).querySelector('[data-testid="merchant"]')?.textContent).toBe("Shop");
    expect(row(1).querySelector('[data-testid="amount"]')?.textContent?.trim()).toBe("€49.99");
    expect(reading(2)?.textContent).toBe("Reading…");
    expect(reading(3)).toBeNull();
    expect(row(3).querySelector('[data-testid="merchant"]')?.textContent).toBe("Bakery");
    one("view-grid").click();
    await settle(() => expect(one("results").dataset.view).toBe("grid"));
    expect(reading(1)?.textContent).toBe("Reading…");
    expect(reading(2)?.textContent).toBe("Reading…");
    expect(reading(3)).toBeNull();
  });

  it("a refresh keeps the keyboard cursor on its voucher when rows move", async () => {
    const { store, backend } = await render({
      vouchers: [
        voucher({ id: 1, occurred_at: "2026-10-05T00:00:00+00:00" }),
        voucher({ id: 2, occurred_at: "2026-10-04T00:00:00+00:00" }),
      ],
    });
    store.selection.single(1, 2);
    backend.vouchers.find((v) => v.id === 2)!.occurred_at = "2026-10-09T00:00:00+00:00";
    backend.emitVaultChanged();
    await store.listen();
    await store.refresh();
    expect(store.results.row(0)?.id).toBe(2);
    expect(store.selection.cursor).toBe(0);
  });
});

describe("issue 9: dates, help and language", () => {
  it("the date field shows and reads the locale's order, and says clearly what it cannot read", async () => {
    const { backend } = await render({ vouchers: [voucher({ id: 5, occurred_at: "2026-10-03T10:00:00+00:00" })] });
    all("voucher-row")[0]!.click();
    await settle(() => expect(one("fact-date")).toBeTruthy());
    const field = one("fact-date") as HTMLInputElement;
    expect(field.value).toBe("03/10/2026");
    expect(field.placeholder).toBe("DD/MM/YYYY");
    change(field, "31/10/2026");
    await settle(() => expect(backend.log.filter((c) => c.cmd === "edit_voucher")).toHaveLength(1));
    expect(backend.log.find((c) => c.cmd === "edit_voucher")?.args).toEqual({ id: 5, edit: { occurred_at: "2026-10-31" } });
    await settle(() => expect((one("fact-date") as HTMLInputElement).value).toBe("31/10/2026"));
    change(one("fact-date") as HTMLInputElement, "2026-11-02");
    await settle(() => expect(backend.log.filter((c) => c.cmd === "edit_voucher")).toHaveLength(2));
    expect(backend.vouchers[0]!.occurred_at.slice(0, 10)).toBe("2026-11-02");
    // A payment date cannot be emptied: the field shows it again.
    change(one("fact-date") as HTMLInputElement, "");
    await settle(() => expect((one("fact-date") as HTMLInputElement).value).toBe("02/11/2026"));
    change(one("fact-date") as HTMLInputElement, "11/31/2026");
    await settle(() => expect(one("fact-date-error").textContent).toContain("is not a date"));
    expect(one("fact-date-error").textContent).toContain("31/10/2026 or 2026-10-31");
    expect(backend.log.filter((c) => c.cmd === "edit_voucher")).toHaveLength(2);
  });

  it("F1 and the ? button open the guide (search language, keys, vault, backup) and About", async () => {
    const { store } = await render({ dir: "/home/ann/Receipt Vault", vouchers: [voucher()] });
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "F1", bubbles: true }));
    await settle(() => expect(one("help")).toBeTruthy());
    const guide = one("help").textContent ?? "";
    for (const q of ["merchant:amazon", "after:2026-10-01", "amount:>=50EUR", "amount:10..20CNY", "is:review", "kind:image", "amaz*"])
      expect(guide).toContain(q);
    expect(guide).toContain("Ctrl+Z");
    expect(one("help-vault-dir").textContent).toBe("/home/ann/Receipt Vault");
    expect(guide).toContain("copy the whole vault folder");
    expect(guide).toContain("evidence bundle");
    one("help-tab-about").click();
    flushSync();
    const about = one("help-about").textContent ?? "";
    expect(one("about-version").textContent).toMatch(/^Version \d+\.\d+\.\d+/);
    expect(about).toContain("MIT");
    for (const c of ["Tauri", "Svelte", "SQLite", "Tesseract", "pdf.js"]) expect(about).toContain(c);
    expect(one("about-licences").textContent).toContain("THIRD-PARTY-LICENSES.txt");
    store.dialog = null;
    flushSync();
    one("open-help").click();
    await settle(() => expect(one("help")).toBeTruthy());
    store.dialog = null;
    flushSync();
    // "?" outside a text field opens it too; typed into the search field it is a "?".
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "?", bubbles: true }));
    await settle(() => expect(one("help")).toBeTruthy());
    store.dialog = null;
    flushSync();
    const input = one("search-input") as HTMLInputElement;
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "?", bubbles: true }));
    flushSync();
    expect(all("help")).toHaveLength(0);
  });

  it("the language can be chosen in Settings and is remembered", async () => {
    const { i18n, STORAGE_KEY } = await import("./lib/i18n/index.svelte");
    try {
      await render({ vouchers: [voucher({ amount: { minor: 123456, currency: "EUR" } })] });
      one("open-settings").click();
      await settle(() => expect(one("settings-language")).toBeTruthy());
      const select = one("settings-language") as HTMLSelectElement;
      expect(Array.from(select.options).map((o) => o.textContent)).toEqual(["System (English)", "English", "Deutsch", "简体中文"]);
      select.value = "de";
      select.dispatchEvent(new Event("change", { bubbles: true }));
      await settle(() => expect(one("nav-trash").textContent).toContain("Papierkorb"));
      expect(localStorage.getItem(STORAGE_KEY)).toBe("de");
      expect(all("voucher-row")[0]!.querySelector('[data-testid="amount"]')?.textContent?.trim()).toBe("1.234,56\u00a0€");
      expect(document.documentElement.lang).toBe("de");
    } finally {
      i18n.set("system");
    }
  });
});
