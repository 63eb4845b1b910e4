// Window-wide keys: Ctrl+K / Ctrl+F search, arrows move, Enter opens, Delete trashes,
// Ctrl+Z brings it back, Ctrl+A selects all, Escape closes, F1 (or ? outside a text field) opens the help. Keys typed
// into fields stay with the field (a field's own Ctrl+Z undoes typing).

import type { AppStore } from "./stores/app.svelte";

function inField(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
}

export async function moveCursor(store: AppStore, delta: number, extend: boolean): Promise<void> {
  const total = store.results.total;
  if (!total) return;
  const sel = store.selection;
  const from = sel.cursor < 0 ? (delta > 0 ? -1 : total) : sel.cursor;
  const to = Math.max(0, Math.min(total - 1, from + delta));
  if (extend) {
    if (sel.anchor < 0) sel.anchor = Math.max(0, from);
    sel.range(to, await store.results.idsIn(sel.anchor, to));
    return;
  }
  const [id] = await store.results.idsIn(to, to);
  if (id === undefined) return;
  sel.single(to, id);
  if (store.detailId !== null) void store.open(id);
}

export function handleKey(
  e: KeyboardEvent,
  store: AppStore,
  ui: { focusSearch: () => void; columns: number },
): void {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (e.key === "F1") {
    e.preventDefault();
    store.dialog = "help";
    return;
  }
  if (mod && (key === "k" || key === "f")) {
    e.preventDefault();
    ui.focusSearch();
    return;
  }
  if (e.key === "Escape") {
    if (store.dialog && store.dialog !== "import") {
      store.dialog = null;
    } else if (inField(e.target)) {
      (e.target as HTMLElement).blur();
    } else if (store.detailId !== null) {
      store.close();
    } else {
      store.selection.clear();
    }
    return;
  }
  if (store.dialog || inField(e.target) || store.status !== "ready") return;
  if (e.key === "?" && !mod) {
    e.preventDefault();
    store.dialog = "help";
    return;
  }
  switch (e.key) {
    case "ArrowDown":
      e.preventDefault();
      void moveCursor(store, ui.columns, e.shiftKey);
      return;
    case "ArrowUp":
      e.preventDefault();
      void moveCursor(store, -ui.columns, e.shiftKey);
      return;
    case "ArrowRight":
      if (ui.columns > 1) {
        e.preventDefault();
        void moveCursor(store, 1, e.shiftKey);
      }
      return;
    case "ArrowLeft":
      if (ui.columns > 1) {
        e.preventDefault();
        void moveCursor(store, -1, e.shiftKey);
      }
      return;
    case "Home":
      e.preventDefault();
      void moveCursor(store, -store.results.total, false);
      return;
    case "End":
      e.preventDefault();
      void moveCursor(store, store.results.total, false);
      return;
    case "Enter": {
      if (e.target instanceof HTMLElement && /^(BUTTON|A|SUMMARY)$/.test(e.target.tagName)) return;
      const row = store.results.row(store.selection.cursor);
      if (row) {
        e.preventDefault();
        void store.open(row.id);
      }
      return;
    }
    case "Delete":
    case "Backspace":
      if (e.key === "Backspace" && !mod) return;
      if (store.scope.type === "trash") return;
      e.preventDefault();
      void store.trashSelected();
      return;
  }
  if (mod && key === "a") {
    e.preventDefault();
    store.selection.selectAll();
  }
  if (mod && key === "z" && !e.shiftKey) {
    e.preventDefault();
    void store.undo();
  }
}

/** The image file in a paste event, with a readable name; null when there is none. */
export function pastedImage(e: ClipboardEvent): File | null {
  const items = e.clipboardData ? Array.from(e.clipboardData.items) : [];
  const item = items.find((i) => i.kind === "file" && i.type.startsWith("image/"));
  const file = item?.getAsFile() ?? null;
  if (!file) return null;
  const ext = file.type.split("/")[1]?.replace("jpeg", "jpg") ?? "png";
  const stamp = new Date().toISOString().slice(0, 19).replace("T", " ").replace(/:/g, "-");
  const name = file.name && file.name !== "image.png" ? file.name : `Pasted image ${stamp}.${ext}`;
  return new File([file], name, { type: file.type });
}
