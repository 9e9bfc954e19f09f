import si from 'systeminformation';
import type { HostMetrics } from '../../../shared/api/gpu-types';

/**
 * Host inventory and load for the dashboard, from systeminformation: CPU model and load,
 * memory, mounted filesystems and network rates. Sampled on demand and cached for `maxAgeMs`,
 * so an open dashboard costs one reading every few seconds and a closed one nothing. Not used for
 * GPUs (systeminformation runs nvidia-smi synchronously; ../shared/notes/gpu.md §1(d)).
 */
export class HostMetricsReader {
  private cached: HostMetrics | null = null;
  private inflight: Promise<HostMetrics> | null = null;
  private inventory: Promise<{ model: string; cores: number; os: string }> | null = null;

  constructor(private readonly maxAgeMs = 4000, private readonly now: () => number = Date.now) {}

  /** The latest host metrics, read again when older than `maxAgeMs`. Never throws: unreadable parts are empty. */
  async read(): Promise<HostMetrics> {
    if (this.cached && this.now() - this.cached.sampled_at < this.maxAgeMs) return this.cached;
    this.inflight ??= this.sample().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async sample(): Promise<HostMetrics> {
    this.inventory ??= Promise.all([si.cpu().catch(() => null), si.osInfo().catch(() => null)]).then(([cpu, os]) => ({
      model: cpu ? `${cpu.manufacturer} ${cpu.brand}`.trim() : 'unknown CPU',
      cores: cpu?.cores ?? 0,
      os: os ? `${os.distro} ${os.release}`.trim() : process.platform,
    }));
    const [inv, load, mem, fs, net] = await Promise.all([
      this.inventory,
      si.currentLoad().catch(() => null),
      si.mem().catch(() => null),
      si.fsSize().catch(() => []),
      si.networkStats('*').catch(() => []),
    ]);
    this.cached = {
      sampled_at: this.now(),
      cpu: { model: inv.model, cores: inv.cores, load_pct: load && Number.isFinite(load.currentLoad) ? Math.round(load.currentLoad * 10) / 10 : null },
      memory: { total_bytes: mem?.total ?? 0, used_bytes: mem ? mem.total - mem.available : 0, available_bytes: mem?.available ?? 0 },
      disks: fs.filter((d) => d.size > 0 && !/^(overlay|tmpfs|squashfs)$/.test(d.type)).map((d) => ({ mount: d.mount, fs: d.fs, size_bytes: d.size, used_bytes: d.used })),
      network: net.filter((n) => n.iface !== 'lo').map((n) => ({ iface: n.iface, rx_bytes_per_s: n.rx_sec ?? null, tx_bytes_per_s: n.tx_sec ?? null })),
      os: inv.os,
    };
    return this.cached;
  }
}
