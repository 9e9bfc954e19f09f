import type { Run } from '../../../shared/api/types';

/**
 * The metric keys worth a column: those most runs on the page have, user metrics before
 * `system/…` (GPU series), ties broken by name; then shown in name order so columns stay put.
 */
export function pickMetricColumns(runs: readonly Run[], max = 4): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) for (const m of run.metrics) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  const isSystem = (k: string) => k.startsWith('system/');
  return [...counts.entries()]
    .sort(([a, ca], [b, cb]) => Number(isSystem(a)) - Number(isSystem(b)) || cb - ca || a.localeCompare(b))
    .slice(0, max)
    .map(([k]) => k)
    .sort((a, b) => Number(isSystem(a)) - Number(isSystem(b)) || a.localeCompare(b));
}

/** The param keys worth a column by default: those most runs have, shown in name order. */
export function pickParamColumns(runs: readonly Run[], max = 5): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) for (const k of Object.keys(run.params)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a, ca], [b, cb]) => cb - ca || a.localeCompare(b))
    .slice(0, max)
    .map(([k]) => k)
    .sort((a, b) => a.localeCompare(b));
}
