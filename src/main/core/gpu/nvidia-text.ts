import type { MigDevice } from '../../../shared/api/gpu-types';

/** One GPU line of `nvidia-smi -L` with the MIG devices listed under it (fx 02). */
export interface ListedGpu {
  index: number;
  name: string;
  uuid: string;
  migDevices: MigDevice[];
}

/**
 * Parses `nvidia-smi -L`: `GPU 0: NAME (UUID: GPU-…)` lines, each followed by indented
 * `MIG 3g.40gb     Device  0: (UUID: MIG-…)` lines for its MIG slices.
 */
export function parseListGpus(out: string): ListedGpu[] {
  const gpus: ListedGpu[] = [];
  for (const raw of out.split(/\r?\n/)) {
    const gpu = /^GPU (\d+): (.*) \(UUID: (GPU-[^)]+)\)\s*$/.exec(raw);
    if (gpu) {
      gpus.push({ index: Number(gpu[1]), name: gpu[2]!.trim(), uuid: gpu[3]!, migDevices: [] });
      continue;
    }
    const mig = /^\s+MIG\s+(\S+)\s+Device\s+(\d+):\s+\(UUID: (MIG-[^)]+)\)\s*$/.exec(raw);
    if (mig && gpus.length) gpus[gpus.length - 1]!.migDevices.push({ index: Number(mig[2]), uuid: mig[3]!, profile: mig[1]! });
  }
  return gpus;
}

/**
 * Driver and CUDA versions from `nvidia-smi --version`. Drivers from 610 on mark "DRIVER
 * version"/"CUDA version" Deprecated and print "KMD version"/"CUDA UMD version" (fx 11);
 * the newer lines win. Unknown shapes give nulls.
 */
export function parseVersion(out: string): { driverVersion: string | null; cudaVersion: string | null } {
  const values = new Map<string, string>();
  for (const line of out.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][A-Za-z -]*?)\s*:\s*(.+?)\s*$/.exec(line);
    if (m) values.set(m[1]!.toLowerCase(), m[2]!);
  }
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = values.get(k);
      if (v && !/^deprecated/i.test(v)) return v;
    }
    return null;
  };
  return { driverVersion: pick('kmd version', 'driver version'), cudaVersion: pick('cuda umd version', 'cuda version') };
}

/**
 * Field names `nvidia-smi --help-query-gpu` (or `--help-query-compute-apps`) lists: lines that
 * start with `"name"` or `"name" or "alias"`. Returns every name and alias.
 */
export function parseHelpQuery(out: string): Set<string> {
  const fields = new Set<string>();
  for (const line of out.split(/\r?\n/)) {
    if (!line.startsWith('"')) continue;
    const head = /^("[^"]+"(?:\s+or\s+"[^"]+")*)\s*$/.exec(line.trim());
    if (!head) continue;
    for (const m of head[1]!.matchAll(/"([^"]+)"/g)) if (/^[A-Za-z0-9_.]+$/.test(m[1]!)) fields.add(m[1]!);
  }
  return fields;
}
