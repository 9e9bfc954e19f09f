#!/usr/bin/env node
// The `lathe` command: runs the CLI bundle that `npm run build` (also run by `npm ci` via
// the prepare script) writes to out/main/cli.js.
import { existsSync } from 'node:fs';

const entry = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('lathe: the CLI is not built yet; run `npm run build` in the Lathe folder first.');
  process.exit(1);
}
await import(entry.href);
