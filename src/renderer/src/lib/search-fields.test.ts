import { describe, expect, it } from 'vitest';
import { fieldName, isSortable, orderByFor, parseColumnId, runIdsFilter } from './search-fields';

describe('search fields', () => {
  it('writes keys plain when the grammar allows, else in backquotes', () => {
    expect(fieldName('metric', 'val_loss')).toBe('metrics.val_loss');
    expect(fieldName('metric', 'train/loss:avg-1.0')).toBe('metrics.train/loss:avg-1.0');
    expect(fieldName('param', 'batch size')).toBe('params.`batch size`');
    expect(fieldName('tag', 'mlflow.note.content')).toBe('tags.mlflow.note.content');
  });

  it('turns the table sort into order_by items, skipping columns the server cannot sort', () => {
    expect(orderByFor([{ id: 'metric:val loss', desc: true }, { id: 'started', desc: false }, { id: 'duration', desc: true }])).toEqual([
      'metrics.`val loss` DESC',
      'attributes.start_time ASC',
    ]);
    expect(isSortable('duration')).toBe(false);
    expect(isSortable('param:lr')).toBe(true);
  });

  it('parses column ids and quotes run ids', () => {
    expect(parseColumnId('metric:a:b')).toEqual({ kind: 'metric', key: 'a:b' });
    expect(parseColumnId('name')).toBeNull();
    expect(runIdsFilter(['a', "b'c"])).toBe("attributes.run_id IN ('a', 'b''c')");
  });
});

describe('keys with backquotes', () => {
  it('uses escaped double quotes', () => {
    expect(fieldName('param', 'a`b"c')).toBe('params."a`b\\"c"');
  });
});
