import { InvalidArgumentError } from 'commander';

/** Argument parser of a repeatable option: gathers every occurrence (default `[]`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Argument parser of a positive number option. */
export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number.');
  return n;
}
