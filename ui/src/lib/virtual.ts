// The arithmetic of a virtualised list or grid with fixed row heights, shared by
// VoucherList (one voucher per row) and VoucherGrid (a row of tiles).

/** Rows `[first, last)` to render: those in view plus `overscan` either side. */
export function visibleRows(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  overscan: number,
  rowCount: number,
): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rowCount, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return [first, last];
}

/** Scroll `vp` just enough that the band `[top, top + height)` is in view; the new scrollTop. */
export function scrollIntoBand(
  vp: HTMLElement,
  top: number,
  height: number,
  viewportHeight: number,
): number {
  if (top < vp.scrollTop) vp.scrollTop = top;
  else if (top + height > vp.scrollTop + viewportHeight) vp.scrollTop = top + height - viewportHeight;
  return vp.scrollTop;
}
