import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core/create-core';
import { loadOrCreateToken } from '../core/config';
import { startLatheServer } from '../server/lathe-server';
import { isLoopback } from '../server/request-guard';
import { LATHE_VERSION } from '../core/version';
import { createMlflowRoutes } from '../mlflow/mlflow-routes';

export interface ServeOptions {
  home: string;
  host: string;
  port: number;
  allowHost?: string[];
}

/** Where the built UI lives relative to this bundle (out/main/cli.js → out/renderer). */
function rendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer');
}

/**
 * `lathe serve`: starts the core and serves the UI and API over HTTP until SIGINT/SIGTERM,
 * then closes connections and checkpoints the store. Prints the URL with the install token.
 */
export async function serve(opts: ServeOptions): Promise<void> {
  const core = createCore({ home: opts.home });
  const token = loadOrCreateToken(core.home);
  let lathe;
  try {
    lathe = await startLatheServer({ core, token, host: opts.host, port: opts.port, staticDir: rendererDir(), allowedHosts: opts.allowHost, routes: [createMlflowRoutes(core, token)] });
  } catch (err) {
    core.dispose();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`port ${opts.port} on ${opts.host} is already in use; pass --port to choose another (0 picks a free one)`);
    if (e.code === 'EADDRNOTAVAIL') throw new Error(`${opts.host} is not an address of this machine`);
    throw err;
  }
  const server = lathe.main;
  if (!isLoopback(opts.host)) {
    console.error(
      [
        '',
        '!!! WARNING: Lathe is listening on a NON-LOOPBACK address (' + opts.host + ').',
        '!!! Anyone who can reach this machine on port ' + server.port + ' and has the token can read your runs.',
        '!!! On a shared network prefer the default 127.0.0.1 with an SSH tunnel: ssh -L ' + server.port + ':127.0.0.1:' + server.port + ' HOST',
        '',
      ].join('\n'),
    );
  }
  console.log(`Lathe ${LATHE_VERSION} serving ${core.home}`);
  console.log(`Open ${server.url}?token=${token}`);
  if (lathe.bridge) console.log(`Containers reach the tracking API at ${lathe.bridge.url}`);
  else console.log('No Docker bridge found: containers cannot reach the tracking API (the process runtime still can).');
  const { reattached, finalized } = lathe.reconciled;
  if (reattached.length || finalized.length) console.log(`Reconciled runs: ${reattached.length} still running (re-attached), ${finalized.length} ended while Lathe was down.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    void lathe.close().finally(() => {
      core.dispose();
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
