import fs from 'node:fs';
import os from 'node:os';
import { LatheError } from '../../shared/errors';
import net4 from 'node:net';
import path from 'node:path';
import type { Core } from '../core/create-core';
import { isLiveLathe, reconcileRuns, type ReconcileReport } from '../core/execution/run-reconciler';
import { startHttpServer, type HttpRoute, type RunningServer } from './http-server';
import { createMlflowRoutes } from '../mlflow/mlflow-routes';

export interface LatheServerOptions {
  core: Core;
  token: string;
  host?: string;
  port?: number;
  staticDir?: string;
  allowedHosts?: string[];
  /** Route families served on every listener; default: the MLflow REST API. */
  routes?: HttpRoute[];
  /** Listen on the Docker bridge address too, so containers reach the tracking API (default true). */
  bridge?: boolean;
  /**
   * Re-attach runs left by earlier servers, at start and every 30 s (default true). The
   * short-lived server of a single `lathe run` leaves them to `lathe serve`.
   */
  reconcile?: boolean;
}

export interface LatheServer {
  main: RunningServer;
  /** The listener on the Docker bridge gateway (tracking API only), when there is one. */
  bridge: RunningServer | null;
  reconciled: ReconcileReport;
  close(): Promise<void>;
}

/** Written to `<home>/server.json` while a server runs, so `lathe run` can find it. */
export interface ServerRecord {
  pid: number;
  url: string;
  containerUrl: string | null;
  startedAt: number;
}

export function serverRecordPath(home: string): string {
  return path.join(home, 'server.json');
}

/**
 * Reads `<home>/server.json` and returns it when its process is alive; null otherwise.
 */
export function readServerRecord(home: string): ServerRecord | null {
  try {
    const rec = JSON.parse(fs.readFileSync(serverRecordPath(home), 'utf8')) as ServerRecord;
    return isLiveLathe(rec.pid) ? rec : null;
  } catch {
    return null;
  }
}

const RECONCILE_INTERVAL_MS = 30_000;

/**
 * Removes what a crash can leave behind: half-made code snapshots (`snapshots/.tmp`) and
 * interrupted artifact uploads (`.lathe-upload-*` temp files). Never touches finished files.
 */
function sweepLeftovers(core: Core): void {
  fs.rmSync(path.join(core.paths.snapshots, '.tmp'), { recursive: true, force: true });
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isFile() && e.name.startsWith('.lathe-upload-')) fs.rmSync(p, { force: true });
      else if (e.isDirectory() && depth < 64) walk(p, depth + 1);
    }
  };
  walk(core.paths.artifacts, 0);
}

/**
 * The Docker bridge gateway address (e.g. 172.17.0.1), or null without an engine. Docker
 * 20.10 often leaves IPAM's Gateway empty for the default bridge; the gateway is then the
 * address of the bridge's host interface (docker0), which Node lists only while it is up,
 * and otherwise the subnet's first host address, which is what Docker assigns to it.
 */
async function bridgeGateway(core: Core): Promise<string | null> {
  try {
    const net = (await core.docker.docker.getNetwork('bridge').inspect()) as {
      IPAM?: { Config?: Array<{ Gateway?: string; Subnet?: string }> };
      Options?: Record<string, string>;
    };
    const gw = net.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
    if (gw) return gw;
    const ifname = net.Options?.['com.docker.network.bridge.name'] ?? 'docker0';
    const iface = os.networkInterfaces()[ifname]?.find((a) => a.family === 'IPv4')?.address;
    if (iface) return iface;
    const subnet = net.IPAM?.Config?.find((c) => c.Subnet && net4.isIPv4(c.Subnet.split('/')[0]!))?.Subnet;
    if (!subnet) return null;
    const parts = subnet.split('/')[0]!.split('.').map(Number);
    parts[3] = parts[3]! + 1;
    return parts.join('.');
  } catch {
    return null;
  }
}

/**
 * Lathe's server as `lathe serve` and the desktop app run it: the UI and typed API on
 * loopback (or the given host), plus a second listener on the Docker bridge gateway serving
 * only the tracking API, so containers reach it and nothing beyond this machine does
 * (DESIGN.md, Security). Then tells the executor the tracking URLs, reconciles runs left from
 * a previous start, and records itself in `<home>/server.json`.
 * @throws Error when the main port cannot be bound.
 */
export async function startLatheServer(opts: LatheServerOptions): Promise<LatheServer> {
  const { core, token } = opts;
  // One server per data directory: a second one would supervise the same runs twice and
  // take over server.json, hiding the first from `lathe run`.
  const existing = readServerRecord(core.home);
  if (existing && existing.pid !== process.pid) {
    throw new LatheError('RESOURCE_CONFLICT', `Lathe is already serving ${core.home} at ${existing.url} (pid ${existing.pid}); stop it first, or use another --home`);
  }
  sweepLeftovers(core);
  const routes = opts.routes ?? [createMlflowRoutes(core, token)];
  const main = await startHttpServer({ core, token, host: opts.host, port: opts.port, staticDir: opts.staticDir, allowedHosts: opts.allowedHosts, routes });
  let bridge: RunningServer | null = null;
  const gateway = opts.bridge === false ? null : await bridgeGateway(core);
  if (gateway && gateway !== opts.host) {
    try {
      bridge = await startHttpServer({ core, token, host: gateway, port: main.port, routes, rpc: false });
    } catch {
      // Same port taken on the bridge address: take any free one.
      bridge = await startHttpServer({ core, token, host: gateway, port: 0, routes, rpc: false }).catch(() => null);
    }
  }
  const hostUrl = `http://127.0.0.1:${main.port}`;
  const loopbackReachable = !opts.host || opts.host === '127.0.0.1' || opts.host === '0.0.0.0' || opts.host === 'localhost';
  core.executor.setTrackingUrls({
    host: loopbackReachable ? hostUrl : main.url.replace(/\/$/, ''),
    container: bridge ? bridge.url.replace(/\/$/, '') : null,
  });
  // GPU telemetry and the GPU queue run while a server runs (queued runs resume from SQLite).
  core.gpus.start();
  const reconcile = opts.reconcile !== false;
  const reconciled = reconcile ? await reconcileRuns(core.db, core.executor, core.docker) : { reattached: [], finalized: [], skipped: [], queued: [] };
  void core.gpus.queue.pump();
  // Runs whose supervisor died later (e.g. a killed `lathe run`) are picked up here.
  const recheck = setInterval(() => {
    if (reconcile) void reconcileRuns(core.db, core.executor, core.docker).catch(() => {});
  }, RECONCILE_INTERVAL_MS);
  recheck.unref();
  const record: ServerRecord = { pid: process.pid, url: main.url, containerUrl: bridge?.url ?? null, startedAt: Date.now() };
  const recordFile = serverRecordPath(core.home);
  fs.writeFileSync(`${recordFile}.tmp`, JSON.stringify(record, null, 2), { mode: 0o600 });
  fs.renameSync(`${recordFile}.tmp`, recordFile);
  return {
    main,
    bridge,
    reconciled,
    close: async () => {
      try {
        const current = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as ServerRecord;
        if (current.pid === process.pid) fs.rmSync(recordFile, { force: true });
      } catch {
        // Already gone.
      }
      clearInterval(recheck);
      core.gpus.stop();
      await Promise.all([main.close(), bridge?.close()]);
    },
  };
}
