import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/create-core';
import type { ValidationRule } from '../../src/shared/api/dataset-types';
import { validationRulesSchema } from '../../src/shared/api/dataset-schemas';
import { tempHome } from '../helpers/temp-home';
import { FIXTURES } from './fixture-compare';

let core: Core;
let cleanup: () => void;
let work: string;

beforeAll(async () => {
  const t = tempHome();
  core = createCore({ home: t.home });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-ds-val-'));
  cleanup = () => {
    core.dispose();
    t.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  };
  await core.datasets.add({ path: path.join(FIXTURES, '09-missing-markers.csv'), name: 'markers', mode: 'import' });
  await core.datasets.add({ path: path.join(FIXTURES, '04-quoted-newlines-delimiters.csv'), name: 'quoted', mode: 'import' });
  await core.datasets.add({ path: path.join(FIXTURES, '06-ragged-rows.csv'), name: 'ragged', mode: 'import' });
});
afterAll(() => cleanup());

describe('validation rules', () => {
  it('reports each rule with counts and failing rows (row, line, value)', async () => {
    const rules: ValidationRule[] = [
      { kind: 'column_exists', column: 'score', type: 'float' },
      { kind: 'column_exists', column: 'iso2', type: 'integer' },
      { kind: 'column_exists', column: 'nope' },
      { kind: 'not_null', column: 'score' },
      { kind: 'range', column: 'score', min: 5, max: 10 },
      { kind: 'allowed_values', column: 'comment', values: ['ok', 'fine', 'good'] },
      { kind: 'regex', column: 'iso2', pattern: 'N[A-Z]' },
      { kind: 'unique', column: 'iso2' },
      { kind: 'row_count', min: 1, max: 10 },
    ];
    core.datasets.setRules('markers', rules);
    const r = await core.datasets.validate('markers');
    expect(r.passed).toBe(false);
    const byKind = (i: number) => r.results[i]!;
    expect(byKind(0)).toMatchObject({ passed: true, failing: 0 });
    expect(byKind(1)).toMatchObject({ passed: false, message: 'iso2 is string, not integer' });
    expect(byKind(2)).toMatchObject({ passed: false, message: expect.stringMatching(/No column named 'nope'/) });
    // score: 8 missing (1 empty + 7 markers); rows 2..9 of the file's data, lines = row + 1.
    expect(byKind(3)).toMatchObject({ passed: false, failing: 8, checked: 11 });
    expect(byKind(3).examples[0]).toEqual({ row: 2, line: 3, value: null });
    expect(byKind(3).examples).toHaveLength(5);
    // 12.5 and 3.0 are outside [5, 10]; 7.25 inside; missing values never fail a range.
    expect(byKind(4)).toMatchObject({ failing: 2, examples: [{ row: 1, line: 2, value: '12.5' }, { row: 11, line: 12, value: '3.0' }] });
    // comment: 9 non-missing values, 3 allowed.
    expect(byKind(5)).toMatchObject({ failing: 6 });
    // iso2: 10 present codes all match N[A-Z] (the missing one is not checked).
    expect(byKind(6)).toMatchObject({ passed: true, failing: 0 });
    expect(byKind(7)).toMatchObject({ passed: true });
    expect(byKind(8)).toMatchObject({ passed: false, failing: 1, message: expect.stringMatching(/^11 rows/) });
  });

  it('lines account for quoted line breaks and skipped records', async () => {
    const q = await core.datasets.validate('quoted', { rules: [{ kind: 'not_null', column: 'notes' }, { kind: 'regex', column: 'name', pattern: '[A-Za-z]+' }] });
    // notes missing for ids 4 (line 6, after id 1's two-line value) and 5 (line 7).
    expect(q.results[0]!.examples).toEqual([{ row: 4, line: 6, value: null }, { row: 5, line: 7, value: null }]);
    expect(q.results[1]!.examples.map((e) => e.line)).toEqual([2, 4, 8]);
    const g = await core.datasets.validate('ragged', { rules: [{ kind: 'range', column: 'a', max: 10 }] });
    // Line 5 (11,12,13,14,15) is skipped, so the rows after it sit one line further down.
    expect(g.results[0]!.examples).toEqual([{ row: 4, line: 6, value: '16' }, { row: 5, line: 7, value: '19' }]);
  });

  it('caches a version\'s report per rule set, and refuses a bad regex or no rules', async () => {
    const rules: ValidationRule[] = [{ kind: 'unique', column: 'country' }];
    const a = await core.datasets.validate('markers', { rules });
    const b = await core.datasets.validate('markers', { rules });
    expect(b.checkedAt).toBe(a.checkedAt);
    await expect(core.datasets.validate('quoted')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/no validation rules/) });
    await expect(core.datasets.validate('markers', { rules: [{ kind: 'regex', column: 'iso2', pattern: '(unclosed' }] })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('validates a plain file path too', async () => {
    const f = path.join(work, 'n.csv');
    fs.writeFileSync(f, 'k,v\na,1\na,2\nb,\n');
    const r = await core.datasets.validate(f, { rules: [{ kind: 'unique', column: 'k' }, { kind: 'not_null', column: 'v' }] });
    expect(r.results[0]).toMatchObject({ failing: 2, examples: [{ row: 1, line: 2, value: 'a' }, { row: 2, line: 3, value: 'a' }] });
    expect(r.results[1]).toMatchObject({ failing: 1, examples: [{ row: 3, line: 4, value: null }] });
  });

  it('the rules schema rejects malformed rules', () => {
    expect(validationRulesSchema.safeParse([{ kind: 'range', column: 'x' }]).success).toBe(false);
    expect(validationRulesSchema.safeParse([{ kind: 'bogus', column: 'x' }]).success).toBe(false);
    expect(validationRulesSchema.safeParse([{ kind: 'row_count', min: 1 }]).success).toBe(true);
  });
});

describe('preview and diff', () => {
  it('previews the first rows typed as the profile reads them, capped', async () => {
    const p = await core.datasets.preview('markers', { limit: 3 });
    expect(p.columns).toEqual(['country', 'iso2', 'score', 'comment']);
    expect(p.rows).toEqual([
      ['Namibia', 'NA', '12.5', 'ok'],
      ['Nepal', 'NP', null, null],
      ['Norway', 'NO', null, null],
    ]);
    expect(p.truncated).toBe(true);
    const rest = await core.datasets.preview('markers', { offset: 9, limit: 100 });
    expect(rest.rows.map((r) => r[0])).toEqual(['Nigeria', 'Not Set']);
    expect(rest.truncated).toBe(false);
  });

  it('compares two versions: schema changes and statistics side by side', async () => {
    const f = path.join(work, 'diff.csv');
    fs.writeFileSync(f, 'id,score,label\n1,0.5,a\n2,0.7,b\n3,0.9,a\n');
    const v1 = (await core.datasets.add({ path: f, name: 'evolving', mode: 'import' })).version.digest;
    fs.writeFileSync(f, 'id,score,weight\n1,0.5,1\n2,0.8,2\n3,0.9,3\n4,1.0,4\n');
    const v2 = (await core.datasets.add({ path: f, name: 'evolving', mode: 'import' })).version.digest;
    const d = await core.datasets.diff('evolving', v1.slice(0, 8), v2.slice(0, 8));
    expect(d.from.rows).toBe(3);
    expect(d.to.rows).toBe(4);
    expect(d.columns.map((c) => [c.name, c.status])).toEqual([['id', 'changed'], ['score', 'changed'], ['label', 'removed'], ['weight', 'added']]);
    expect(d.columns[1]!.stats.find((s) => s.field === 'max')).toEqual({ field: 'max', from: 0.9, to: 1 });
  });
});
