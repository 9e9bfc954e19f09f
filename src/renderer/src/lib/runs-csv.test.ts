import { describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/api/types';
import { csvCell, runsToCsv } from './runs-csv';

const run: Run = {
  info: { runId: 'r1', experimentId: '1', name: 'a, "b"', status: 'FINISHED', userId: 'ann', startTime: 0, endTime: null, lifecycleStage: 'active', artifactUri: '' },
  params: { lr: '-0.5', cmd: '=HYPERLINK("x")' },
  tags: { note: 'two\nlines' },
  metrics: [{ key: 'loss', value: Number.NaN, step: 1, timestamp: 1 }, { key: 'acc', value: 0.25, step: 1, timestamp: 1 }],
};

describe('runs CSV', () => {
  it('quotes, escapes and guards formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-0.5')).toBe('-0.5');
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(csvCell(undefined)).toBe('');
  });

  it('writes a header and one row per run', () => {
    const csv = runsToCsv([run], [
      { kind: 'field', name: 'run_id' },
      { kind: 'field', name: 'name' },
      { kind: 'field', name: 'start_time' },
      { kind: 'field', name: 'end_time' },
      { kind: 'param', key: 'lr' },
      { kind: 'param', key: 'cmd' },
      { kind: 'metric', key: 'loss' },
      { kind: 'metric', key: 'acc' },
      { kind: 'metric', key: 'missing' },
      { kind: 'tag', key: 'note' },
    ]);
    expect(csv).toBe(
      'run_id,name,start_time,end_time,params.lr,params.cmd,metrics.loss,metrics.acc,metrics.missing,tags.note\r\n' +
        'r1,"a, ""b""",1970-01-01T00:00:00.000Z,,-0.5,"\'=HYPERLINK(""x"")",NaN,0.25,,"two\nlines"\r\n',
    );
  });
});
