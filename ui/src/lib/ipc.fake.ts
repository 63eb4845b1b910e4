// In-memory twin of ipc.ts for vitest: same interface, no Tauri.

import type { Backend } from "./backend";
import type { IpcError, VoucherSummary } from "./types";

/** A 1x1 transparent PNG, enough for an <img> to have a source. */
export const FAKE_THUMBNAIL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

export interface FakeOptions {
  dir?: string;
  vouchers?: VoucherSummary[];
  /** When set, every call rejects with this error (as a vault that failed to open does). */
  error?: IpcError;
}

export interface FakeBackend extends Backend {
  /** Commands called so far, e.g. `["vault_info", "list_vouchers"]`. */
  calls: string[];
}

export function fakeBackend(opts: FakeOptions = {}): FakeBackend {
  const dir = opts.dir ?? "/home/test/.local/share/receipt-vault";
  const vouchers = [...(opts.vouchers ?? [])].sort((a, b) =>
    b.occurred_at.localeCompare(a.occurred_at),
  );
  const calls: string[] = [];
  const guard = async (cmd: string) => {
    calls.push(cmd);
    if (opts.error) throw { ...opts.error };
  };
  return {
    calls,
    async vaultInfo() {
      await guard("vault_info");
      return { dir, count: vouchers.length };
    },
    async listVouchers(offset, limit) {
      await guard("list_vouchers");
      return vouchers.slice(offset, offset + limit);
    },
    async thumbnail(id) {
      await guard("thumbnail");
      const v = vouchers.find((x) => x.id === id);
      return v?.has_thumbnail ? FAKE_THUMBNAIL : null;
    },
  };
}

let nextId = 1;

/** A voucher with plausible defaults; override what the test cares about. */
export function voucher(over: Partial<VoucherSummary> = {}): VoucherSummary {
  const id = over.id ?? nextId++;
  return {
    id,
    sha256: id.toString(16).padStart(64, "0"),
    size: 1234,
    kind: "image",
    media_type: "image/png",
    original_name: `receipt-${id}.png`,
    title: "",
    added_at: "2026-10-05T09:00:00+00:00",
    occurred_at: "2026-10-03T10:00:00+00:00",
    occurred_source: "file_mtime",
    merchant: null,
    amount: null,
    amount_display: null,
    tags: [],
    has_thumbnail: false,
    parent_id: null,
    ...over,
  };
}
