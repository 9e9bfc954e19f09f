import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NvidiaSmiSampler, type SamplerTick } from '../../src/main/core/gpu/nvidia-smi-sampler';
import { WANTED_GPU_FIELDS } from '../../src/main/core/gpu/query-fields';
import { REPLAY } from './fixture-paths';

const SCENARIOS = path.resolve(__dirname, 'replay');
const samplers: NvidiaSmiSampler[] = [];
afterEach(() => {
  for (const s of samplers.splice(0)) s.stop();
});

function sampler(scenario: string, intervalMs = 200): NvidiaSmiSampler {
  const s = new NvidiaSmiSampler({ bin: REPLAY, intervalMs, env: { ...process.env, NVIDIA_SMI_REPLAY: scenario }, backoffMs: { first: 100, max: 400 } });
  samplers.push(s);
  return s;
}

function nextTicks(s: NvidiaSmiSampler, n: number, timeoutMs = 10_000): Promise<SamplerTick[]> {
  return new Promise((resolve, reject) => {
    const ticks: SamplerTick[] = [];
    const t = setTimeout(() => reject(new Error(`only ${ticks.length} ticks; state ${JSON.stringify(s.state)}`)), timeoutMs);
    s.on('tick', function onTick(tick: SamplerTick) {
      ticks.push(tick);
      if (ticks.length === n) {
        clearTimeout(t);
        s.off('tick', onTick);
        resolve(ticks);
      }
    });
  });
}

describe('the sampler fed by the replay script (nvidia-smi stand-in)', () => {
  it('H100 MIG: loop-mode ticks carry the fixture values, processes from compute-apps, MIG devices from -L', async () => {
    const s = sampler(path.join(SCENARIOS, 'h100-mig.json'));
    s.start();
    const ticks = await nextTicks(s, 3);
    expect(s.state.code).toBe('ok');
    expect(s.fields).toEqual([...WANTED_GPU_FIELDS]);
    expect(s.driverVersion).toBe('590.48.01');
    expect(s.migDevices.get('GPU-00000000-0000-0000-0000-000000000000')!.map((m) => m.uuid)).toEqual([
      'MIG-00000000-0000-0000-0000-000000000000', 'MIG-00000001-0000-0000-0000-000000000001', 'MIG-00000002-0000-0000-0000-000000000002', 'MIG-00000003-0000-0000-0000-000000000003',
    ]);
    for (const tick of ticks) {
      expect(tick.gpus).toHaveLength(1);
      expect(tick.gpus[0]).toMatchObject({ uuid: 'GPU-00000000-0000-0000-0000-000000000000', name: 'NVIDIA H100 80GB HBM3', memory_used_mib: 11125, memory_total_mib: 81559, power_draw_w: 433.78, power_limit_w: 700, utilization_gpu_pct: null, fan_pct: null, sm_clock_mhz: 1980, temperature_c: 53, mig_mode: true });
    }
    // Ticks come at the loop interval (200 ms), not one process per sample. Two intervals are
    // 400 ms; the upper bound is a smoke bound (10×), not a timing test (a busy machine delays
    // the replay process and the reader).
    expect(ticks[2]!.at - ticks[0]!.at).toBeGreaterThan(250);
    expect(ticks[2]!.at - ticks[0]!.at).toBeLessThan(4000);
    const last = ticks.at(-1)!;
    expect(last.processes.map((p) => [p.pid, p.process_name, p.used_memory_mib]).sort()).toEqual([
      [21180, '/root/tools/memhog', 2296], [21181, '/root/tools/memhog', 1272], [21198, './gpu_burn', 7484],
    ]);
  });

  it('8x TITAN X recorded with 7 fields: the probe asks only for fields the "driver" knows, and a tick has all 8 GPUs', async () => {
    const s = sampler(path.join(SCENARIOS, 'titanx-8.json'));
    s.start();
    const [tick] = await nextTicks(s, 1);
    expect(s.fields).toEqual(['timestamp', 'index', 'uuid', 'name', 'utilization.gpu', 'memory.total', 'memory.used', 'temperature.gpu']);
    expect(tick!.gpus.map((g) => [g.index, g.utilization_gpu_pct, g.memory_used_mib])).toEqual([
      [0, 0, 802], [1, 86, 10032], [2, 85, 6442], [3, 60, 6442], [4, 84, 6459], [5, 83, 6440], [6, 83, 6451], [7, 82, 6442],
    ]);
    expect(tick!.gpus.every((g) => g.fan_pct === null && g.power_draw_w === null)).toBe(true);
  });

  it('driver not loaded: a named state with the driver message and exit status, retried, never a crash', async () => {
    const s = sampler(path.join(SCENARIOS, 'driver-not-loaded.json'));
    const states: string[] = [];
    s.on('state', (st) => states.push(st.code));
    s.start();
    const state = await s.ready();
    expect(state).toMatchObject({ code: 'driver_not_loaded', exitCode: 9, message: expect.stringContaining("couldn't communicate with the NVIDIA driver") });
    expect(state.hint).toContain('not loaded');
    await new Promise((r) => setTimeout(r, 600));
    expect(s.latest).toBeNull();
    expect(states).toEqual(['driver_not_loaded']);
  });

  it('no nvidia-smi at the configured path: not_installed', async () => {
    const s = new NvidiaSmiSampler({ bin: '/nonexistent/nvidia-smi', intervalMs: 200, backoffMs: { first: 100, max: 200 } });
    samplers.push(s);
    s.start();
    expect((await s.ready()).code).toBe('not_installed');
    expect(s.state.message).toBe('/nonexistent/nvidia-smi: not found');
  });

  it('the GPU falls off the bus while sampling: gpu_lost, then readings again once the driver answers (restart with backoff)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-replay-'));
    const scenario = path.join(dir, 'machine.json');
    const fx = path.resolve(__dirname, '../fixtures/nvidia-smi');
    const healthy = JSON.stringify({ gpu: { file: path.join(fx, '10-linux-rtx4080s-query-gpu-all-fields-load.csv') } });
    fs.writeFileSync(scenario, healthy);
    try {
      const s = sampler(scenario);
      s.start();
      await nextTicks(s, 1);
      const lost = new Promise((resolve) => s.on('state', (st) => st.code === 'gpu_lost' && resolve(st)));
      fs.writeFileSync(scenario, JSON.stringify({ failure: { file: path.join(fx, '30-err-gpu-is-lost.txt'), exitCode: 15 } }));
      expect(await lost).toMatchObject({ code: 'gpu_lost', exitCode: 15, message: 'Unable to determine the device handle for GPU 0000:03:00.0: GPU is lost.  Reboot the system to recover this GPU' });
      fs.writeFileSync(scenario, healthy);
      const [tick] = await nextTicks(s, 1);
      expect(s.state.code).toBe('ok');
      expect(tick!.gpus[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 4080 SUPER', fan_pct: 0, utilization_gpu_pct: 7 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sampleOnce (the CLI without a server): one reading, no loop', async () => {
    const s = sampler(path.join(SCENARIOS, 'h100-mig.json'));
    const tick = await s.sampleOnce();
    expect(tick!.gpus[0]!.memory_used_mib).toBe(11125);
    expect(tick!.processes.map((p) => p.pid).sort()).toEqual([21180, 21181, 21198]);
    const failed = sampler(path.join(SCENARIOS, 'driver-not-loaded.json'));
    expect(await failed.sampleOnce()).toBeNull();
    expect(failed.state.code).toBe('driver_not_loaded');
  });
});
