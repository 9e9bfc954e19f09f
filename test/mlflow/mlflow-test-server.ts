import http from 'node:http';
import { createCore, type Core } from '../../src/main/core/create-core';
import { loadOrCreateToken } from '../../src/main/core/config';
import { startHttpServer, type RunningServer } from '../../src/main/server/http-server';
import { createMlflowRoutes } from '../../src/main/mlflow/mlflow-routes';
import { tempHome } from '../helpers/temp-home';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  /** Query fields; arrays become repeated keys. */
  query?: Record<string, string | string[] | number | undefined>;
  /** JSON body (sent with Content-Type: application/json unless headers say otherwise). */
  body?: unknown;
  /** Raw body bytes (no Content-Type added). */
  raw?: Buffer | string;
  headers?: Record<string, string>;
  /** Bearer token; default the install token; null sends none. */
  token?: string | null;
}

export interface MlflowTestServer {
  core: Core;
  server: RunningServer;
  token: string;
  home: string;
  /** http://127.0.0.1:PORT (no trailing slash) */
  base: string;
  /** A request with the path sent exactly as given (no URL normalisation, so `..` survives). */
  request(path: string, opts?: RequestOptions): Promise<RawResponse>;
  close(): Promise<void>;
}

/**
 * Lathe's HTTP server with the MLflow routes on a free loopback port and a fresh data directory.
 */
export async function startMlflowTestServer(): Promise<MlflowTestServer> {
  const t = tempHome('lathe-mlflow-');
  const core = createCore({ home: t.home });
  const token = loadOrCreateToken(t.home);
  const server = await startHttpServer({ core, token, port: 0, routes: [createMlflowRoutes(core, token)] });
  const base = `http://127.0.0.1:${server.port}`;

  function request(path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    const method = opts.method ?? (opts.body !== undefined || opts.raw !== undefined ? 'POST' : 'GET');
    let fullPath = path;
    if (opts.query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.query)) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
      }
      const s = qs.toString();
      if (s) fullPath += `${path.includes('?') ? '&' : '?'}${s}`;
    }
    const headers: Record<string, string> = {};
    const tok = opts.token === undefined ? token : opts.token;
    if (tok) headers.authorization = `Bearer ${tok}`;
    let data: Buffer | undefined;
    if (opts.body !== undefined) {
      data = Buffer.from(JSON.stringify(opts.body, null, 2));
      headers['content-type'] = 'application/json';
    } else if (opts.raw !== undefined) {
      data = Buffer.from(opts.raw);
    }
    if (data) headers['content-length'] = String(data.length);
    Object.assign(headers, opts.headers ?? {});
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: fullPath, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode!, headers: res.headers, body, text, json });
        });
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  return {
    core,
    server,
    token,
    home: t.home,
    base,
    request,
    async close() {
      await server.close();
      core.dispose();
      t.cleanup();
    },
  };
}
