// Parts of the window that the first paint does not need (the detail pane, dialogs, the
// thumbnail grid) are separate chunks, loaded the first time they are shown, or earlier
// when the window is idle after start-up, so opening them later does not wait either.

import type { Component } from "svelte";

type AnyComponent = Component<any>;

export class Lazy<C extends AnyComponent> {
  /** The component once its chunk is loaded. */
  component: C | null = $state.raw(null);
  #loading: Promise<void> | null = null;
  #load: () => Promise<{ default: C }>;

  constructor(load: () => Promise<{ default: C }>) {
    this.#load = load;
  }

  /** Start loading (once); resolves when the component is ready. */
  load(): Promise<void> {
    this.#loading ??= this.#load().then(
      (m) => {
        this.component = m.default;
      },
      (e: unknown) => {
        this.#loading = null;
        throw e;
      },
    );
    return this.#loading;
  }
}
