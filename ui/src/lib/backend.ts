// The one interface the UI talks to. `ipc.ts` implements it over Tauri; `ipc.fake.ts`
// implements it in memory (a small fake vault) so components and stores run under vitest.

import type {
  DefaultCurrency,
  Edit,
  ExportSummary,
  ExportTarget,
  Facets,
  ImportEvent,
  ImportSummary,
  IpcError,
  OcrProgress,
  Progress,
  RepairOutcome,
  SafeHtml,
  SavedSearch,
  Scope,
  SearchPage,
  SearchRequest,
  VaultInfo,
  VerifySummary,
  Voucher,
  VoucherSummary,
} from "./types";

export type Unlisten = () => void;

export interface Backend {
  vaultInfo(): Promise<VaultInfo>;
  facets(): Promise<Facets>;
  search(req: SearchRequest): Promise<SearchPage>;
  getVoucher(id: number): Promise<Voucher>;
  /** These vouchers as listed (`summaries`), to update rows in place; unknown ids are left out. */
  summaries(ids: number[]): Promise<VoucherSummary[]>;
  emailHtml(id: number): Promise<SafeHtml>;
  /** A `data:image/jpeg;base64,…` URL, or null when the voucher has no thumbnail. */
  thumbnail(id: number): Promise<string | null>;
  /** URL of the voucher's original bytes (served by the shell's `rvault` scheme). */
  originalUrl(id: number): string;
  editVoucher(id: number, edit: Edit): Promise<Voucher>;
  setReviewed(ids: number[], reviewed: boolean): Promise<number>;
  trash(ids: number[]): Promise<number>;
  restore(ids: number[]): Promise<number>;
  emptyTrash(): Promise<number>;
  saveSearch(name: string, query: string, scope: Scope): Promise<SavedSearch>;
  deleteSavedSearch(id: number): Promise<void>;
  importPaths(paths: string[], onEvent: (e: ImportEvent) => void): Promise<ImportSummary>;
  importBytes(name: string, bytes: Uint8Array): Promise<ImportSummary>;
  /** The native dialogs; `title` is the dialog's title in the person's language. */
  pickFiles(title?: string): Promise<string[]>;
  pickFolder(title?: string): Promise<string | null>;
  pickSave(defaultName: string, kind: "zip" | "csv", title?: string): Promise<string | null>;
  exportBundle(
    target: ExportTarget,
    dest: string,
    onEvent: (e: Progress) => void,
  ): Promise<ExportSummary>;
  exportCsv(target: ExportTarget, dest: string): Promise<number>;
  showInFolder(path: string): Promise<void>;
  openOriginal(id: number): Promise<void>;
  verifyVault(onEvent: (e: Progress) => void): Promise<VerifySummary>;
  verifyVoucher(id: number): Promise<VerifySummary>;
  /** Restore a missing or damaged original from a source that still has the right bytes. */
  repairVoucher(id: number): Promise<RepairOutcome>;
  openVault(dir: string): Promise<VaultInfo>;
  createVault(dir: string): Promise<VaultInfo>;
  /** The vault's default currency (for totals that name none), and the system locale's. */
  defaultCurrency(): Promise<DefaultCurrency>;
  /** Set it to an ISO 4217 code; null follows the system locale again. */
  setDefaultCurrency(code: string | null): Promise<DefaultCurrency>;
  /** Background work (thumbnails, OCR, import) changed the vault. */
  onVaultChanged(handler: () => void): Promise<Unlisten>;
  /** Text recognition progress (`ocr-progress`): `id` is the voucher just read (null at the start). */
  onOcrProgress(handler: (p: OcrProgress) => void): Promise<Unlisten>;
  /** Files or folders dropped on the window (absolute paths); `over` while dragging. */
  onDragDrop(handler: (e: { type: "over" | "drop" | "leave"; paths: string[] }) => void): Promise<Unlisten>;
}

export function isIpcError(e: unknown): e is IpcError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as IpcError).code === "string" &&
    typeof (e as IpcError).message === "string"
  );
}

/** Whatever was thrown, as an `IpcError` (a rejected invoke may also carry a bare string). */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return { code: e.code, message: e.message };
  if (e instanceof Error) return { code: "ipc", message: e.message };
  return { code: "ipc", message: String(e) };
}
