import { execFile } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCore } from '../src/main/core/create-core';
import { loadOrCreateToken } from '../src/main/core/config';
import { startHttpServer } from '../src/main/server/http-server';
import { createMlflowRoutes } from '../src/main/mlflow/mlflow-routes';
import { tempHome } from '../test/helpers/temp-home';

/**
 * Ingest over HTTP with MLflow log-batch (1,000 metrics a request), client and server on this
 * machine: the server runs here, the client in its own process (bench/ingest-client.mjs), one
 * request in flight per run. Then every point is read back through metrics/get-history and
 * compared. Prints points/s for each concurrency; the target is ≥ 100,000 points/s.
 *
 *   node bench/run.mjs bench/tracking-ingest.ts [points=1000000] [keys=20]
 */
const run = promisify(execFile);

function getJson(base: string, token: string, p: string, query: Record<string, string>): Promise<Record<string, unknown>> {
  const url = new URL(p, base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : reject(new Error(`${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

export default async function main(args: string[]): Promise<void> {
  const totalPoints = Number(args[0] ?? 1_000_000);
  const keys = Number(args[1] ?? 20);
  for (const concurrency of [1, 4]) {
    const t = tempHome('lathe-bench-ingest-');
    const core = createCore({ home: t.home });
    const token = loadOrCreateToken(t.home);
    const server = await startHttpServer({ core, token, port: 0, routes: [createMlflowRoutes(core, token)] });
    try {
      const exp = core.tracking.createExperiment('ingest');
      const runIds = Array.from({ length: concurrency }, (_, i) => core.tracking.createRun({ experimentId: exp.experimentId, name: `ingest-${i}` }).runId);
      const perRun = Math.ceil(totalPoints / 1000 / concurrency);
      const cpu0 = process.cpuUsage();
      const { stdout } = await run(process.execPath, [fileURLToPath(new URL('./ingest-client.mjs', import.meta.url)), server.url, token, runIds.join(','), String(perRun), String(keys)], { maxBuffer: 1 << 20 });
      const r = JSON.parse(stdout) as { requests: number; points: number; ms: number };
      const cpu = process.cpuUsage(cpu0);
      const serverCpuMs = (cpu.user + cpu.system) / 1000;
      // Read every point back through the MLflow API and check it.
      const t0 = performance.now();
      let readBack = 0;
      for (const runId of runIds) {
        for (let k = 0; k < keys; k++) {
          let token2: string | undefined;
          let expectStep = 0;
          do {
            const page = await getJson(server.url, token, '/api/2.0/mlflow/metrics/get-history', { run_id: runId, metric_key: `m${k}`, max_results: '25000', ...(token2 ? { page_token: token2 } : {}) });
            for (const m of (page.metrics ?? []) as Array<{ step: number; value: number }>) {
              if (m.step !== expectStep || Math.abs(m.value - Math.sin(m.step / 100 + k)) > 1e-12) throw new Error(`read back ${runId} m${k} step ${m.step}: ${m.value}`);
              expectStep++;
              readBack++;
            }
            token2 = page.next_page_token as string | undefined;
          } while (token2);
        }
      }
      const readMs = performance.now() - t0;
      if (readBack !== r.points) throw new Error(`read back ${readBack} of ${r.points} points`);
      console.log(
        `ingest  concurrency ${concurrency}: ${r.points.toLocaleString('en')} points in ${r.requests} log-batch requests, ${(r.ms / 1000).toFixed(2)} s → ` +
          `${Math.round(r.points / (r.ms / 1000)).toLocaleString('en')} points/s (target ≥ 100,000); ` +
          `${(r.ms / r.requests).toFixed(2)} ms/request, server CPU ${(serverCpuMs / r.requests).toFixed(2)} ms/request; read back ${readBack.toLocaleString('en')} points in ${(readMs / 1000).toFixed(2)} s`,
      );
    } finally {
      await server.close();
      core.dispose();
      t.cleanup();
    }
  }
}
