import { describe, expect, it } from "vitest";
import { fakeBackend, voucher } from "./ipc.fake";
import { PAGE_SIZE, VaultStore } from "./vault.svelte";
import { formatDate } from "./format";
import { toIpcError } from "./backend";

describe("VaultStore", () => {
  it("loads the count and the newest page, newest first", async () => {
    const vouchers = Array.from({ length: PAGE_SIZE + 7 }, (_, i) =>
      voucher({ occurred_at: `2026-01-${String((i % 28) + 1).padStart(2, "0")}T12:00:00+00:00` }),
    );
    const store = new VaultStore(fakeBackend({ dir: "/vault", vouchers }));
    expect(store.status).toBe("loading");

    await store.load();

    expect(store.status).toBe("ready");
    expect(store.info).toEqual({ dir: "/vault", count: PAGE_SIZE + 7 });
    expect(store.vouchers).toHaveLength(PAGE_SIZE);
    expect(store.hiddenCount).toBe(7);
    const dates = store.vouchers.map((v) => v.occurred_at);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(store.isEmpty).toBe(false);
  });

  it("keeps the error's code and message when the vault cannot be opened", async () => {
    const backend = fakeBackend({
      error: { code: "not_a_vault", message: "/tmp/x: not a Receipt Vault (no vault.db)" },
    });
    const store = new VaultStore(backend);

    await store.load();

    expect(store.status).toBe("error");
    expect(store.error).toEqual({
      code: "not_a_vault",
      message: "/tmp/x: not a Receipt Vault (no vault.db)",
    });
    expect(store.info).toBeNull();
    expect(store.vouchers).toEqual([]);
  });

  it("fetches each thumbnail once and gives null when there is none", async () => {
    const backend = fakeBackend({
      vouchers: [voucher({ id: 1, has_thumbnail: true }), voucher({ id: 2 })],
    });
    const store = new VaultStore(backend);
    await store.load();

    const first = await store.thumbnail(1);
    const again = await store.thumbnail(1);
    expect(first).toMatch(/^data:image\//);
    expect(again).toBe(first);
    expect(await store.thumbnail(2)).toBeNull();
    expect(backend.calls.filter((c) => c === "thumbnail")).toHaveLength(2);
  });
});

describe("helpers", () => {
  it("formats the calendar date in the timestamp's own offset", () => {
    expect(formatDate("2026-10-03T23:30:00-05:00")).toBe("3 Oct 2026");
    expect(formatDate("2025-01-15T00:00:00Z")).toBe("15 Jan 2025");
    expect(formatDate("garbage")).toBe("garbage");
  });

  it("turns anything thrown into {code, message}", () => {
    expect(toIpcError({ code: "io", message: "disk" })).toEqual({ code: "io", message: "disk" });
    expect(toIpcError("plain string")).toEqual({ code: "ipc", message: "plain string" });
    expect(toIpcError(new Error("boom"))).toEqual({ code: "ipc", message: "boom" });
  });
});
