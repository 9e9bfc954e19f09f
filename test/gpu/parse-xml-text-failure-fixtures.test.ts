import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQueryXml } from '../../src/main/core/gpu/nvidia-xml';
import { parseHelpQuery, parseListGpus, parseVersion } from '../../src/main/core/gpu/nvidia-text';
import { classifyFailure, isDeviceWarning } from '../../src/main/core/gpu/nvidia-failure';
import { FIXTURES, readFixture } from './fixture-paths';

describe('-q -x XML fixtures', () => {
  it('12 A100 MIG (DTD v11): N/A utilization and fan, two MIG instances, power in <power_readings>', () => {
    const log = parseQueryXml(readFixture('12'));
    expect(log).toMatchObject({ driver_version: '510.47.03', cuda_version: '11.6', attached_gpus: 1 });
    expect(log.gpus).toHaveLength(1);
    const { mig, processes, ...gpu } = log.gpus[0]!;
    expect(gpu).toEqual({
      index: 0, uuid: 'GPU-00000000-0000-0000-0000-000000000001', name: 'NVIDIA A100-SXM4-40GB', pci_bus_id: '00000000:00:04.0',
      driver_version: '510.47.03', timestamp: 'Fri Jan 27 11:32:31 2023', count: 1,
      utilization_gpu_pct: null, utilization_memory_pct: null, memory_total_mib: 40960, memory_used_mib: 38, memory_free_mib: 40315,
      temperature_c: 36, power_draw_w: 66.92, power_limit_w: 400, fan_pct: null, sm_clock_mhz: 1410, mem_clock_mhz: 1215, graphics_clock_mhz: 1410,
      pstate: 'P0', mig_mode: true, persistence_mode: false,
    });
    expect(mig).toEqual([
      { index: 0, gpu_instance_id: 1, compute_instance_id: 0, memory_used_mib: 19, memory_total_mib: 19968 },
      { index: 1, gpu_instance_id: 2, compute_instance_id: 0, memory_used_mib: 19, memory_total_mib: 19968 },
    ]);
    expect(processes).toEqual([]);
  });

  it('13 Windows RTX 2080: minor_number N/A, 26 C+G processes with used_memory N/A (null) and some empty names', () => {
    const log = parseQueryXml(readFixture('13'));
    expect(log).toMatchObject({ driver_version: '516.59', cuda_version: '11.7', attached_gpus: 1 });
    const { mig, processes, ...gpu } = log.gpus[0]!;
    expect(gpu).toEqual({
      index: null, uuid: 'GPU-00000000-0000-0000-0000-000000000001', name: 'NVIDIA GeForce RTX 2080', pci_bus_id: '00000000:0A:00.0',
      driver_version: '516.59', timestamp: 'Tue Sep 20 14:07:39 2022', count: 1,
      utilization_gpu_pct: 2, utilization_memory_pct: 7, memory_total_mib: 8192, memory_used_mib: 862, memory_free_mib: 7147,
      temperature_c: 29, power_draw_w: 14.5, power_limit_w: 275, fan_pct: 37, sm_clock_mhz: 193, mem_clock_mhz: 403, graphics_clock_mhz: 193,
      pstate: 'P8', mig_mode: null, persistence_mode: null,
    });
    expect(mig).toEqual([]);
    expect(processes).toHaveLength(26);
    expect(processes.every((p) => p.used_memory_mib === null && p.type === 'C+G' && p.gpu_instance_id === null)).toBe(true);
    expect(processes[0]).toEqual({ pid: 7724, type: 'C+G', process_name: 'C:\\Program Files\\WindowsApps\\Microsoft.YourPhone_1.22062.543.0_x64__8wekyb3d8bbwe\\PhoneExperienceHost.exe', used_memory_mib: null, gpu_instance_id: null, compute_instance_id: null });
    expect(processes[1]).toMatchObject({ pid: 10808, process_name: null });
    expect(processes.filter((p) => p.process_name === null).map((p) => p.pid)).toEqual([10808, 12636, 13120, 22600, 25520]);
    expect(processes.at(-1)).toMatchObject({ pid: 30212, process_name: 'C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\105.0.1343.42\\msedgewebview2.exe' });
  });
});

describe('plain-text outputs Lathe reads', () => {
  it('02 -L: the H100 with its four MIG devices (profiles and MIG- UUIDs)', () => {
    expect(parseListGpus(readFixture('02'))).toEqual([
      {
        index: 0, name: 'NVIDIA H100 80GB HBM3', uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        migDevices: [
          { index: 0, uuid: 'MIG-00000000-0000-0000-0000-000000000000', profile: '3g.40gb' },
          { index: 1, uuid: 'MIG-00000001-0000-0000-0000-000000000001', profile: '2g.20gb' },
          { index: 2, uuid: 'MIG-00000002-0000-0000-0000-000000000002', profile: '1g.10gb' },
          { index: 3, uuid: 'MIG-00000003-0000-0000-0000-000000000003', profile: '1g.10gb' },
        ],
      },
    ]);
  });

  it('11 --version on driver 610: the deprecated lines give way to KMD / CUDA UMD versions', () => {
    expect(parseVersion(readFixture('11'))).toEqual({ driverVersion: '610.57.04', cudaVersion: '13.3' });
    expect(parseVersion('NVIDIA-SMI version  : 590.48.01\nNVML version        : 590.48\nDRIVER version      : 590.48.01\nCUDA Version        : 13.1\n')).toEqual({ driverVersion: '590.48.01', cudaVersion: '13.1' });
  });

  it('--help-query-gpu: names and aliases from the quoted heads, not from prose', () => {
    const help = 'List of valid properties to query for the switch "--query-gpu":\n\n"timestamp"\nThe timestamp of when the query was made in format "YYYY/MM/DD HH:MM:SS.msec".\n\n"name" or "gpu_name"\nThe official product name.\n\n"clocks_event_reasons.active" or "clocks_throttle_reasons.active"\nBitmask.\n\n"0: Default" means multiple contexts are allowed per device.\n';
    expect([...parseHelpQuery(help)]).toEqual(['timestamp', 'name', 'gpu_name', 'clocks_event_reasons.active', 'clocks_throttle_reasons.active']);
  });
});

describe('failure outputs map to named states', () => {
  const cases: Array<[string, string, number | null]> = [
    ['26', 'driver_not_loaded', 9],
    ['27', 'driver_library_mismatch', null],
    ['29', 'no_devices', 6],
    ['30', 'gpu_lost', 15],
    ['31', 'device_error', 255],
  ];
  for (const [prefix, code, exit] of cases) {
    it(`${prefix} → ${code}, keeping the driver's words and giving a hint`, () => {
      const out = readFixture(prefix);
      for (const e of [exit, null, 255]) {
        const state = classifyFailure(out, e, 1000);
        expect(state.code).toBe(code);
        expect(state.message).toBe(out.trim());
        expect(state.hint).toMatch(/.{40,}/);
        expect(state.exitCode).toBe(e);
      }
    });
  }
  it('the messages themselves', () => {
    expect(classifyFailure(readFixture('30'), null).message).toBe('Unable to determine the device handle for GPU 0000:03:00.0: GPU is lost.  Reboot the system to recover this GPU');
    expect(classifyFailure(readFixture('26'), 9).hint).toContain('kernel driver is not loaded');
    expect(classifyFailure(readFixture('27'), null).hint).toContain('Reboot');
    expect(isDeviceWarning(readFixture('31'))).toBe(true);
    expect(classifyFailure('', 3).code).toBe('unknown_error');
    expect(classifyFailure('', 3).message).toBe('nvidia-smi exited with status 3');
  });
  it('every failure-output fixture is covered above', () => {
    const errFiles = fs.readdirSync(FIXTURES).filter((f) => /^\d\d-err-/.test(f));
    expect(errFiles.map((f) => f.slice(0, 2)).sort()).toEqual(['26', '27', '29', '30', '31']);
  });
});
