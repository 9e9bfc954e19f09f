import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { latheCli } from '../helpers/cli';
import { tempHome } from '../helpers/temp-home';
import { REPLAY, readFixture } from './fixture-paths';

const home = tempHome();
afterAll(() => home.cleanup());

const lathe = (args: string[], scenario: string) => latheCli(home.home, args, { env: { ...process.env, LATHE_NVIDIA_SMI: REPLAY, NVIDIA_SMI_REPLAY: path.resolve(__dirname, 'replay', scenario) } });

describe('lathe gpus without a running server (nvidia-smi run once)', () => {
  it('--json: the documented shape, with null where the driver gave no reading', async () => {
    const { code, stdout } = await lathe(['gpus', '--json'], 'h100-mig.json');
    expect(code).toBe(0);
    const j = JSON.parse(stdout);
    expect(Object.keys(j)).toEqual(['driver_version', 'cuda_version', 'state', 'message', 'hint', 'sampled_at', 'warnings', 'gpus']);
    expect(j).toMatchObject({ driver_version: '590.48.01', cuda_version: null, state: 'ok', message: null, hint: null });
    expect(j.gpus).toHaveLength(1);
    expect(j.gpus[0]).toEqual({
      index: 0, uuid: 'GPU-00000000-0000-0000-0000-000000000000', name: 'NVIDIA H100 80GB HBM3', pci_bus_id: '00000000:00:09.0',
      utilization_gpu_pct: null, utilization_memory_pct: null, memory_total_mib: 81559, memory_used_mib: 11125, temperature_c: 53,
      power_draw_w: 433.78, power_limit_w: 700, fan_pct: null, sm_clock_mhz: 1980, mem_clock_mhz: 2619, pstate: 'P0', mig_mode: true,
      mig_devices: [
        { index: 0, uuid: 'MIG-00000000-0000-0000-0000-000000000000', profile: '3g.40gb' },
        { index: 1, uuid: 'MIG-00000001-0000-0000-0000-000000000001', profile: '2g.20gb' },
        { index: 2, uuid: 'MIG-00000002-0000-0000-0000-000000000002', profile: '1g.10gb' },
        { index: 3, uuid: 'MIG-00000003-0000-0000-0000-000000000003', profile: '1g.10gb' },
      ],
      processes: [21180, 21181, 21198].map((pid, i) => expect.objectContaining({ pid, used_memory_mib: [2296, 1272, 7484][i], run_id: null, owner: 'foreign' })),
      lease: null,
      foreign_memory_mib: 11125,
    });
    expect(Object.keys(j.gpus[0].processes[0])).toEqual(['pid', 'used_memory_mib', 'container_id', 'run_id', 'process_name', 'owner', 'user', 'command']);
  });

  it('the table form, and exit status 1 with the state when the driver is not loaded', async () => {
    const ok = await lathe(['gpus'], 'rtx4080.json');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/driver 595\.71\.05/);
    expect(ok.stdout).toMatch(/│ 0\s+│ NVIDIA GeForce RTX 4080 SUPER │ 7%\s+│ 1474 \/ 16376 MiB │ 46C\s+│ 84\.2W \/ 320W │ 0%\s+│ 2805 MHz/);
    const failed = await lathe(['gpus', '--json'], 'driver-not-loaded.json');
    expect(failed.code).toBe(1);
    const j = JSON.parse(failed.stdout);
    expect(j).toMatchObject({ state: 'driver_not_loaded', message: readFixture('26').trim(), gpus: [] });
    expect(j.hint).toContain('kernel driver is not loaded');
    const text = await lathe(['gpus'], 'driver-not-loaded.json');
    expect(text.stdout).toContain('No NVIDIA GPU readings: driver_not_loaded');
  });

  it('lathe queue with nothing queued', async () => {
    const { stdout } = await lathe(['queue', '--json'], 'h100-mig.json');
    expect(JSON.parse(stdout)).toEqual({ entries: [], leases: [], foreign_memory_threshold_mib: 1024, mode: 'passthrough' });
  });
});
