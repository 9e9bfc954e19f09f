import type { RunSpecInput } from '../../../shared/api/run-spec';
import type { Experiment } from '../../../shared/api/types';
import { shellSplit } from './shell-split';

/** One editable key/value row (params, env); `id` keeps React keys stable while rows are edited. */
export interface KeyValueRow {
  id: number;
  key: string;
  value: string;
}

export type GpuMode = 'none' | 'count' | 'ids' | 'all';

/** The new-run form as typed: every field a string, as the inputs hold it. */
export interface NewRunForm {
  workdir: string;
  runtime: 'docker' | 'process';
  image: string;
  command: string;
  experiment: string;
  name: string;
  gpuMode: GpuMode;
  gpuCount: string;
  gpuIds: string;
  cpus: string;
  memory: string;
  params: KeyValueRow[];
  env: KeyValueRow[];
}

export type FormField = 'workdir' | 'runtime' | 'image' | 'command' | 'experiment' | 'name' | 'gpus' | 'cpus' | 'memory' | 'params' | 'env';
export type FormErrors = Partial<Record<FormField, string>>;

let nextRowId = 1;
export function newRow(key = '', value = ''): KeyValueRow {
  return { id: nextRowId++, key, value };
}

export function emptyForm(): NewRunForm {
  return {
    workdir: '',
    runtime: 'docker',
    image: '',
    command: '',
    experiment: '',
    name: '',
    gpuMode: 'none',
    gpuCount: '1',
    gpuIds: '',
    cpus: '',
    memory: '',
    params: [newRow()],
    env: [],
  };
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GPU_ID = /^(\d+|GPU-[0-9a-fA-F-]+|MIG-[0-9a-zA-Z/-]+)$/;

/** `4096`, `512m`, `8g`, `1.5 GiB` → MiB; null when unreadable. A bare number is MiB. */
export function parseMemoryMb(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const factor = { '': 1, k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const mb = Math.round(Number(m[1]) * factor);
  return Number.isFinite(mb) && mb > 0 ? mb : null;
}

function collectRows(rows: readonly KeyValueRow[], what: string, keyOk: (k: string) => string | null): { record: Record<string, string>; error?: string } {
  const record: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key && !row.value) continue;
    if (!key) return { record, error: `A ${what} value has no name` };
    const bad = keyOk(key);
    if (bad) return { record, error: bad };
    if (key in record) return { record, error: `${what} '${key}' is given twice` };
    record[key] = row.value;
  }
  return { record };
}

/**
 * Turns the form into a run spec, checking what can be checked here so a person sees every
 * mistake at once; the server validates again (and knows about folders and images).
 */
export function buildRunSpec(form: NewRunForm, experiments: readonly Experiment[] | undefined): { spec: RunSpecInput | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const { argv, error: splitError } = shellSplit(form.command);
  if (splitError) errors.command = splitError;
  else if (argv.length === 0) errors.command = 'Enter the command to run, e.g. python3 train.py';

  const image = form.image.trim();
  if (form.runtime === 'docker' && !image) errors.image = 'The docker runtime needs an image';

  let gpus: RunSpecInput['gpus'];
  if (form.gpuMode === 'count') {
    const n = Number(form.gpuCount);
    if (!Number.isInteger(n) || n < 1 || n > 64) errors.gpus = 'A whole number of GPUs, 1 to 64';
    else gpus = n;
  } else if (form.gpuMode === 'ids') {
    const ids = form.gpuIds.split(/[\s,]+/).filter(Boolean);
    const bad = ids.find((id) => !GPU_ID.test(id));
    if (ids.length === 0) errors.gpus = 'List GPU indexes or UUIDs, e.g. 0,2';
    else if (bad) errors.gpus = `'${bad}' is not a GPU index (0) or UUID (GPU-…, MIG-…)`;
    else gpus = ids;
  } else if (form.gpuMode === 'all') gpus = 'all';

  let cpus: number | undefined;
  if (form.cpus.trim()) {
    cpus = Number(form.cpus);
    if (!Number.isFinite(cpus) || cpus <= 0 || cpus > 1024) errors.cpus = 'CPU cores: a positive number (fractions allowed)';
  }
  let memoryMb: number | undefined;
  if (form.memory.trim()) {
    const mb = parseMemoryMb(form.memory);
    if (mb === null || mb < 6) errors.memory = 'Memory: e.g. 4096 (MiB), 512m or 8g';
    else memoryMb = mb;
  }

  const params = collectRows(form.params, 'param', (k) => (k.length > 250 ? `Param name '${k.slice(0, 20)}…' is over 250 characters` : null));
  if (params.error) errors.params = params.error;
  const env = collectRows(form.env, 'variable', (k) => (ENV_KEY.test(k) ? null : `'${k}' is not a variable name (letters, digits and _, not starting with a digit)`));
  if (env.error) errors.env = env.error;

  if (Object.keys(errors).length > 0) return { spec: null, errors };

  const experimentName = form.experiment.trim();
  const existing = experimentName ? experiments?.find((e) => e.name === experimentName) : undefined;
  const spec: RunSpecInput = {
    runtime: form.runtime,
    command: argv,
    params: params.record,
    env: env.record,
    ...(form.runtime === 'docker' && image ? { image } : {}),
    ...(form.workdir.trim() ? { workdir: form.workdir.trim() } : {}),
    ...(existing ? { experimentId: existing.experimentId } : experimentName ? { experimentName } : {}),
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(gpus !== undefined ? { gpus } : {}),
    ...(cpus !== undefined ? { cpus } : {}),
    ...(memoryMb !== undefined ? { memoryMb } : {}),
  };
  return { spec, errors };
}

/** The form field a server error's `details.field` (`image`, `env.FOO`, `gpus.0`, …) belongs to. */
export function formFieldOf(field: unknown): FormField | null {
  if (typeof field !== 'string' || !field) return null;
  const head = field.split('.')[0]!;
  const map: Record<string, FormField> = {
    workdir: 'workdir',
    runtime: 'runtime',
    image: 'image',
    command: 'command',
    experimentId: 'experiment',
    experimentName: 'experiment',
    name: 'name',
    gpus: 'gpus',
    cpus: 'cpus',
    memoryMb: 'memory',
    params: 'params',
    env: 'env',
  };
  return map[head] ?? null;
}
