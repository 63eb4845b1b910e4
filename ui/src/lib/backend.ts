// The one interface the UI talks to. `ipc.ts` implements it over Tauri; `ipc.fake.ts`
// implements it in memory so components and stores run under vitest.

import type { IpcError, VaultInfo, VoucherSummary } from "./types";

export interface Backend {
  vaultInfo(): Promise<VaultInfo>;
  /** Newest first by `occurred_at`. */
  listVouchers(offset: number, limit: number): Promise<VoucherSummary[]>;
  /** A `data:image/jpeg;base64,…` URL, or null when the voucher has no thumbnail. */
  thumbnail(id: number): Promise<string | null>;
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
