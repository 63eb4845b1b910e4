// Which rows are selected. Ids, not indexes, so a refresh does not move the selection;
// "all" (Ctrl+A) is a flag, so selecting 100,000 rows costs nothing until an action
// needs the ids.

export class Selection {
  /** Selected ids (when not `all`). Replaced as a whole on change. */
  ids: ReadonlySet<number> = $state.raw(new Set());
  /** Every row of the current search is selected. */
  all = $state(false);
  /** Row index the keyboard cursor is on (-1: none). */
  cursor = $state(-1);
  /** Where a shift-click range starts. */
  anchor = -1;

  has(id: number): boolean {
    return this.all || this.ids.has(id);
  }

  /** How many are selected, given the search's total. */
  count(total: number): number {
    return this.all ? total : this.ids.size;
  }

  clear(): void {
    this.ids = new Set();
    this.all = false;
    this.anchor = -1;
  }

  /** A plain click: only this row. */
  single(index: number, id: number): void {
    this.all = false;
    this.ids = new Set([id]);
    this.cursor = index;
    this.anchor = index;
  }

  /** Ctrl/Cmd+click: add or remove this row. */
  toggle(index: number, id: number, visibleIds: () => number[]): void {
    let next: Set<number>;
    if (this.all) {
      // Leaving "all" needs the ids; the caller supplies what is loaded.
      next = new Set(visibleIds());
      this.all = false;
    } else next = new Set(this.ids);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.ids = next;
    this.cursor = index;
    this.anchor = index;
  }

  /** Shift+click or shift+arrow: the range from the anchor, with the ids of that range. */
  range(index: number, idsInRange: number[], additive = false): void {
    this.all = false;
    const next = additive ? new Set(this.ids) : new Set<number>();
    for (const id of idsInRange) next.add(id);
    this.ids = next;
    this.cursor = index;
  }

  selectAll(): void {
    this.all = true;
    this.ids = new Set();
  }
}
