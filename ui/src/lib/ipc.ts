// The only module that imports @tauri-apps/api. Command names and argument names
// match the `#[tauri::command]` functions in src-tauri/src/lib.rs.

import { invoke } from "@tauri-apps/api/core";
import { toIpcError, type Backend } from "./backend";
import type { VaultInfo, VoucherSummary } from "./types";

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export const tauriBackend: Backend = {
  vaultInfo: () => call<VaultInfo>("vault_info"),
  listVouchers: (offset, limit) => call<VoucherSummary[]>("list_vouchers", { offset, limit }),
  thumbnail: (id) => call<string | null>("thumbnail", { id }),
};
