import { XMLParser } from 'fast-xml-parser';
import type { ParsedGpu } from './gpu-rows';
import { flag, int, num, text } from './nvidia-values';

/** A MIG instance as `-q -x` describes it (no MIG UUID in older DTDs: that comes from `-L`). */
export interface XmlMigDevice {
  index: number | null;
  gpu_instance_id: number | null;
  compute_instance_id: number | null;
  memory_used_mib: number | null;
  memory_total_mib: number | null;
}

export interface XmlProcess {
  pid: number | null;
  type: string | null;
  process_name: string | null;
  used_memory_mib: number | null;
  gpu_instance_id: number | null;
  compute_instance_id: number | null;
}

export interface XmlGpu extends ParsedGpu {
  mig: XmlMigDevice[];
  processes: XmlProcess[];
}

export interface XmlLog {
  driver_version: string | null;
  cuda_version: string | null;
  attached_gpus: number | null;
  gpus: XmlGpu[];
}

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true, isArray: (name) => ['gpu', 'mig_device', 'process_info'].includes(name) });

function str(v: unknown): string | null {
  if (v === undefined || v === null || typeof v === 'object') return null;
  return text(String(v));
}
const at = (node: unknown, ...path: string[]): unknown => path.reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Node)[k] : undefined), node);
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);

/**
 * Parses `nvidia-smi -q -x`. Element names moved between DTD versions: power readings are in
 * `power_readings` up to driver 530 and `gpu_power_readings` from 535 on (netdata #15755), the
 * limit is `power_limit` or `current_power_limit`. XML says plain `N/A` for no value.
 */
export function parseQueryXml(xml: string): XmlLog {
  const doc = parser.parse(xml) as Node;
  const log = doc.nvidia_smi_log as Node | undefined;
  if (!log) throw new Error('not an nvidia_smi_log document');
  const gpus = list(log.gpu).map((g): XmlGpu => {
    const power = (at(g, 'gpu_power_readings') ?? at(g, 'power_readings')) as Node | undefined;
    return {
      index: int(str(at(g, 'minor_number'))),
      uuid: str(g.uuid),
      name: str(g.product_name),
      pci_bus_id: str(at(g, 'pci', 'pci_bus_id')) ?? str(g['@_id']),
      driver_version: str(log.driver_version),
      timestamp: str(log.timestamp),
      count: int(str(log.attached_gpus)),
      utilization_gpu_pct: num(str(at(g, 'utilization', 'gpu_util'))),
      utilization_memory_pct: num(str(at(g, 'utilization', 'memory_util'))),
      memory_total_mib: num(str(at(g, 'fb_memory_usage', 'total'))),
      memory_used_mib: num(str(at(g, 'fb_memory_usage', 'used'))),
      memory_free_mib: num(str(at(g, 'fb_memory_usage', 'free'))),
      temperature_c: num(str(at(g, 'temperature', 'gpu_temp'))),
      power_draw_w: num(str(at(power, 'power_draw')) ?? str(at(power, 'average_power_draw')) ?? str(at(power, 'instant_power_draw'))),
      power_limit_w: num(str(at(power, 'power_limit')) ?? str(at(power, 'current_power_limit')) ?? str(at(power, 'enforced_power_limit'))),
      fan_pct: num(str(g.fan_speed)),
      sm_clock_mhz: num(str(at(g, 'clocks', 'sm_clock'))),
      mem_clock_mhz: num(str(at(g, 'clocks', 'mem_clock'))),
      graphics_clock_mhz: num(str(at(g, 'clocks', 'graphics_clock'))),
      pstate: str(g.performance_state),
      mig_mode: flag(str(at(g, 'mig_mode', 'current_mig'))),
      persistence_mode: flag(str(g.persistence_mode)),
      mig: list(at(g, 'mig_devices', 'mig_device')).map((m) => ({
        index: int(str(m.index)),
        gpu_instance_id: int(str(m.gpu_instance_id)),
        compute_instance_id: int(str(m.compute_instance_id)),
        memory_used_mib: num(str(at(m, 'fb_memory_usage', 'used'))),
        memory_total_mib: num(str(at(m, 'fb_memory_usage', 'total'))),
      })),
      processes: list(at(g, 'processes', 'process_info')).map((p) => ({
        pid: int(str(p.pid)),
        type: str(p.type),
        process_name: str(p.process_name),
        used_memory_mib: num(str(p.used_memory)),
        gpu_instance_id: int(str(p.gpu_instance_id)),
        compute_instance_id: int(str(p.compute_instance_id)),
      })),
    };
  });
  return { driver_version: str(log.driver_version), cuda_version: str(log.cuda_version), attached_gpus: int(str(log.attached_gpus)), gpus };
}
