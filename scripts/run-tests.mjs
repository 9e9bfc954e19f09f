#!/usr/bin/env node
// Runs the whole vitest suite and ends with one plain "N passed, N failed, N skipped" line,
// so any CI log reader can tell how many tests ran. Extra arguments go to vitest.
//
// Two passes: everything but test/e2e with two workers, then the browser end-to-end tests
// one file at a time — on a 2-core machine a browser test next to a Docker or DuckDB test
// measures the machine's load, not the UI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

fs.mkdirSync('test-results', { recursive: true });
const extra = process.argv.slice(2);
const passes = extra.length
  ? [{ name: 'selected', args: extra }]
  : [
      { name: 'unit-integration', args: ['--exclude', 'test/e2e/**'] },
      { name: 'e2e', args: ['test/e2e', '--no-file-parallelism'] },
    ];

let passed = 0;
let failed = 0;
let skipped = 0;
let total = 0;
let status = 0;
for (const pass of passes) {
  const report = `test-results/vitest-${pass.name}.json`;
  fs.rmSync(report, { force: true });
  const res = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...pass.args],
    { stdio: 'inherit' },
  );
  if (res.status !== 0) status = res.status ?? 1;
  if (!fs.existsSync(report)) {
    console.error(`vitest wrote no report for the ${pass.name} pass`);
    status ||= 1;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  total += r.numTotalTests;
}
console.log(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (total === 0) {
  console.error('No test ran.');
  process.exit(1);
}
process.exit(status);
