import type { GpuReading } from '../../../shared/api/gpu-types';
import { rowObjects, type CsvTable } from './nvidia-csv';
import { flag, int, num, text } from './nvidia-values';

/** A GPU row as parsed, before Lathe keys it (recordings without a uuid column keep null). */
export type ParsedGpu = Omit<GpuReading, 'uuid' | 'mig_devices' | 'processes'> & {
  uuid: string | null;
  driver_version: string | null;
  /** nvidia-smi's own timestamp text ("2026/07/14 09:00:44.579"); null when not asked. */
  timestamp: string | null;
  /** GPUs in the system as the `count` field says; null when not asked. */
  count: number | null;
};

/** A `--query-compute-apps` row. */
export interface ParsedProcess {
  gpu_uuid: string | null;
  pid: number | null;
  process_name: string | null;
  used_memory_mib: number | null;
  timestamp: string | null;
}

const first = (row: Record<string, string>, ...keys: string[]): string | undefined => {
  for (const k of keys) if (k in row && text(row[k]) !== null) return row[k];
  return keys.map((k) => row[k]).find((v) => v !== undefined);
};

/** Maps one row (canonical field → raw text) to Lathe's reading; missing markers become null. */
export function gpuFromRow(row: Record<string, string>): ParsedGpu {
  const mig = row['mig.mode.current'];
  return {
    index: int(row.index),
    uuid: text(row.uuid),
    name: text(row.name),
    pci_bus_id: text(row['pci.bus_id']),
    driver_version: text(row.driver_version),
    timestamp: text(row.timestamp),
    count: int(row.count),
    utilization_gpu_pct: num(row['utilization.gpu']),
    utilization_memory_pct: num(row['utilization.memory']),
    memory_total_mib: num(row['memory.total']),
    memory_used_mib: num(row['memory.used']),
    memory_free_mib: num(row['memory.free']),
    temperature_c: num(row['temperature.gpu']),
    // power.draw is the classic field; newer drivers also give .average/.instant.
    power_draw_w: num(first(row, 'power.draw', 'power.draw.average', 'power.draw.instant')),
    power_limit_w: num(first(row, 'power.limit', 'enforced.power.limit')),
    fan_pct: num(row['fan.speed']),
    sm_clock_mhz: num(row['clocks.current.sm']),
    mem_clock_mhz: num(row['clocks.current.memory']),
    graphics_clock_mhz: num(row['clocks.current.graphics']),
    pstate: text(row.pstate),
    mig_mode: flag(mig),
    persistence_mode: flag(row.persistence_mode),
  };
}

/** Every GPU row of a parsed `--query-gpu` table. */
export function gpusFromTable(table: CsvTable): ParsedGpu[] {
  return rowObjects(table).map(gpuFromRow);
}

/** Every process row of a parsed `--query-compute-apps` table. */
export function processesFromTable(table: CsvTable): ParsedProcess[] {
  return rowObjects(table).map((r) => ({
    gpu_uuid: text(r.gpu_uuid),
    pid: int(r.pid),
    process_name: text(r.process_name),
    used_memory_mib: num(r.used_gpu_memory),
    timestamp: text(r.timestamp),
  }));
}
