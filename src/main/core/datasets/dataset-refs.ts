import fs from 'node:fs';
import path from 'node:path';
import { LatheError } from '../../../shared/errors';

/** Dataset names: used in /data/NAME mounts and LATHE_DATASET_<NAME> variables. */
export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a dataset name.
 * @throws LatheError INVALID_PARAMETER_VALUE naming the rule.
 */
export function checkDatasetName(name: string): string {
  if (!DATASET_NAME.test(name)) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid dataset name '${name}': 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit.`, { field: 'name' });
  }
  return name;
}

/** `NAME` or `NAME@VERSION` (a digest or its prefix, optionally `sha256:`-prefixed). */
export interface DatasetRef {
  name: string;
  version: string | null;
}

/**
 * Parses a dataset reference.
 * @throws LatheError INVALID_PARAMETER_VALUE for a bad name or a version that is not hex.
 */
export function parseDatasetRef(ref: string): DatasetRef {
  const at = ref.lastIndexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  let version = at >= 0 ? ref.slice(at + 1).toLowerCase() : null;
  checkDatasetName(name);
  if (version !== null) {
    version = version.replace(/^sha256:/, '');
    if (!/^[0-9a-f]{1,64}$/.test(version)) throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid dataset version '${ref.slice(at + 1)}': give the digest or a prefix of it (hex).`, { field: 'version' });
  }
  return { name, version };
}

/** The environment variable that carries a dataset's path into a run: LATHE_DATASET_<NAME, upper case, other characters as _>. */
export function datasetEnvName(name: string): string {
  return `LATHE_DATASET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

const TABULAR = /\.(csv|tsv|tab|txt|jsonl|ndjson|json|parquet)(\.(gz|zst))?$/i;

/** The file `inspect` shows by default for a folder: the first tabular file in path order, else the first file. */
export function primaryFile(paths: string[]): string | undefined {
  return paths.find((p) => TABULAR.test(p)) ?? paths[0];
}

/** System folders a dataset may never come from (their files are not data, and some are secrets). */
const DENIED_ROOTS = ['/proc', '/sys', '/dev', '/etc', '/boot', '/run', '/var/run'];

function within(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/**
 * Resolves a path a client gave (symbolic links followed) and checks it may be read as data:
 * not the file system root or a system folder, not inside Lathe's data directory (it holds
 * the API token), and, when LATHE_DATA_ROOTS is set (folders separated by ':'), inside one
 * of those.
 * @returns the real absolute path.
 * @throws LatheError RESOURCE_DOES_NOT_EXIST when missing; PERMISSION_DENIED when refused.
 */
export function checkDataPath(p: string, home: string, env: NodeJS.ProcessEnv = process.env): string {
  let real: string;
  try {
    real = fs.realpathSync(path.resolve(p));
  } catch {
    throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No such file or folder: ${p}`, { field: 'path' });
  }
  const refuse = (why: string) => {
    throw new LatheError('PERMISSION_DENIED', `${real} cannot be used as a dataset: ${why}`, { field: 'path' });
  };
  if (real === path.parse(real).root) refuse('it is the root of the file system');
  for (const d of DENIED_ROOTS) if (within(real, d)) refuse(`${d} is a system folder`);
  let homeReal = home;
  try {
    homeReal = fs.realpathSync(home);
  } catch {
    // not created yet
  }
  if (within(real, homeReal) || within(homeReal, real)) refuse(`it overlaps Lathe's data directory ${homeReal} (which holds the API token)`);
  const roots = (env.LATHE_DATA_ROOTS ?? '').split(':').filter(Boolean);
  if (roots.length && !roots.some((r) => within(real, fs.existsSync(r) ? fs.realpathSync(r) : path.resolve(r)))) refuse(`it is outside LATHE_DATA_ROOTS (${roots.join(', ')})`);
  return real;
}
