// The only module that imports @tauri-apps/api. Command names and argument names
// match the `#[tauri::command]` functions in src-tauri/src (see /work/plan/CONTRACT.md).

import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { toIpcError, type Backend } from "./backend";
import type {
  DefaultCurrency,
  ExportSummary,
  Facets,
  ImportEvent,
  ImportSummary,
  OcrProgress,
  Progress,
  RepairOutcome,
  SafeHtml,
  SavedSearch,
  SearchPage,
  VaultInfo,
  VerifySummary,
  Voucher,
  VoucherSummary,
} from "./types";

async function call<T>(
  cmd: string,
  args?: InvokeArgs,
  headers?: Record<string, string>,
): Promise<T> {
  try {
    return await invoke<T>(cmd, args, headers ? { headers } : undefined);
  } catch (e) {
    throw toIpcError(e);
  }
}

function channel<E>(handler: (e: E) => void): Channel<E> {
  const ch = new Channel<E>();
  ch.onmessage = handler;
  return ch;
}

/** The shell serves originals on the `rvault` scheme; Windows' WebView2 spells it as http. */
function rvaultBase(): string {
  return /Windows/i.test(navigator.userAgent) ? "http://rvault.localhost" : "rvault://localhost";
}

export const tauriBackend: Backend = {
  vaultInfo: () => call<VaultInfo>("vault_info"),
  facets: () => call<Facets>("facets"),
  search: (req) => call<SearchPage>("search", { req }),
  getVoucher: (id) => call<Voucher>("get_voucher", { id }),
  summaries: (ids) => call<VoucherSummary[]>("summaries", { ids }),
  emailHtml: (id) => call<SafeHtml>("email_html", { id }),
  thumbnail: (id) => call<string | null>("thumbnail", { id }),
  originalUrl: (id) => `${rvaultBase()}/object/${id}`,
  editVoucher: (id, edit) => call<Voucher>("edit_voucher", { id, edit }),
  setReviewed: (ids, reviewed) => call<number>("set_reviewed", { ids, reviewed }),
  trash: (ids) => call<number>("trash", { ids }),
  restore: (ids) => call<number>("restore", { ids }),
  emptyTrash: () => call<number>("empty_trash"),
  saveSearch: (name, query, scope) => call<SavedSearch>("save_search", { name, query, scope }),
  deleteSavedSearch: (id) => call<void>("delete_saved_search", { id }),
  importPaths: (paths, onEvent) =>
    call<ImportSummary>("import_paths", { paths, onEvent: channel<ImportEvent>(onEvent) }),
  // Raw bytes as the request body (not a JSON number array); the name travels in a header.
  importBytes: (name, bytes) =>
    call<ImportSummary>("import_bytes", bytes, { "x-file-name": encodeURIComponent(name) }),
  pickFiles: (title) => call<string[]>("pick_files", { title }),
  pickFolder: (title) => call<string | null>("pick_folder", { title }),
  pickSave: (defaultName, kind, title) => call<string | null>("pick_save", { defaultName, kind, title }),
  exportBundle: (target, dest, onEvent) =>
    call<ExportSummary>("export_bundle", {
      target,
      dest,
      onEvent: channel<Progress>(onEvent),
    }),
  exportCsv: (target, dest) => call<number>("export_csv", { target, dest }),
  showInFolder: (path) => call<void>("show_in_folder", { path }),
  openOriginal: (id) => call<void>("open_original", { id }),
  verifyVault: (onEvent) =>
    call<VerifySummary>("verify_vault", { onEvent: channel<Progress>(onEvent) }),
  verifyVoucher: (id) => call<VerifySummary>("verify_voucher", { id }),
  repairVoucher: (id) => call<RepairOutcome>("repair_voucher", { id }),
  openVault: (dir) => call<VaultInfo>("open_vault", { dir }),
  createVault: (dir) => call<VaultInfo>("create_vault", { dir }),
  defaultCurrency: () => call<DefaultCurrency>("default_currency"),
  setDefaultCurrency: (code) => call<DefaultCurrency>("set_default_currency", { code }),
  onVaultChanged: (handler) => listen("vault-changed", () => handler()),
  onOcrProgress: (handler) => listen<OcrProgress>("ocr-progress", (e) => handler(e.payload)),
  onDragDrop: (handler) =>
    getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "enter") handler({ type: "over", paths: p.paths });
      else if (p.type === "over") handler({ type: "over", paths: [] });
      else if (p.type === "drop") handler({ type: "drop", paths: p.paths });
      else handler({ type: "leave", paths: [] });
    }),
};
