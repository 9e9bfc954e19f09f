import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Mounts its children only once they come near the viewport, holding their place meanwhile.
 * The compare view's lower panels (parallel coordinates, scatter, params) then cost nothing
 * while the charts at the top load.
 */
export function LazyMount({ children, minHeight, className }: { children: ReactNode; minHeight: number; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || shown) return;
    const io = new IntersectionObserver(([e]) => e?.isIntersecting && setShown(true), { rootMargin: '150px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [shown]);
  return (
    <div ref={ref} className={className} style={shown ? undefined : { minHeight }}>
      {shown ? children : null}
    </div>
  );
}
