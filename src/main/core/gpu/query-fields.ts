/**
 * The nvidia-smi fields Lathe asks for, and the aliases drivers accept for them. A query for a
 * field the driver does not know fails as a whole, so the GPU query is the intersection of
 * {@link WANTED_GPU_FIELDS} with what `--help-query-gpu` lists (see probeFields).
 */

/** --query-gpu fields Lathe uses, in the order it asks for them. */
export const WANTED_GPU_FIELDS = [
  'timestamp',
  'count',
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'driver_version',
  'utilization.gpu',
  'utilization.memory',
  'memory.total',
  'memory.used',
  'memory.free',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'enforced.power.limit',
  'fan.speed',
  'clocks.current.sm',
  'clocks.current.memory',
  'clocks.current.graphics',
  'pstate',
  'mig.mode.current',
  'persistence_mode',
] as const;

/** Fields every driver since the CSV query exists knows; asked when probing fails. */
export const FALLBACK_GPU_FIELDS = ['index', 'uuid', 'name', 'utilization.gpu', 'utilization.memory', 'memory.total', 'memory.used', 'temperature.gpu', 'power.draw', 'power.limit', 'fan.speed'];

/** --query-compute-apps fields Lathe asks for. */
export const COMPUTE_APPS_FIELDS = ['timestamp', 'gpu_uuid', 'pid', 'process_name', 'used_gpu_memory'] as const;

/** Aliases → the canonical name nvidia-smi echoes in the header (--query-gpu). */
const GPU_ALIASES: Record<string, string> = {
  gpu_name: 'name',
  gpu_serial: 'serial',
  gpu_uuid: 'uuid',
  gpu_bus_id: 'pci.bus_id',
  'clocks.sm': 'clocks.current.sm',
  'clocks.gr': 'clocks.current.graphics',
  'clocks.mem': 'clocks.current.memory',
  'clocks.video': 'clocks.current.video',
  'inforom.image': 'inforom.img',
  'inforom.power': 'inforom.pwr',
  'gpu_operation_mode.current': 'gom.current',
  'gpu_operation_mode.pending': 'gom.pending',
};

/** Aliases in --query-compute-apps (asked `name`, the header says `process_name`: fx 36). */
const APPS_ALIASES: Record<string, string> = {
  name: 'process_name',
  used_memory: 'used_gpu_memory',
};

export type QueryKind = 'gpu' | 'apps';

/** The canonical name of a field as the header of `kind`'s query prints it. */
export function canonicalField(field: string, kind: QueryKind = 'gpu'): string {
  const f = field.trim();
  if (kind === 'apps') return APPS_ALIASES[f] ?? f;
  if (f.startsWith('clocks_throttle_reasons.')) return f.replace('clocks_throttle_reasons.', 'clocks_event_reasons.');
  return GPU_ALIASES[f] ?? f;
}

/** Columns whose values are free text that may contain ", " (GPU and process names). */
export const FREE_TEXT_FIELDS = new Set(['name', 'gpu_name', 'process_name']);
