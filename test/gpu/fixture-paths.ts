import fs from 'node:fs';
import path from 'node:path';

/** The recorded nvidia-smi outputs (copied unedited from ../shared/fixtures/nvidia-smi/). */
export const FIXTURES = path.resolve(__dirname, '../fixtures/nvidia-smi');
export const REPLAY = path.resolve(__dirname, '../../scripts/replay-nvidia-smi.mjs');

export function fixture(prefix: string): string {
  const name = fs.readdirSync(FIXTURES).find((f) => f.startsWith(`${prefix}-`));
  if (!name) throw new Error(`no fixture ${prefix}-*`);
  return path.join(FIXTURES, name);
}

export function readFixture(prefix: string): string {
  return fs.readFileSync(fixture(prefix), 'utf8');
}

/** The command column of INDEX.md for a fixture (what produced the file). */
export function indexCommand(prefix: string): string {
  const index = fs.readFileSync(path.join(FIXTURES, 'INDEX.md'), 'utf8');
  const line = index.split('\n').find((l) => l.startsWith(`| ${prefix}-`));
  if (!line) throw new Error(`INDEX.md has no row for ${prefix}`);
  return line.split(' | ')[1]!;
}
