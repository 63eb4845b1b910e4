// jsdom has no layout: element sizes are 0 and there is no ResizeObserver. Components
// fall back to a window-sized viewport when a size is 0.
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;

// Tests read English, with dates and amounts as en-GB writes them ("3 Oct 2026", "€49.99"),
// whatever the machine's locale; i18n.test.ts switches languages itself.
import { i18n } from "../lib/i18n/index.svelte";
i18n.system = "en-GB";
i18n.set("system");
