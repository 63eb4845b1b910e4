// State of the open vault as the first window shows it: where it is, how many vouchers
// it holds, the newest page of them, or why it could not be opened.

import { toIpcError, type Backend } from "./backend";
import type { IpcError, VaultInfo, VoucherSummary } from "./types";

/** How many vouchers the list shows. */
export const PAGE_SIZE = 50;

export type VaultStatus = "loading" | "ready" | "error";

export class VaultStore {
  status: VaultStatus = $state("loading");
  info: VaultInfo | null = $state(null);
  /** Newest first; replaced as a whole, never mutated in place. */
  vouchers: VoucherSummary[] = $state.raw([]);
  error: IpcError | null = $state(null);

  #backend: Backend;
  #thumbs = new Map<number, Promise<string | null>>();

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  get isEmpty(): boolean {
    return this.status === "ready" && this.vouchers.length === 0;
  }

  /** Vouchers in the vault that the list does not show. */
  get hiddenCount(): number {
    return Math.max(0, (this.info?.count ?? 0) - this.vouchers.length);
  }

  async load(): Promise<void> {
    this.status = "loading";
    this.error = null;
    try {
      const [info, vouchers] = await Promise.all([
        this.#backend.vaultInfo(),
        this.#backend.listVouchers(0, PAGE_SIZE),
      ]);
      this.info = info;
      this.vouchers = vouchers;
      this.#thumbs.clear();
      this.status = "ready";
    } catch (e) {
      this.info = null;
      this.vouchers = [];
      this.error = toIpcError(e);
      this.status = "error";
    }
  }

  /** The thumbnail's data URL, fetched once per voucher; null when there is none or it failed. */
  thumbnail(id: number): Promise<string | null> {
    let p = this.#thumbs.get(id);
    if (!p) {
      p = this.#backend.thumbnail(id).catch(() => null);
      this.#thumbs.set(id, p);
    }
    return p;
  }
}
