import { useCallback, useRef } from 'react';

/**
 * A callback ref that sizes its element to reach from where it sits on the page to the bottom
 * of the window (the log and code views scroll inside themselves, so their end must be on
 * screen), never below `minPx`; `bottomGapPx` is the page padding under it (.app-main).
 * Recomputed when the window or the page above it changes size.
 */
export function useFillViewport<T extends HTMLElement>(minPx = 360, bottomGapPx = 32): (el: T | null) => void {
  const cleanup = useRef<(() => void) | null>(null);
  return useCallback(
    (el: T | null) => {
      cleanup.current?.();
      cleanup.current = null;
      if (!el) return;
      const fit = () => {
        const top = el.getBoundingClientRect().top + window.scrollY;
        el.style.height = `${Math.max(minPx, Math.floor(window.innerHeight - top - bottomGapPx))}px`;
      };
      fit();
      // The page's own box grows with its content (body and #root are fixed at 100%).
      const ro = new ResizeObserver(fit);
      ro.observe(document.getElementById('root')?.firstElementChild ?? document.body);
      window.addEventListener('resize', fit);
      cleanup.current = () => {
        ro.disconnect();
        window.removeEventListener('resize', fit);
      };
    },
    [minPx, bottomGapPx],
  );
}
