import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { onError } from '@orpc/server';
import { BodyLimitPlugin, RPCHandler } from '@orpc/server/node';
import sirv from 'sirv';
import type { Core } from '../core/create-core';
import { router, mapApiError } from '../api/router';
import { isAllowedHost, isAllowedOrigin, presentedToken, tokenMatches } from './request-guard';
import type { ErrorBody } from '../../shared/errors';
import { customJsonSerializers } from '../../shared/api/serializers';

/**
 * An extra route family (e.g. the MLflow REST API). Called after the Host/Origin check, before
 * the typed API and static files; returns true when it handled the request. It does its own
 * authentication.
 */
export type HttpRoute = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean> | boolean;

export interface HttpServerOptions {
  core: Core;
  token: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 7860; 0 picks a free port. */
  port?: number;
  /** Folder of the built renderer (index.html); omit to serve the API alone. */
  staticDir?: string;
  /** Host names accepted in Host/Origin besides IP literals and localhost. */
  allowedHosts?: string[];
  /** Extra route families tried in order before /rpc and the UI. */
  routes?: HttpRoute[];
  /** Serve the typed API under /rpc (default true); the container-facing listener does not. */
  rpc?: boolean;
  /** Largest typed-API request body in bytes, declared or streamed (default 64 MiB). */
  maxRpcBodyBytes?: number;
}

export interface RunningServer {
  server: http.Server;
  host: string;
  port: number;
  /** Base URL without the token. */
  url: string;
  /** Stops accepting, ends open streams and waits for the listener to close. */
  close(): Promise<void>;
}

/** Larger typed-API requests are refused before they are read (uploads use the artifacts API). */
const MAX_RPC_BODY_BYTES = 64 * 1024 * 1024;

function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}

function sendError(res: http.ServerResponse, status: number, body: ErrorBody): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

/**
 * Serves the typed API (`/rpc/*`, oRPC over HTTP with server-sent events for streams) and
 * the built UI on one port. Every request must carry a Host (and, if any, an Origin) of this
 * server's own (403 PERMISSION_DENIED otherwise, see request-guard.ts); API requests must
 * carry the install token (401 UNAUTHENTICATED otherwise). Static UI files need no token:
 * they hold no data, and the page reads the token from its URL.
 * @throws Error (EADDRINUSE, EACCES) when the port cannot be bound.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBody = opts.maxRpcBodyBytes ?? MAX_RPC_BODY_BYTES;
  // The plugin also counts the bytes of chunked bodies, which carry no Content-Length.
  const rpc = new RPCHandler(router, { clientInterceptors: [onError(mapApiError)], customJsonSerializers, plugins: [new BodyLimitPlugin({ maxBodySize: maxBody })] });
  const assets =
    opts.staticDir && fs.existsSync(opts.staticDir) ? sirv(opts.staticDir, { single: true, etag: true, dev: false, gzip: false, brotli: false }) : undefined;
  let port = opts.port ?? 7860;
  const sockets = new Set<Socket>();

  const server = http.createServer(async (req, res) => {
    // frame-ancestors only works as a header (browsers ignore it in a <meta> CSP): no framing, no clickjacking.
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      if (!isAllowedHost(req.headers.host, port, opts.allowedHosts) || !isAllowedOrigin(req.headers.origin, port, opts.allowedHosts)) {
        sendError(res, 403, { code: 'PERMISSION_DENIED', message: `Host '${req.headers.host ?? ''}' or Origin '${req.headers.origin ?? ''}' is not this server's own (DNS-rebinding protection)` });
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const pathname = url.pathname;
      if (pathname === '/health') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
        return;
      }
      for (const route of opts.routes ?? []) {
        if (await route(req, res, url)) return;
      }
      if (opts.rpc !== false && (pathname.startsWith('/rpc/') || pathname === '/rpc')) {
        if (req.method !== 'POST') {
          res.setHeader('Allow', 'POST');
          sendError(res, 405, { code: 'BAD_REQUEST', message: `The API takes POST requests; got ${req.method}` });
          return;
        }
        if (Number(req.headers['content-length'] ?? 0) > maxBody) {
          req.resume();
          sendError(res, 413, { code: 'INVALID_PARAMETER_VALUE', message: `Request body over ${formatLimit(maxBody)}` });
          return;
        }
        if (!tokenMatches(presentedToken(req), opts.token)) {
          sendError(res, 401, { code: 'UNAUTHENTICATED', message: 'Missing or wrong API token: open the URL that `lathe serve` printed, or send Authorization: Bearer <token>' });
          return;
        }
        const { matched } = await rpc.handle(req, res, { prefix: '/rpc', context: { core: opts.core } });
        if (!matched) sendError(res, 404, { code: 'ENDPOINT_NOT_FOUND', message: `No API procedure at ${pathname}` });
        return;
      }
      if (assets && (req.method === 'GET' || req.method === 'HEAD')) {
        assets(req, res, () => sendError(res, 404, { code: 'ENDPOINT_NOT_FOUND', message: `Nothing at ${pathname}` }));
        return;
      }
      sendError(res, 404, { code: 'ENDPOINT_NOT_FOUND', message: `Nothing at ${req.method} ${pathname}` });
    } catch (err) {
      if (!res.headersSent) sendError(res, 500, { code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    }
  });
  server.on('connection', (socket) => {
    // Small API answers go out at once instead of waiting on Nagle's algorithm.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    host,
    port,
    url: `http://${urlHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams never end by themselves.
        for (const s of sockets) s.destroy();
      }),
  };
}
