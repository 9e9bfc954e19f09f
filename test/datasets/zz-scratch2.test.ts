import path from 'node:path';
import { it } from 'vitest';
import { profileFile } from '../../src/main/core/datasets/inspect/profiler';
import { FIXTURES, diffProfile, loadExpected } from './fixture-compare';

it('dev large', async () => {
  for (const name of (process.env.LARGE ?? 'synthetic_1m,wide_500x20000').split(',')) {
    const exp = loadExpected(path.join(FIXTURES, 'large', `${name}.expected.json`));
    const t = Date.now();
    const p = await profileFile(`/tmp/datasets-large/${name}.csv`, { tempDir: '/tmp/lathe-ds-tmp' });
    const d = diffProfile(exp, p);
    console.log(`== ${name} ${Date.now() - t}ms diffs=${d.length}\n  ${d.slice(0, 30).join('\n  ')}\n  findings: ${p.findings.map((x) => `[${x.kind}${x.line ? '@' + x.line : ''}] ${x.message}`).join('\n    ')}`);
  }
}, 300000);
