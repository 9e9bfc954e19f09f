import type { ColumnProfile, DatasetProfile, ProfileDiff, ProfileDiffColumn, ProfileValue } from '../../../shared/api/dataset-types';

const STATS = ['missing', 'distinct', 'mean', 'std', 'min', 'max', 'q25', 'q50', 'q75'] as const;

function same(a: ProfileValue | undefined, b: ProfileValue | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  return (a ?? null) === (b ?? null);
}

/**
 * Column-by-column comparison of two profiles, matched by column name (then position for
 * repeated names): added and removed columns, type changes, and for columns in both the
 * statistics (missing, distinct, mean, std, min, max, quartiles) side by side — all of them
 * when something changed, so the reader sees the context. Floats equal within 1e-9 relative
 * count as unchanged.
 */
export function diffProfiles(from: { digest: string; profile: DatasetProfile }, to: { digest: string; profile: DatasetProfile }): ProfileDiff {
  const columns: ProfileDiffColumn[] = [];
  const remaining = [...to.profile.columns];
  for (const a of from.profile.columns) {
    const i = remaining.findIndex((b) => b.name === a.name);
    if (i < 0) {
      columns.push({ name: a.name, status: 'removed', typeFrom: a.inferred_type, typeTo: null, stats: [] });
      continue;
    }
    const b = remaining.splice(i, 1)[0]!;
    const stats = STATS.map((f) => ({ field: f, from: (a as unknown as Record<string, ProfileValue>)[f] ?? null, to: (b as unknown as Record<string, ProfileValue>)[f] ?? null }));
    const changed = a.inferred_type !== b.inferred_type || stats.some((s) => !same(s.from, s.to));
    columns.push({ name: a.name, status: changed ? 'changed' : 'unchanged', typeFrom: a.inferred_type, typeTo: b.inferred_type, stats: changed ? stats : [] });
  }
  for (const b of remaining) columns.push({ name: b.name, status: 'added', typeFrom: null, typeTo: b.inferred_type, stats: STATS.map((f) => ({ field: f, from: null, to: (b as ColumnProfile as unknown as Record<string, ProfileValue>)[f] ?? null })) });
  return { from: { digest: from.digest, rows: from.profile.rows }, to: { digest: to.digest, rows: to.profile.rows }, columns };
}
