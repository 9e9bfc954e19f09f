import type { Command } from 'commander';
import { createCore } from '../core/create-core';
import type { GpuSnapshot, QueueStatus } from '../../shared/api/gpu-types';
import { connectServer, runningServerClient } from './server-connection';
import { withCore } from './with-core';
import { formatTime, table, toJson } from './format';

/**
 * The `lathe gpus --json` shape (README, docs/gpus.md): versions, a state (`ok` or an error code
 * with the driver's message and a hint), and per GPU the readings (null where the driver gave
 * none), MIG devices, processes with the container and run they belong to, and the lease.
 */
export function gpusJson(s: GpuSnapshot) {
  return {
    driver_version: s.driver_version,
    cuda_version: s.cuda_version,
    state: s.state.code,
    message: s.state.message,
    hint: s.state.hint,
    sampled_at: s.sampled_at,
    warnings: s.warnings,
    gpus: s.gpus.map((g) => ({
      index: g.index,
      uuid: g.uuid,
      name: g.name,
      pci_bus_id: g.pci_bus_id,
      utilization_gpu_pct: g.utilization_gpu_pct,
      utilization_memory_pct: g.utilization_memory_pct,
      memory_total_mib: g.memory_total_mib,
      memory_used_mib: g.memory_used_mib,
      temperature_c: g.temperature_c,
      power_draw_w: g.power_draw_w,
      power_limit_w: g.power_limit_w,
      fan_pct: g.fan_pct,
      sm_clock_mhz: g.sm_clock_mhz,
      mem_clock_mhz: g.mem_clock_mhz,
      pstate: g.pstate,
      mig_mode: g.mig_mode,
      mig_devices: g.mig_devices,
      processes: g.processes.map((p) => ({ pid: p.pid, used_memory_mib: p.used_memory_mib, container_id: p.container_id, run_id: p.run_id, process_name: p.process_name, owner: p.owner, user: p.user, command: p.command })),
      lease: g.lease ? { run_id: g.lease.run_id, run_name: g.lease.run_name } : null,
      foreign_memory_mib: g.foreign_memory_mib,
    })),
  };
}

const dash = (v: number | string | null, unit = '') => (v === null ? '-' : `${typeof v === 'number' ? Math.round(v * 10) / 10 : v}${unit}`);

/** The human form of a snapshot: one row per GPU, then its processes. */
export function gpusText(s: GpuSnapshot): string {
  if (s.state.code !== 'ok') return `No NVIDIA GPU readings: ${s.state.code}\n  ${s.state.message ?? ''}\n  ${s.state.hint ?? ''}`;
  const head = `driver ${s.driver_version ?? '-'}  CUDA ${s.cuda_version ?? '-'}  ${formatTime(s.sampled_at)}`;
  const gpus = table(
    ['gpu', 'name', 'util', 'memory', 'temp', 'power', 'fan', 'sm clock', 'held by'],
    s.gpus.map((g) => [
      dash(g.index),
      g.name ?? '-',
      dash(g.utilization_gpu_pct, '%'),
      `${dash(g.memory_used_mib)} / ${dash(g.memory_total_mib)} MiB`,
      dash(g.temperature_c, 'C'),
      `${dash(g.power_draw_w, 'W')} / ${dash(g.power_limit_w, 'W')}`,
      dash(g.fan_pct, '%'),
      dash(g.sm_clock_mhz, ' MHz'),
      g.lease ? `${g.lease.run_name} (${g.lease.run_id.slice(0, 8)})` : '',
    ]),
  );
  const procs = s.gpus.flatMap((g) => g.processes.map((p) => [dash(g.index), String(p.pid), dash(p.used_memory_mib, ' MiB'), p.run_id ? `run ${p.run_name} (${p.run_id.slice(0, 8)})` : `foreign${p.user ? ` (${p.user})` : ''}`, p.command ?? p.process_name ?? '']));
  return [head, gpus, procs.length ? table(['gpu', 'pid', 'memory', 'belongs to', 'command'], procs) : 'No GPU processes.'].join('\n');
}

/** The human form of the queue. */
export function queueText(q: QueueStatus): string {
  const entries = q.entries.length
    ? table(['#', 'run id', 'name', 'priority', 'wants', 'since', 'reason'], q.entries.map((e) => [String(e.position), e.run_id, e.run_name, String(e.priority), Array.isArray(e.request) ? e.request.join(',') : String(e.request), formatTime(e.enqueued_at), e.reason]))
    : 'No run is waiting for GPUs.';
  const leases = q.leases.length ? table(['gpu', 'uuid', 'run id', 'name', 'since'], q.leases.map((l) => [String(l.gpu_index ?? '-'), l.gpu_uuid, l.run_id, l.run_name, formatTime(l.acquired_at)])) : 'No GPU is leased.';
  return `${entries}\n${leases}\nqueue mode: ${q.mode}; GPUs with more than ${q.foreign_memory_threshold_mib} MiB used outside Lathe are not assigned.`;
}

/** Registers `lathe gpus` and `lathe queue` (with `cancel` and `priority`). */
export function registerGpuCommands(program: Command, home: () => string): void {
  program
    .command('gpus')
    .description('GPU readings, processes and the runs they belong to (from the running server, else nvidia-smi directly); exits 1 when the driver gives no readings')
    .option('--json', 'print JSON (shape in README, "GPUs")')
    .option('--watch', 'print again at every sample until Ctrl+C')
    .action(async (opts: { json?: boolean; watch?: boolean }) => {
      const print = (s: GpuSnapshot) => {
        if (opts.json) console.log(toJson(gpusJson(s)));
        else console.log(`${opts.watch ? '\x1b[2J\x1b[H' : ''}${gpusText(s)}`);
        if (!opts.watch) process.exitCode = s.state.code === 'ok' ? 0 : 1;
      };
      const client = runningServerClient(home());
      if (client) {
        for (;;) {
          const s = await client.gpus.snapshot();
          print(s);
          if (!opts.watch) return;
          await new Promise((r) => setTimeout(r, Math.max(500, s.interval_ms)));
        }
      }
      if (!opts.watch) {
        await withCore(home(), async (core) => print(await core.gpus.service.sampleOnce()));
        return;
      }
      const core = createCore({ home: home() });
      core.gpus.service.on('snapshot', print);
      core.gpus.service.on('state', () => core.gpus.service.snapshot().state.code !== 'ok' && print(core.gpus.service.snapshot()));
      core.gpus.service.start();
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      core.dispose();
    });

  const queue = program
    .command('queue')
    .description('runs waiting for GPUs (serving order, reasons) and the GPUs leased to runs')
    .option('--json', 'print JSON (shape in README, "GPUs")')
    .action(async (opts: { json?: boolean }) => {
      const client = runningServerClient(home());
      const status = client ? await client.queue.list() : await withCore(home(), (core) => core.gpus.queue.status());
      console.log(opts.json ? toJson(status) : queueText(status));
    });
  queue
    .command('cancel')
    .description('cancel a queued run (it ends KILLED)')
    .argument('<run_id>')
    .action(async (runId: string) => {
      const conn = await connectServer(home(), false);
      try {
        const info = await conn.client.queue.cancel({ runId });
        console.log(`${info.runId} ${info.status}`);
      } finally {
        await conn.close();
      }
    });
  queue
    .command('priority')
    .description('set a queued run\'s priority (higher is served first)')
    .argument('<run_id>')
    .argument('<priority>', 'an integer -1000..1000')
    .action(async (runId: string, priority: string) => {
      const conn = await connectServer(home(), false);
      try {
        const status = await conn.client.queue.setPriority({ runId, priority: Number(priority) });
        console.log(queueText(status));
      } finally {
        await conn.close();
      }
    });
}
