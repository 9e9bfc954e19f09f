/**
 * GPU sampler overhead: Lathe's own CPU time while sampling at 1 Hz, with nvidia-smi replaced by
 * the replay script (its CPU is in child processes and not counted, as the issue asks).
 * Everything a server does per sample runs: loop-mode line parsing, the compute-apps loop,
 * /proc attribution, the ring buffer, SQLite rollups, the queue pump, and change events.
 *
 *   node bench/run.mjs bench/gpu-sampler-overhead.ts [--seconds 60] [--scenario titanx-8|h100-mig]
 *
 * Prints CPU % of one core (user + system) over the window after a 3 s warm-up. Target: < 1 %.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../src/main/core/create-core';
import { tempHome } from '../test/helpers/temp-home';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function measure(scenario: string, seconds: number): Promise<void> {
  const t = tempHome('lathe-bench-');
  const core = createCore({
    home: t.home,
    gpu: { nvidiaSmi: path.join(ROOT, 'scripts/replay-nvidia-smi.mjs'), intervalMs: 1000, env: { ...process.env, NVIDIA_SMI_REPLAY: path.join(ROOT, 'test/gpu/replay', `${scenario}.json`) } },
  });
  let ticks = 0;
  core.gpus.service.on('snapshot', () => (ticks += 1));
  core.gpus.start();
  await new Promise((r) => setTimeout(r, 3000));
  const gpus = core.gpus.service.snapshot().gpus.length;
  const procs = core.gpus.service.snapshot().gpus.reduce((n, g) => n + g.processes.length, 0);
  ticks = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  core.dispose();
  t.cleanup();
  const pct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  console.log(
    `${scenario}: ${gpus} GPU(s), ${procs} process(es), ${ticks} samples in ${(wallMs / 1000).toFixed(1)} s; ` +
      `Lathe CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (user ${(cpu.user / 1000).toFixed(0)}, system ${(cpu.system / 1000).toFixed(0)}) = ${pct.toFixed(3)} % of one core`,
  );
}

export default async function main(args: string[]): Promise<void> {
  const arg = (name: string, def: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : def;
  };
  const seconds = Number(arg('seconds', '60'));
  const scenarios = args.includes('--scenario') ? [arg('scenario', 'titanx-8')] : ['titanx-8', 'h100-mig'];
  console.log(`GPU sampler overhead at 1 Hz, ${seconds} s per scenario (Node ${process.version}, ${process.platform})`);
  for (const s of scenarios) await measure(s, seconds);
}
