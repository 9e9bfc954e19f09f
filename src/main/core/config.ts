import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The data directory: `LATHE_HOME` when set, otherwise the OS's per-user app-data folder,
 * the same folder Electron's `app.getPath('userData')` gives for an app named "Lathe", so
 * the desktop app, `lathe serve` and the CLI share one store.
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LATHE_HOME) return path.resolve(env.LATHE_HOME);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Lathe');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Lathe');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Lathe');
}

/** Paths inside a data directory (DESIGN.md, Storage). */
export function homePaths(home: string) {
  return {
    home,
    db: path.join(home, 'lathe.db'),
    token: path.join(home, 'token'),
    artifacts: path.join(home, 'artifacts'),
    logs: path.join(home, 'logs'),
    datasets: path.join(home, 'datasets'),
    snapshots: path.join(home, 'snapshots'),
  };
}

/**
 * The per-install API token, created on first use (32 random bytes, base64url) in
 * `<home>/token` with mode 0600. The local API refuses requests without it.
 */
export function loadOrCreateToken(home: string): string {
  const file = homePaths(home).token;
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(home, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  // Write then rename, so a crash never leaves a half-written token.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return token;
}
