import { describe, expect, it } from 'vitest';
import { parseQueryCsv, rowObjects } from '../../src/main/core/gpu/nvidia-csv';
import { gpusFromTable, processesFromTable } from '../../src/main/core/gpu/gpu-rows';
import { isMissing, num, text } from '../../src/main/core/gpu/nvidia-values';
import { indexCommand, readFixture } from './fixture-paths';

// Every CSV fixture, parsed and compared field by field with what the file says (values read
// off each file by hand; INDEX.md says what each one shows).

/** The fields a headerless fixture was queried with, checked against its INDEX.md command. */
function queriedFields(prefix: string, fields: string): string[] {
  expect(indexCommand(prefix)).toContain(`--query-gpu=${fields} `);
  return fields.split(',');
}

const NULL_READINGS = {
  index: null, uuid: null, name: null, pci_bus_id: null, driver_version: null, timestamp: null, count: null,
  utilization_gpu_pct: null, utilization_memory_pct: null, memory_total_mib: null, memory_used_mib: null, memory_free_mib: null,
  temperature_c: null, power_draw_w: null, power_limit_w: null, fan_pct: null, sm_clock_mhz: null, mem_clock_mhz: null,
  graphics_clock_mhz: null, pstate: null, mig_mode: null, persistence_mode: null,
};

describe('--query-gpu CSV fixtures', () => {
  it('03 H100 MIG, all 212 fields with units: MIG leaves utilization [N/A], fan [N/A]; deprecated, bare N/A and empty are null', () => {
    const table = parseQueryCsv(readFixture('03'));
    expect(table.fields).toHaveLength(212);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]).toHaveLength(212);
    expect(table.units[table.fields.indexOf('memory.used')]).toBe('MiB');
    expect(table.units[table.fields.indexOf('power.draw')]).toBe('W');
    expect(gpusFromTable(table)).toEqual([
      {
        index: 0, uuid: 'GPU-00000000-0000-0000-0000-000000000000', name: 'NVIDIA H100 80GB HBM3', pci_bus_id: '00000000:00:09.0',
        driver_version: '590.48.01', timestamp: '2026/07/14 09:00:44.579', count: 1,
        utilization_gpu_pct: null, utilization_memory_pct: null,
        memory_total_mib: 81559, memory_used_mib: 11125, memory_free_mib: 69956, temperature_c: 53,
        power_draw_w: 433.78, power_limit_w: 700, fan_pct: null, sm_clock_mhz: 1980, mem_clock_mhz: 2619, graphics_clock_mhz: 1980,
        pstate: 'P0', mig_mode: true, persistence_mode: true,
      },
    ]);
    const row = rowObjects(table)[0]!;
    expect(row['display_mode']).toBe('[Requested functionality has been deprecated]');
    expect(text(row['display_mode'])).toBeNull();
    expect(row['fabric.health.summary']).toBe('N/A');
    expect(text(row['fabric.health.summary'])).toBeNull();
    expect(row['platform.chassis_serial_number']).toBe('');
    expect(text(row['platform.chassis_serial_number'])).toBeNull();
    expect(row['platform.peer_type']).toBe('Direct Connected');
    expect(num(row['power.draw.instant'])).toBe(447.35);
    expect(num(row['power.min_limit'])).toBe(200);
    expect(num(row['temperature.memory'])).toBe(59);
    expect(num(row['edpp_multiplier'])).toBe(100);
    expect(row['hostname']).toBe('[N/A]');
    // No missing marker ever reads as a number.
    for (const v of table.rows[0]!) if (isMissing(v)) expect(num(v)).toBeNull();
  });

  it('10 RTX 4080 SUPER, 202 fields: fan "0 %" is a real 0, temperature.memory bare N/A is null', () => {
    const table = parseQueryCsv(readFixture('10'));
    expect(table.fields).toHaveLength(202);
    expect(table.rows[0]).toHaveLength(202);
    expect(gpusFromTable(table)).toEqual([
      {
        index: 0, uuid: 'GPU-00000000-0000-0000-0000-000000000000', name: 'NVIDIA GeForce RTX 4080 SUPER', pci_bus_id: '00000000:01:00.0',
        driver_version: '595.71.05', timestamp: '2026/06/26 11:59:58.761', count: 1,
        utilization_gpu_pct: 7, utilization_memory_pct: 2,
        memory_total_mib: 16376, memory_used_mib: 1474, memory_free_mib: 14470, temperature_c: 46,
        power_draw_w: 84.24, power_limit_w: 320, fan_pct: 0, sm_clock_mhz: 2805, mem_clock_mhz: 11251, graphics_clock_mhz: 2805,
        pstate: 'P2', mig_mode: null, persistence_mode: false,
      },
    ]);
    const row = rowObjects(table)[0]!;
    expect(row['kmd_version']).toBe('595.71.05');
    expect(row['temperature.memory']).toBe('N/A');
    expect(num(row['temperature.memory'])).toBeNull();
    expect(num(row['utilization.encoder'])).toBe(72);
    expect(num(row['encoder.stats.averageLatency'])).toBe(62844);
    expect(text(row['serial'])).toBeNull();
    expect(text(row['clocks.applications.graphics'])).toBeNull();
  });

  it('14 Tesla P100, nounits: header keeps [units], values have none; fan [N/A]; no final newline', () => {
    const raw = readFixture('14');
    expect(raw.endsWith('\n')).toBe(false);
    const table = parseQueryCsv(raw);
    expect(table.fields).toEqual(['name', 'uuid', 'fan.speed', 'pstate', 'memory.reserved', 'memory.used', 'memory.free', 'utilization.gpu', 'utilization.memory', 'temperature.gpu', 'power.draw', 'clocks.current.graphics', 'clocks.current.sm', 'clocks.current.memory', 'clocks.current.video']);
    expect(table.units).toEqual([null, null, '%', null, 'MiB', 'MiB', 'MiB', '%', '%', null, 'W', 'MHz', 'MHz', 'MHz', 'MHz']);
    expect(gpusFromTable(table)).toEqual([
      {
        ...NULL_READINGS, uuid: 'GPU-00000000-0000-0000-0000-000000000001', name: 'Tesla P100-PCIE-16GB', fan_pct: null, pstate: 'P0',
        memory_used_mib: 0, memory_free_mib: 16280, utilization_gpu_pct: 0, utilization_memory_pct: 0, temperature_c: 37,
        power_draw_w: 28.16, graphics_clock_mhz: 405, sm_clock_mhz: 405, mem_clock_mhz: 715,
      },
    ]);
    expect(num(rowObjects(table)[0]!['memory.reserved'])).toBe(103);
    expect(num(rowObjects(table)[0]!['clocks.current.video'])).toBe(835);
  });

  it('20 8x TITAN X, noheader,nounits: all eight GPUs in order', () => {
    const fields = queriedFields('20', 'index,uuid,name,temperature.gpu,utilization.gpu,memory.used,memory.total');
    const gpus = gpusFromTable(parseQueryCsv(readFixture('20'), { fields }));
    const expected: Array<[number, number, number]> = [
      [25, 0, 802], [54, 86, 10032], [55, 85, 6442], [58, 60, 6442], [55, 84, 6459], [54, 83, 6440], [56, 83, 6451], [55, 82, 6442],
    ];
    expect(gpus).toEqual(
      expected.map(([temp, util, used], i) => ({
        ...NULL_READINGS, index: i, uuid: `GPU-00000000-0000-0000-0000-00000000000${i + 1}`, name: 'GeForce GTX TITAN X',
        temperature_c: temp, utilization_gpu_pct: util, memory_used_mib: used, memory_total_mib: 12206,
      })),
    );
  });

  it("21 systeminformation's query on a 2-GPU box: the GT 710 gives [N/A] for fan, utilization, power, clocks; bare N/A temperature.memory", () => {
    const fields = queriedFields('21', 'driver_version,pci.sub_device_id,name,pci.bus_id,fan.speed,memory.total,memory.used,memory.free,utilization.gpu,utilization.memory,temperature.gpu,temperature.memory,power.draw,power.limit,clocks.gr,clocks.mem');
    const table = parseQueryCsv(readFixture('21'), { fields });
    expect(table.fields).toContain('clocks.current.graphics');
    expect(gpusFromTable(table)).toEqual([
      {
        ...NULL_READINGS, driver_version: '450.57', name: 'GeForce GTX 1070 Ti', pci_bus_id: '00000000:01:00.0', fan_pct: 37,
        memory_total_mib: 8119, memory_used_mib: 4856, memory_free_mib: 3263, utilization_gpu_pct: 14, utilization_memory_pct: 3,
        temperature_c: 38, power_draw_w: 41.22, power_limit_w: 180, graphics_clock_mhz: 1607, mem_clock_mhz: 3802,
      },
      {
        ...NULL_READINGS, driver_version: '450.57', name: 'GeForce GT 710', pci_bus_id: '00000000:04:00.0', fan_pct: null,
        memory_total_mib: 981, memory_used_mib: 871, memory_free_mib: 110, utilization_gpu_pct: null, utilization_memory_pct: null,
        temperature_c: 45, power_draw_w: null, power_limit_w: null, graphics_clock_mhz: null, mem_clock_mhz: null,
      },
    ]);
    const rows = rowObjects(table);
    expect(rows.map((r) => r['temperature.memory'])).toEqual(['N/A', 'N/A']);
    expect(rows.map((r) => num(r['temperature.memory']))).toEqual([null, null]);
    expect(rows.map((r) => r['pci.sub_device_id'])).toEqual(['0x244519DA', '0x85F71043']);
  });

  it('23 GB10 unified memory: memory.used/total [N/A] while utilization.memory is a real 0', () => {
    const fields = ['memory.used', 'memory.total', 'utilization.memory'];
    expect(indexCommand('23')).toContain('--query-gpu=memory.used,memory.total,utilization.memory');
    expect(gpusFromTable(parseQueryCsv(readFixture('23'), { fields }))).toEqual([{ ...NULL_READINGS, memory_used_mib: null, memory_total_mib: null, utilization_memory_pct: 0 }]);
  });

  it('24 laptop: fan.speed [N/A] is null', () => {
    expect(indexCommand('24')).toContain('--query-gpu=fan.speed ');
    expect(gpusFromTable(parseQueryCsv(readFixture('24'), { fields: ['fan.speed'] }))).toEqual([{ ...NULL_READINGS, fan_pct: null }]);
    expect(parseQueryCsv(readFixture('24'), { fields: ['fan.speed'] }).rows).toEqual([['[N/A]']]);
  });

  it('32 GTX 770, noheader WITH units: [Not Supported] is null, "52 %" is 52', () => {
    const fields = queriedFields('32', 'gpu_name,utilization.gpu,utilization.memory,temperature.gpu,power.draw,power.limit,fan.speed,pstate,clocks.current.graphics,clocks.current.memory,power.max_limit,power.default_limit');
    const table = parseQueryCsv(readFixture('32'), { fields });
    expect(table.fields[0]).toBe('name');
    expect(gpusFromTable(table)).toEqual([
      { ...NULL_READINGS, name: 'GeForce GTX 770', utilization_gpu_pct: null, utilization_memory_pct: null, temperature_c: 52, power_draw_w: null, power_limit_w: null, fan_pct: 52, pstate: 'P0', graphics_clock_mhz: null, mem_clock_mhz: null },
    ]);
    const row = rowObjects(table)[0]!;
    expect([row['power.max_limit'], row['power.default_limit']]).toEqual(['[Not Supported]', '[Not Supported]']);
    expect(num(row['power.max_limit'])).toBeNull();
  });

  it('34 2 GB GeForce, old driver: fan [Not Supported] is null, the zeros are real', () => {
    const fields = queriedFields('34', 'memory.total,memory.free,memory.used,temperature.gpu,fan.speed,utilization.gpu,utilization.memory');
    expect(gpusFromTable(parseQueryCsv(readFixture('34'), { fields }))).toEqual([
      { ...NULL_READINGS, memory_total_mib: 2004, memory_free_mib: 2004, memory_used_mib: 0, temperature_c: 44, fan_pct: null, utilization_gpu_pct: 0, utilization_memory_pct: 0 },
    ]);
  });

  it('35 GTX 650: header "utilization.gpu [%]" then [Not Supported]', () => {
    const table = parseQueryCsv(readFixture('35'));
    expect(table.fields).toEqual(['utilization.gpu']);
    expect(table.units).toEqual(['%']);
    expect(gpusFromTable(table)).toEqual([{ ...NULL_READINGS, utilization_gpu_pct: null }]);
  });
});

describe('--query-compute-apps CSV fixtures', () => {
  it('04 H100 MIG: rows carry the parent GPU UUID; used_gpu_memory has units', () => {
    const table = parseQueryCsv(readFixture('04'), { kind: 'apps' });
    expect(table.fields).toEqual(['timestamp', 'gpu_name', 'gpu_bus_id', 'gpu_serial', 'gpu_uuid', 'pid', 'process_name', 'used_gpu_memory']);
    expect(table.units[7]).toBe('MiB');
    const gpu = 'GPU-00000000-0000-0000-0000-000000000000';
    expect(processesFromTable(table)).toEqual([
      { gpu_uuid: gpu, pid: 21180, process_name: '/root/tools/memhog', used_memory_mib: 2296, timestamp: '2026/07/14 09:00:44.742' },
      { gpu_uuid: gpu, pid: 21181, process_name: '/root/tools/memhog', used_memory_mib: 1272, timestamp: '2026/07/14 09:00:44.742' },
      { gpu_uuid: gpu, pid: 21198, process_name: './gpu_burn', used_memory_mib: 7484, timestamp: '2026/07/14 09:00:44.742' },
    ]);
  });

  it('08 Windows WDDM: 21 processes, used_gpu_memory [N/A] is null (not 0), paths with spaces and parentheses intact', () => {
    const procs = processesFromTable(parseQueryCsv(readFixture('08'), { kind: 'apps' }));
    expect(procs).toHaveLength(21);
    expect(procs.every((p) => p.used_memory_mib === null && p.gpu_uuid === 'GPU-00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(procs.map((p) => p.pid)).toEqual([2140, 13264, 13504, 13160, 14872, 14808, 16760, 17648, 15964, 17840, 19052, 20440, 21912, 22412, 23480, 23988, 19956, 2164, 13092, 12940, 13820]);
    expect(procs[0]!.process_name).toBe('C:\\Windows\\System32\\dwm.exe');
    expect(procs[7]!.process_name).toBe('C:\\Program Files\\NVIDIA Corporation\\NVIDIA App\\CEF\\NVIDIA Overlay.exe');
    expect(procs[9]!.process_name).toBe('C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\149.0.4022.80\\msedgewebview2.exe');
    const row = rowObjects(parseQueryCsv(readFixture('08'), { kind: 'apps' }))[0]!;
    expect(row['gpu_serial']).toBe('[N/A]');
  });

  it('36 vGPU host: the alias "name" is echoed as process_name; two rows share one GPU', () => {
    expect(indexCommand('36')).toContain('--query-compute-apps=gpu_uuid,name ');
    const table = parseQueryCsv(readFixture('36'), { kind: 'apps' });
    expect(table.fields).toEqual(['gpu_uuid', 'process_name']);
    expect(processesFromTable(table)).toEqual([
      { gpu_uuid: 'GPU-00000000-0000-0000-0000-000000000001', pid: null, process_name: 'vgpu', used_memory_mib: null, timestamp: null },
      { gpu_uuid: 'GPU-00000000-0000-0000-0000-000000000002', pid: null, process_name: 'vgpu', used_memory_mib: null, timestamp: null },
      { gpu_uuid: 'GPU-00000000-0000-0000-0000-000000000002', pid: null, process_name: 'vgpu', used_memory_mib: null, timestamp: null },
    ]);
    // The same answer when told the requested fields (alias `name`).
    expect(parseQueryCsv(readFixture('36'), { kind: 'apps', fields: ['gpu_uuid', 'name'] }).fields).toEqual(['gpu_uuid', 'process_name']);
  });
});

describe('CSV edge cases beyond the fixtures', () => {
  it('a name containing ", " is joined back into its column (split outside-in), and CRLF is stripped', () => {
    const t = parseQueryCsv('index, name, memory.used [MiB]\r\n0, Foo, Inc. GPU, 12 MiB\r\n', {});
    expect(t.rows).toEqual([['0', 'Foo, Inc. GPU', '12 MiB']]);
  });
  it('lines that are not rows (a device that could not be read) are kept aside', () => {
    const t = parseQueryCsv('index, uuid\nUnable to determine the device handle for GPU 0000:09:00.0: Unknown Error\n1, GPU-1\n');
    expect(t.rows).toEqual([['1', 'GPU-1']]);
    expect(t.other).toEqual(['Unable to determine the device handle for GPU 0000:09:00.0: Unknown Error']);
  });
});

describe('fixture coverage', () => {
  it('every CSV and XML fixture is parsed by a test in this folder', async () => {
    const fs = await import('node:fs');
    const { FIXTURES } = await import('./fixture-paths');
    const files = fs.readdirSync(FIXTURES).filter((f) => /\.(csv|xml)$/.test(f)).map((f) => f.slice(0, 2));
    // CSV: this file; XML (12, 13): parse-xml-text-failure-fixtures.test.ts.
    expect(files).toEqual(['03', '04', '08', '10', '12', '13', '14', '20', '21', '23', '24', '32', '34', '35', '36']);
  });
});
