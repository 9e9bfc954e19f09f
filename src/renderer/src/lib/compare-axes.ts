import type { Run } from '../../../shared/api/types';

/** A scatter or parallel axis: a param or a metric (the run's latest value) by key. */
export interface AxisRef {
  kind: 'param' | 'metric';
  key: string;
}

export function parseAxisRef(s: string | null): AxisRef | null {
  if (!s) return null;
  const i = s.indexOf(':');
  const kind = s.slice(0, i);
  return kind === 'param' || kind === 'metric' ? { kind, key: s.slice(i + 1) } : null;
}

export const axisRefString = (a: AxisRef) => `${a.kind}:${a.key}`;

/** The latest value of each metric key, per run. */
export type LatestMetrics = Map<string, Record<string, number>>;

export function axisValue(run: Run, ref: AxisRef, latest: LatestMetrics): string | number | undefined {
  if (ref.kind === 'metric') return latest.get(run.info.runId)?.[ref.key];
  return run.params[ref.key];
}

export interface AxisScale {
  /** Numeric axes place values; category axes list the values in order. */
  type: 'value' | 'log' | 'category';
  categories?: string[];
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * How to draw an axis over these values: numbers on a value axis (a log axis when they are all
 * positive and span 50× or more, as learning rates do), anything else as ordered
 * categories (numbers among them in numeric order).
 */
export function axisScale(values: ReadonlyArray<string | number | undefined>): AxisScale {
  const present = values.filter((v): v is string | number => v !== undefined);
  const nums = present.map((v) => (typeof v === 'number' ? v : NUMERIC.test(v.trim()) ? Number(v) : Number.NaN));
  if (present.length > 0 && present.length === values.length && nums.every(Number.isFinite)) {
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    return { type: min > 0 && max / min >= 50 ? 'log' : 'value' };
  }
  const cats = [...new Set(present.map(String))];
  cats.sort((a, b) => (NUMERIC.test(a) && NUMERIC.test(b) ? Number(a) - Number(b) : a.localeCompare(b)));
  if (present.length < values.length) cats.push('(none)');
  return { type: 'category', categories: cats };
}

/** A value placed on its axis: a number on numeric axes, the category text otherwise. */
export function placeOnAxis(v: string | number | undefined, scale: AxisScale): string | number {
  if (scale.type === 'category') return v === undefined ? '(none)' : String(v);
  return typeof v === 'number' ? v : Number(v);
}
