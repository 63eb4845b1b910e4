import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import App from "./App.svelte";
import { fakeBackend, voucher, type FakeOptions } from "./lib/ipc.fake";
import { VaultStore } from "./lib/vault.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = "";
});

async function render(opts: FakeOptions) {
  const store = new VaultStore(fakeBackend(opts));
  app = mount(App, { target: document.body, props: { store } });
  await store.load();
  flushSync();
  return store;
}

const byTestId = (id: string) => Array.from(document.querySelectorAll(`[data-testid="${id}"]`));

describe("first window", () => {
  it("shows the count and one row per voucher with merchant, amount and thumbnail", async () => {
    await render({
      dir: "/home/ana/vault",
      vouchers: [
        voucher({
          id: 1,
          kind: "email",
          merchant: "Shop",
          amount: { minor: 4999, currency: "EUR" },
          amount_display: "49.99 EUR",
          title: "Your receipt",
          original_name: "receipt.eml",
          occurred_at: "2026-10-03T10:00:00+00:00",
        }),
        voucher({
          id: 2,
          has_thumbnail: true,
          original_name: "screenshot.png",
          occurred_at: "2026-09-01T08:00:00+00:00",
        }),
      ],
    });

    expect(byTestId("voucher-count")[0]?.textContent).toBe("2");
    expect(byTestId("vault-dir")[0]?.textContent).toBe("/home/ana/vault");
    const rows = byTestId("voucher-row");
    expect(rows).toHaveLength(2);

    const [email, image] = rows;
    expect(email.querySelector('[data-testid="merchant"]')?.textContent?.trim()).toBe("Shop");
    expect(email.querySelector('[data-testid="amount"]')?.textContent?.trim()).toBe("49.99 EUR");
    expect(email.querySelector('[data-testid="title"]')?.textContent).toBe("Your receipt");
    expect(email.querySelector('[data-testid="date"]')?.textContent?.trim()).toBe("3 Oct 2026");
    expect(email.querySelector('[data-testid="kind"]')?.textContent).toBe("Email");
    expect(email.querySelector("img")).toBeNull();

    expect(image.querySelector('[data-testid="title"]')?.textContent).toBe("screenshot.png");
    await vi.waitFor(() => {
      flushSync();
      expect(image.querySelector("img")?.getAttribute("src")).toMatch(/^data:image\//);
    });
    expect(byTestId("empty")).toHaveLength(0);
  });

  it("shows a friendly empty state for an empty vault", async () => {
    await render({ dir: "/home/ana/vault", vouchers: [] });

    expect(byTestId("voucher-count")[0]?.textContent).toBe("0");
    expect(byTestId("voucher-row")).toHaveLength(0);
    expect(byTestId("empty")[0]?.textContent).toContain("No vouchers yet — add files with vault add");
  });

  it("shows the error message and branches on the code", async () => {
    await render({
      error: { code: "newer_schema", message: "/v: this vault has schema version 9" },
    });

    expect(byTestId("error")[0]?.textContent).toBe("/v: this vault has schema version 9");
    expect(document.body.textContent).toContain("written by a newer Receipt Vault");
    expect(document.querySelector("[data-code]")?.getAttribute("data-code")).toBe("newer_schema");
    expect(document.querySelector("button")).toBeNull(); // retrying cannot help
    expect(byTestId("voucher-row")).toHaveLength(0);
  });

  it("offers a retry for a passing error and recovers", async () => {
    const store = await render({ error: { code: "database", message: "database is locked" } });
    expect(byTestId("error")[0]?.textContent).toBe("database is locked");
    expect(document.querySelector("button")?.textContent).toBe("Try again");
    expect(store.status).toBe("error");
  });
});
