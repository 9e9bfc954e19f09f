import { useSyncExternalStore } from 'react';

export type ColorScheme = 'light' | 'dark';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

function subscribe(onChange: () => void): () => void {
  const mq = query();
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

/** The OS colour scheme; the CSS follows it by itself, this is for canvas drawing (charts). */
export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribe, () => (query().matches ? 'dark' : 'light'));
}
