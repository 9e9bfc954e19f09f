import fs from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { profileFile } from '../../src/main/core/datasets/inspect/profiler';
import { FIXTURES, diffProfile, loadExpected } from './fixture-compare';

it('dev run', async () => {
  const only = process.env.CASE;
  for (const f of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.json')).sort()) {
    if (only && !f.startsWith(only)) continue;
    const exp = loadExpected(path.join(FIXTURES, f));
    const t = Date.now();
    const p = await profileFile(path.join(FIXTURES, exp.file), { tempDir: '/tmp/lathe-ds-tmp' });
    const d = diffProfile(exp, p);
    console.log(`== ${exp.case} ${Date.now() - t}ms diffs=${d.length}\n  ${d.slice(0, 12).join('\n  ')}\n  findings: ${p.findings.map((x) => `[${x.kind}${x.line ? '@' + x.line : ''}] ${x.message}`).join('\n    ')}`);
    if (process.env.DUMP) console.log(JSON.stringify(p, null, 1).slice(0, 4000));
  }
}, 120000);
