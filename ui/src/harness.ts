// TEMPORARY visual harness (not committed).
import { mount } from "svelte";
import App from "./App.svelte";
import { fakeBackend, voucher } from "./lib/ipc.fake";
import { AppStore } from "./lib/stores/app.svelte";
import { i18n } from "./lib/i18n/index.svelte";
import "./app.css";

const p = new URLSearchParams(location.hash.slice(1));
i18n.system = p.get("lang") ?? "en-GB";
const vs = [
  voucher({ id: 1, merchant: "Bäckerei Schmidt", amount: { minor: 450, currency: "EUR" }, tags: ["tax"], title: "Breakfast", occurred_at: "2026-10-03T10:00:00+02:00", has_thumbnail: false, needs_review: true }),
  voucher({ id: 2, merchant: null, ocr_state: "pending", occurred_source: "file_mtime", added_at: "2026-12-04T09:00:00+00:00", occurred_at: "2018-03-01T09:00:00+00:00", original_name: "IMG_2041.png" }),
  voucher({ id: 3, merchant: "瑞幸咖啡", amount: { minor: 3650, currency: "CNY" }, occurred_at: "2026-11-20T08:00:00+08:00" }),
  voucher({ id: 4, merchant: "Amazon", amount: { minor: 12999, currency: "USD" }, kind: "email", media_type: "message/rfc822", occurred_at: "2026-09-12T08:00:00+00:00", title: "Your order" }),
  voucher({ id: 5, merchant: "IKEA", amount: { minor: 89900, currency: "EUR" }, kind: "pdf", media_type: "application/pdf", occurred_at: "2026-08-01T08:00:00+00:00" }),
];
const backend = fakeBackend({ dir: p.get("dir") ?? "/home/ann/Receipt Vault", vouchers: vs, corrupt: [5], missing: [4], repairable: [5],
  pick: { files: ["/in/a.png", "/in/random.pdf", "/in/bad.docx"] }, unreadablePaths: { "/in/random.pdf": { code: "bad_file", message: "the PDF could not be parsed: no xref table" } },
  failPaths: { "/in/bad.docx": { code: "bad_file", message: "not a supported file" } } });
const store = new AppStore(backend);
mount(App, { target: document.getElementById("app")!, props: { store } });
(async () => {
  await store.load();
  await store.listen();
  const s = p.get("state");
  if (s === "select") { store.selection.single(0, 1); await store.open(1); }
  if (s === "detail2") { await store.open(2); }
  if (s === "ocr") backend.emitOcrProgress({ done: 3, total: 14, id: null });
  if (s === "import") await store.addFiles();
  if (s === "verify") await store.verifyAll();
  if (s === "help") store.dialog = "help";
  if (s === "settings") store.dialog = "settings";
  if (s === "chipdate") (document.querySelector('[data-testid="chip-date"]') as HTMLElement).click();
  if (s === "chipamount") (document.querySelector('[data-testid="chip-amount"]') as HTMLElement).click();
})();
