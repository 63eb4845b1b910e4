// Clicking rows and tiles: a click selects and opens, Ctrl/Cmd+click adds or removes,
// Shift+click selects the range from the last clicked row.

import type { AppStore } from "./stores/app.svelte";

export async function clickRow(e: MouseEvent, store: AppStore, index: number, id: number): Promise<void> {
  const sel = store.selection;
  if (e.shiftKey) {
    const from = sel.anchor < 0 ? index : sel.anchor;
    if (sel.anchor < 0) sel.anchor = index;
    sel.range(index, await store.results.idsIn(from, index), e.ctrlKey || e.metaKey);
    return;
  }
  if (e.ctrlKey || e.metaKey) {
    sel.toggle(index, id, () => {
      const ids: number[] = [];
      for (let i = 0; i < store.results.total; i++) {
        const r = store.results.row(i);
        if (r) ids.push(r.id);
        else if (ids.length > 0) break;
      }
      return ids;
    });
    return;
  }
  sel.single(index, id);
  await store.open(id);
}
