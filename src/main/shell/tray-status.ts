import type { GpuSnapshot } from '../../shared/api/gpu-types';
import type { RunInfo, RunStatus } from '../../shared/api/types';

/** Mean GPU load 0-100 over the GPUs (utilization, or memory use where utilization is not reported); null without readings. */
export function gpuLoad(s: GpuSnapshot): number | null {
  if (s.state.code !== 'ok' || s.gpus.length === 0) return null;
  const loads = s.gpus
    .map((g) => g.utilization_gpu_pct ?? (g.memory_used_mib !== null && g.memory_total_mib ? (g.memory_used_mib / g.memory_total_mib) * 100 : null))
    .filter((v): v is number => v !== null);
  return loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : null;
}

/** Icon level 0-4 for a load (0 also for "no readings"). */
export function loadLevel(load: number | null): 0 | 1 | 2 | 3 | 4 {
  if (load === null || load < 5) return 0;
  return load < 35 ? 1 : load < 65 ? 2 : load < 90 ? 3 : 4;
}

/** Tray tooltip: one line per GPU ("GPU 0 45% · 11.0/79.6 GiB · run resnet"), or why there are no readings. */
export function trayTooltip(s: GpuSnapshot): string {
  if (s.state.code === 'starting') return 'Lathe: reading the GPUs…';
  if (s.state.code !== 'ok') return `Lathe: no NVIDIA GPU readings (${s.state.code.replace(/_/g, ' ')})`;
  const lines = s.gpus.map((g) => {
    const util = g.utilization_gpu_pct === null ? 'n/a' : `${Math.round(g.utilization_gpu_pct)}%`;
    const mem = g.memory_used_mib !== null && g.memory_total_mib !== null ? ` · ${(g.memory_used_mib / 1024).toFixed(1)}/${(g.memory_total_mib / 1024).toFixed(1)} GiB` : '';
    return `GPU ${g.index ?? '?'} ${util}${mem}${g.lease ? ` · ${g.lease.run_name}` : ''}`;
  });
  return ['Lathe', ...lines].join('\n');
}

/** Short tray title (macOS menu bar): the mean load, or empty. */
export function trayTitle(s: GpuSnapshot): string {
  const load = gpuLoad(s);
  return load === null ? '' : `${Math.round(load)}%`;
}

/**
 * A 16×16 BGRA bitmap for the tray: four bars filled up to `level` (Electron's
 * nativeImage.createFromBitmap takes this layout). Drawn here so the app ships no icon files.
 */
export function trayBitmap(level: 0 | 1 | 2 | 3 | 4, size = 16): Buffer {
  const buf = Buffer.alloc(size * size * 4);
  const bars = 4;
  const w = Math.floor(size / bars);
  for (let b = 0; b < bars; b++) {
    const h = Math.round(((b + 1) / bars) * (size - 2));
    const on = b < level;
    for (let y = size - 1; y >= size - h; y--) {
      for (let x = b * w + 1; x < (b + 1) * w; x++) {
        const i = (y * size + x) * 4;
        // BGRA: active bars green, idle bars grey.
        buf[i] = on ? 0x4e : 0x99;
        buf[i + 1] = on ? 0xb0 : 0x99;
        buf[i + 2] = on ? 0x2a : 0x99;
        buf[i + 3] = on ? 0xff : 0x90;
      }
    }
  }
  return buf;
}

const TERMINAL: RunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

/**
 * Decides which run-change events deserve a desktop notification: a run this process saw
 * active (SCHEDULED, QUEUED, RUNNING) that is now FINISHED, FAILED or KILLED — once per run.
 */
export class RunEndWatcher {
  private readonly seen = new Map<string, RunStatus>();

  /** Feed every run's current info; returns a notification when it just ended. */
  update(info: RunInfo, now = Date.now()): { title: string; body: string } | null {
    const before = this.seen.get(info.runId);
    this.seen.set(info.runId, info.status);
    if (!TERMINAL.includes(info.status) || before === undefined || TERMINAL.includes(before)) return null;
    const secs = Math.max(0, Math.round(((info.endTime ?? now) - info.startTime) / 1000));
    const dur = secs >= 3600 ? `${Math.floor(secs / 3600)} h ${Math.floor((secs % 3600) / 60)} min` : secs >= 60 ? `${Math.floor(secs / 60)} min ${secs % 60} s` : `${secs} s`;
    const verb = info.status === 'FINISHED' ? 'finished' : info.status === 'FAILED' ? 'failed' : 'was stopped';
    return { title: `Run ${verb}: ${info.name}`, body: `${info.name} ${verb} after ${dur}.` };
  }
}
