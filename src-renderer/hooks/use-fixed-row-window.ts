import { type RefObject, useCallback, useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

/** Which rows of a fixed-height list are in (or near) the viewport. */
export interface RowWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Last row to render (exclusive). */
  end: number;
  /** Height of the whole list, in px. */
  totalHeight: number;
  /** Scrolls the least distance that brings row `index` fully into view. */
  scrollToIndex: (index: number) => void;
}

interface Visible {
  first: number;
  last: number;
}

/**
 * Windowing for rows of one fixed height: the visible range is arithmetic on `scrollTop`, so nothing is
 * measured and nothing is computed per row. (A general virtualizer recomputes an offset object for every
 * row whenever its count or options change: 18,000 objects several times a second under load.)
 * `offsetTop` is what sits above the first row inside the scroller (a sticky header).
 */
export function useFixedRowWindow(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan: number,
  offsetTop = 0,
): RowWindow {
  const [visible, setVisible] = useState<Visible>({ first: 0, last: 0 });

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const update = (sync: boolean) => {
      // The header covers the first `offsetTop` px of the viewport, and the rows start `offsetTop` down.
      const first = Math.floor(el.scrollTop / rowHeight);
      const last = Math.ceil((el.scrollTop + el.clientHeight - offsetTop) / rowHeight);
      const apply = () =>
        setVisible((prev) => (prev.first === first && prev.last === last ? prev : { first, last }));
      // Rows for a new scroll position are rendered before the browser paints it.
      if (sync) flushSync(apply);
      else apply();
    };
    const onScroll = () => update(true);
    const resize = new ResizeObserver(() => update(false));
    update(false);
    el.addEventListener('scroll', onScroll, { passive: true });
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [scroller, rowHeight, offsetTop]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scroller.current;
      if (!el) return;
      const top = offsetTop + index * rowHeight;
      const viewTop = el.scrollTop + offsetTop;
      if (top < viewTop) el.scrollTop = top - offsetTop;
      else if (top + rowHeight > el.scrollTop + el.clientHeight)
        el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [scroller, rowHeight, offsetTop],
  );

  const start = Math.min(count, Math.max(0, visible.first - overscan));
  const end = Math.min(count, visible.last + overscan);
  return { start, end, totalHeight: count * rowHeight, scrollToIndex };
}
