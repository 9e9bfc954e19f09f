import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ChangeBus } from '../core/events';
import type { GpuCard, GpuSnapshot } from '../../shared/api/gpu-types';
import type { RunInfo } from '../../shared/api/types';
import { startGpuTray, type TrayLike } from './tray';
import { RunEndWatcher, gpuLoad, loadLevel, trayBitmap, trayTooltip } from './tray-status';

const gpu = (index: number, util: number | null, used: number, total: number, lease: string | null = null): GpuCard => ({
  index, uuid: `GPU-${index}`, name: 'NVIDIA H100 80GB HBM3', pci_bus_id: null, utilization_gpu_pct: util, utilization_memory_pct: null,
  memory_total_mib: total, memory_used_mib: used, memory_free_mib: null, temperature_c: 53, power_draw_w: 433.78, power_limit_w: 700, fan_pct: null,
  sm_clock_mhz: 1980, mem_clock_mhz: null, graphics_clock_mhz: null, pstate: 'P0', mig_mode: util === null, persistence_mode: true, mig_devices: [], processes: [],
  lease: lease ? { run_id: 'r'.repeat(32), run_name: lease, since: 0 } : null, foreign_memory_mib: 0,
});
const snap = (gpus: GpuCard[], code: GpuSnapshot['state']['code'] = 'ok'): GpuSnapshot => ({
  state: { code, message: null, hint: null, exitCode: null, since: 0 }, driver_version: '590.48.01', cuda_version: null, sampled_at: 1, interval_ms: 1000, nvidia_smi: 'nvidia-smi', fields: [], warnings: [], gpus,
});

class FakeTray implements TrayLike {
  tooltip = '';
  title = '';
  image: unknown;
  destroyed = false;
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setTitle(t: string) {
    this.title = t;
  }
  setImage(i: unknown) {
    this.image = i;
  }
  on() {
    return this;
  }
  destroy() {
    this.destroyed = true;
  }
}

describe('tray status', () => {
  it('load: utilization, or memory use on MIG GPUs that report none; levels; tooltip per GPU', () => {
    // The H100 of fixture 03 (MIG: no utilization; 11125 of 81559 MiB) and a busy GPU.
    const s = snap([gpu(0, null, 11125, 81559, 'resnet-finetune'), gpu(1, 86, 10032, 12206)]);
    expect(gpuLoad(s)).toBeCloseTo((11125 / 81559 * 100 + 86) / 2, 5);
    expect(loadLevel(gpuLoad(s))).toBe(2);
    expect(loadLevel(null)).toBe(0);
    expect(loadLevel(95)).toBe(4);
    expect(trayTooltip(s)).toBe('Lathe\nGPU 0 n/a · 10.9/79.6 GiB · resnet-finetune\nGPU 1 86% · 9.8/11.9 GiB');
    expect(trayTooltip(snap([], 'driver_not_loaded'))).toBe('Lathe: no NVIDIA GPU readings (driver not loaded)');
    const bmp = trayBitmap(2);
    expect(bmp.length).toBe(16 * 16 * 4);
    // Bottom row: bar 1 green (BGRA 4e b0 2a ff), bar 3 grey.
    expect([...bmp.subarray((15 * 16 + 1) * 4, (15 * 16 + 1) * 4 + 4)]).toEqual([0x4e, 0xb0, 0x2a, 0xff]);
    expect([...bmp.subarray((15 * 16 + 9) * 4, (15 * 16 + 9) * 4 + 4)]).toEqual([0x99, 0x99, 0x99, 0x90]);
  });

  it('notifies once when a run it saw active ends, not for runs already ended', () => {
    const w = new RunEndWatcher();
    const info = (status: RunInfo['status']): RunInfo => ({ runId: 'a', experimentId: '0', name: 'bert-sweep-3', status, userId: '', startTime: 0, endTime: status === 'RUNNING' ? null : 125_000, lifecycleStage: 'active', artifactUri: '' });
    expect(w.update(info('QUEUED'))).toBeNull();
    expect(w.update(info('RUNNING'))).toBeNull();
    expect(w.update(info('FAILED'))).toEqual({ title: 'Run failed: bert-sweep-3', body: 'bert-sweep-3 failed after 2 min 5 s.' });
    expect(w.update(info('FAILED'))).toBeNull();
    expect(new RunEndWatcher().update(info('FINISHED'))).toBeNull();
  });

  it('drives a tray and notifications from GPU snapshots and run events', () => {
    const gpus = Object.assign(new EventEmitter(), { current: snap([gpu(0, 3, 800, 12206)]), snapshot() { return this.current; } });
    const bus = new ChangeBus();
    const tray = new FakeTray();
    const notify = vi.fn();
    let status: RunInfo['status'] = 'RUNNING';
    const stop = startGpuTray({
      createTray: (img) => {
        tray.image = img;
        return tray;
      },
      image: (bmp) => ({ level: bmp.subarray(0, 0), bytes: bmp.length, firstBar: bmp[(15 * 16 + 1) * 4 + 3] }),
      notify,
      gpus,
      subscribe: (l) => bus.subscribe(l),
      getRunInfo: (runId) => ({ runId, experimentId: '0', name: 'resnet', status, userId: '', startTime: 0, endTime: status === 'RUNNING' ? null : 61_000, lifecycleStage: 'active', artifactUri: '' }),
    });
    expect(tray.tooltip).toBe('Lathe\nGPU 0 3% · 0.8/11.9 GiB');
    expect(tray.title).toBe('3%');
    expect(tray.image).toMatchObject({ firstBar: 0x90 });
    gpus.current = snap([gpu(0, 97, 11000, 12206, 'resnet')]);
    gpus.emit('snapshot');
    expect(tray.tooltip).toBe('Lathe\nGPU 0 97% · 10.7/11.9 GiB · resnet');
    expect(tray.image).toMatchObject({ firstBar: 0xff });
    bus.publish({ kind: 'run', runId: 'x' });
    status = 'FINISHED';
    bus.publish({ kind: 'run', runId: 'x' });
    bus.publish({ kind: 'run', runId: 'x' });
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify).toHaveBeenCalledWith('Run finished: resnet', 'resnet finished after 1 min 1 s.');
    stop();
    expect(tray.destroyed).toBe(true);
    expect(gpus.listenerCount('snapshot')).toBe(0);
  });
});
