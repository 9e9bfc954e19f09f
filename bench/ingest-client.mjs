// The client side of bench/tracking-ingest.ts, run as its own process (as a training script
// would be): sends MLflow log-batch requests of 1,000 metrics over keep-alive HTTP, one
// request in flight per run, and prints {requests, points, ms} as JSON on stdout.
// argv: baseUrl token runIdsCsv requestsPerRun keys
import http from 'node:http';

const [base, token, runCsv, perRunArg, keysArg] = process.argv.slice(2);
const runIds = runCsv.split(',');
const perRun = Number(perRunArg);
const keys = Number(keysArg);
const stepsPerRequest = 1000 / keys;
const url = new URL('/api/2.0/mlflow/runs/log-batch', base);
const agent = new http.Agent({ keepAlive: true, maxSockets: runIds.length });

function post(body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(body);
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': data.length } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode} ${Buffer.concat(chunks)}`))));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const t0 = performance.now();
const ts0 = 1_700_000_000_000;
await Promise.all(
  runIds.map(async (runId) => {
    for (let r = 0; r < perRun; r++) {
      const metrics = [];
      for (let s = 0; s < stepsPerRequest; s++) {
        const step = r * stepsPerRequest + s;
        for (let k = 0; k < keys; k++) metrics.push({ key: `m${k}`, value: Math.sin(step / 100 + k), timestamp: ts0 + step, step });
      }
      await post(JSON.stringify({ run_id: runId, metrics }));
    }
  }),
);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ requests: perRun * runIds.length, points: perRun * runIds.length * 1000, ms }));
agent.destroy();
