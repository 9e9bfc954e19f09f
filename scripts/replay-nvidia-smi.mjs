#!/usr/bin/env node
// A stand-in for nvidia-smi that answers Lathe's invocations from recorded outputs, so the GPU
// code runs end to end on machines without a GPU (tests, benchmarks, demos). Point Lathe at it:
//
//   NVIDIA_SMI_REPLAY=test/gpu/replay/h100-mig.json LATHE_NVIDIA_SMI=scripts/replay-nvidia-smi.mjs lathe serve
//
// The scenario file (JSON, paths relative to it; re-read on every loop tick, so a test can
// change the machine under a running sampler):
//   gpu:     { file, fields?, limit? }  a recorded --query-gpu CSV (header taken from the file,
//                                       or `fields` for a noheader recording; `limit`: first N GPUs)
//            or an array of such recordings, played as successive ticks (cycling)
//   apps:    { file, fields? }          a recorded --query-compute-apps CSV (absent: no processes)
//   list:    file                       recorded `nvidia-smi -L` (absent: built from the GPU rows)
//   version: file                       recorded `nvidia-smi --version`
//   xml:     file                       recorded `nvidia-smi -q -x`
//   failure: { file, exitCode }         every invocation prints this file and exits with exitCode
//
// What it answers, like the real tool: --query-gpu=… / --query-compute-apps=… with
// --format=csv[,noheader][,nounits] once, or in loop mode with -lms N / -l N (header once, then
// one line per GPU each tick); --help-query-gpu / --help-query-compute-apps (the recorded
// fields); -L; --version; -q -x. A field the recording lacks fails the whole query, as on a
// driver that does not know it: `Field "x" is not a valid field to query.` (exit 2). With
// nounits, units are stripped from recorded values. The `timestamp` column is the replay's clock.
import fs from 'node:fs';
import path from 'node:path';

const ALIASES = { gpu_name: 'name', gpu_serial: 'serial', gpu_uuid: 'uuid', gpu_bus_id: 'pci.bus_id', 'clocks.sm': 'clocks.current.sm', 'clocks.gr': 'clocks.current.graphics', 'clocks.mem': 'clocks.current.memory', 'clocks.video': 'clocks.current.video' };
const APP_ALIASES = { name: 'process_name', used_memory: 'used_gpu_memory' };

const scenarioPath = process.env.NVIDIA_SMI_REPLAY;
if (!scenarioPath) {
  process.stderr.write('replay-nvidia-smi: set NVIDIA_SMI_REPLAY to a scenario JSON file\n');
  process.exit(2);
}

function loadScenario() {
  const s = JSON.parse(fs.readFileSync(scenarioPath, 'utf8'));
  const dir = path.dirname(path.resolve(scenarioPath));
  const abs = (f) => (f ? path.resolve(dir, f) : undefined);
  const rec = (r) => (r ? { ...r, file: abs(r.file) } : undefined);
  return {
    gpu: Array.isArray(s.gpu) ? s.gpu.map(rec) : s.gpu ? [rec(s.gpu)] : [],
    apps: rec(s.apps),
    list: abs(s.list),
    version: abs(s.version),
    xml: abs(s.xml),
    failure: s.failure ? { ...s.failure, file: abs(s.failure.file) } : undefined,
  };
}

const splitHeader = (cell) => {
  const m = /^\s*([^[\]]+?)\s*(?:\[([^\]]*)\])?\s*$/.exec(cell);
  return { field: m ? m[1] : cell.trim(), unit: m?.[2] ?? null };
};

/** A recording as {fields (canonical), units, rows}. */
function readRecording(rec, aliases) {
  if (!rec) return { fields: [], units: [], rows: [] };
  const lines = fs.readFileSync(rec.file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  let fields;
  let units;
  if (rec.fields) {
    fields = rec.fields.map((f) => aliases[f] ?? f);
    units = fields.map(() => null);
  } else {
    const head = lines.shift().split(', ').map(splitHeader);
    fields = head.map((h) => aliases[h.field] ?? h.field);
    units = head.map((h) => h.unit);
  }
  let rows = lines.map((l) => l.split(', ')).filter((cells) => cells.length === fields.length);
  if (rec.limit) rows = rows.slice(0, rec.limit);
  return { fields, units, rows };
}

function nowStamp() {
  const d = new Date();
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function answer(rec, requested, format, aliases) {
  const wanted = requested.map((f) => aliases[f] ?? f);
  for (let i = 0; i < wanted.length; i++) {
    if (wanted[i] !== 'timestamp' && !rec.fields.includes(wanted[i])) return { error: `Field "${requested[i]}" is not a valid field to query.\n` };
  }
  const cols = wanted.map((f) => rec.fields.indexOf(f));
  const header = wanted.map((f, i) => (cols[i] >= 0 && rec.units[cols[i]] ? `${f} [${rec.units[cols[i]]}]` : f)).join(', ');
  const stamp = nowStamp();
  const strip = (v) => (format.nounits ? v.replace(/^(-?\d+(?:\.\d+)?) (W|MiB|%|MHz|us|C)$/, '$1') : v);
  const lines = rec.rows.map((r) => wanted.map((f, i) => (f === 'timestamp' ? stamp : strip(r[cols[i]]))).join(', '));
  return { header, lines };
}

const args = process.argv.slice(2);
const opt = (name) => {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
    if (args[i] === name) return args[i + 1] ?? '';
  }
  return undefined;
};

let scenario = loadScenario();
if (scenario.failure) {
  process.stdout.write(fs.readFileSync(scenario.failure.file, 'utf8'));
  process.exit(scenario.failure.exitCode ?? 255);
}

if (args.includes('--version')) {
  if (scenario.version) process.stdout.write(fs.readFileSync(scenario.version, 'utf8'));
  else process.stdout.write('NVIDIA-SMI version  : replay\n');
  process.exit(0);
}

if (args.includes('--help-query-gpu') || args.includes('--help-query-compute-apps')) {
  const apps = args.includes('--help-query-compute-apps');
  const rec = apps ? readRecording(scenario.apps, APP_ALIASES) : readRecording(scenario.gpu[0], ALIASES);
  const fields = new Set(['timestamp', ...rec.fields]);
  process.stdout.write(`List of valid properties to query for the switch "${apps ? '--query-compute-apps' : '--query-gpu'}":\n\n`);
  for (const f of fields) process.stdout.write(`"${f}"\nRecorded field (replay).\n\n`);
  process.exit(0);
}

if (args.includes('-L') || args.includes('--list-gpus')) {
  if (scenario.list) process.stdout.write(fs.readFileSync(scenario.list, 'utf8'));
  else {
    const rec = readRecording(scenario.gpu[0], ALIASES);
    const col = (f) => rec.fields.indexOf(f);
    rec.rows.forEach((r, i) => process.stdout.write(`GPU ${col('index') >= 0 ? r[col('index')] : i}: ${r[col('name')] ?? 'GPU'} (UUID: ${r[col('uuid')] ?? ''})\n`));
  }
  process.exit(0);
}

if (args.includes('-q') && args.includes('-x')) {
  if (!scenario.xml) {
    process.stdout.write('replay-nvidia-smi: the scenario has no -q -x recording\n');
    process.exit(2);
  }
  process.stdout.write(fs.readFileSync(scenario.xml, 'utf8'));
  process.exit(0);
}

const gpuQuery = opt('--query-gpu');
const appsQuery = opt('--query-compute-apps');
if (gpuQuery === undefined && appsQuery === undefined) {
  process.stdout.write('replay-nvidia-smi: only the invocations Lathe makes are replayed (see the header of this script)\n');
  process.exit(2);
}
const formatOpt = (opt('--format') ?? '').split(',');
if (!formatOpt.includes('csv')) {
  process.stdout.write('"--format=" switch is missing. Please run \'nvidia-smi -h\' for help.\n');
  process.exit(2);
}
const format = { noheader: formatOpt.includes('noheader'), nounits: formatOpt.includes('nounits') };
const lms = opt('-lms') ?? opt('--loop-ms');
const ls = opt('-l') ?? opt('--loop');
const intervalMs = lms !== undefined ? Number(lms) : ls !== undefined ? Number(ls || 5) * 1000 : null;

let tick = 0;
function emit(first) {
  if (tick > 0) {
    try {
      scenario = loadScenario();
    } catch {
      // A scenario being rewritten: keep the last one for this tick.
    }
  }
  if (scenario.failure) {
    process.stdout.write(fs.readFileSync(scenario.failure.file, 'utf8'));
    process.exit(scenario.failure.exitCode ?? 255);
  }
  const isApps = appsQuery !== undefined;
  const rec = isApps ? readRecording(scenario.apps, APP_ALIASES) : readRecording(scenario.gpu[tick % Math.max(1, scenario.gpu.length)], ALIASES);
  if (isApps && !scenario.apps) rec.fields = appsQuery.split(',').map((f) => APP_ALIASES[f] ?? f);
  const out = answer(rec, (isApps ? appsQuery : gpuQuery).split(','), format, isApps ? APP_ALIASES : ALIASES);
  if (out.error) {
    process.stdout.write(out.error);
    process.exit(2);
  }
  let text = '';
  if (first && !format.noheader) text += `${out.header}\n`;
  for (const l of out.lines) text += `${l}\n`;
  if (text) process.stdout.write(text);
  tick += 1;
}

emit(true);
if (intervalMs === null) process.exit(0);
// Like the real tool, stop when the reader is gone: a closed pipe, or (for a loop that prints
// nothing, e.g. no compute processes) the parent process having died.
const parent = process.ppid;
process.stdout.on('error', () => process.exit(0));
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
  try {
    emit(false);
  } catch (err) {
    // A recording being replaced between ticks: skip this tick, as a slow driver would.
    process.stderr.write(`replay-nvidia-smi: skipped a tick: ${err.message}\n`);
  }
}, Math.max(1, intervalMs));
process.on('SIGTERM', () => process.exit(0));
