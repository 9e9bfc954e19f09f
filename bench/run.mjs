#!/usr/bin/env node
// Runs a TypeScript benchmark (bench/*.ts) without a build step: Vite's module runner
// transforms the file and its imports from src/, node_modules load natively. Usage:
//   node bench/run.mjs bench/tracking-queries.ts [args…]
// The benchmark module's default export is called with the remaining arguments.
import path from 'node:path';
import { runnerImport } from 'vite';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/run.mjs bench/<name>.ts [args…]');
  process.exit(2);
}
const { module } = await runnerImport(path.resolve(file), { configFile: false, logLevel: 'error', server: { ws: false } });
await module.default(process.argv.slice(3));
