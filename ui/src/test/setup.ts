// jsdom has no layout: element sizes are 0 and there is no ResizeObserver. Components
// fall back to a window-sized viewport when a size is 0.
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;
