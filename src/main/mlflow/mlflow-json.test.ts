import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, experimentToJson, fileInfoToJson, metricValueToJson, runInfoToJson, runToJson, statusToMlflow } from './mlflow-json';
import { parseExperimentFilter, searchExperiments } from './experiment-search';
import { presentedSecret } from './auth';
import { queryFields } from './request-body';
import type { Experiment, RunInfo } from '../../shared/api/types';

const info: RunInfo = {
  runId: 'r'.repeat(32),
  experimentId: '2',
  name: 'n',
  status: 'QUEUED',
  userId: 'u',
  startTime: 5,
  endTime: null,
  lifecycleStage: 'active',
  artifactUri: 'mlflow-artifacts:/2/rrr/artifacts',
};

function exp(id: number, name: string, tags: Record<string, string> = {}, creationTime = id): Experiment {
  return { experimentId: String(id), name, artifactLocation: `mlflow-artifacts:/${id}`, lifecycleStage: 'active', creationTime, lastUpdateTime: creationTime, tags, runCount: 0 };
}

describe('MLflow JSON shapes', () => {
  it('writes non-finite metric values as MLflow strings', () => {
    expect([metricValueToJson(Number.NaN), metricValueToJson(Infinity), metricValueToJson(-Infinity), metricValueToJson(0.5)]).toEqual(['NaN', 'Infinity', '-Infinity', 0.5]);
  });

  it('RunInfo has run_id and run_uuid, SCHEDULED for QUEUED, no end_time while running', () => {
    expect(statusToMlflow('QUEUED')).toBe('SCHEDULED');
    const j = runInfoToJson(info);
    expect(j).toMatchObject({ run_id: info.runId, run_uuid: info.runId, status: 'SCHEDULED', start_time: 5 });
    expect('end_time' in j).toBe(false);
    expect(runInfoToJson({ ...info, status: 'FINISHED', endTime: 9 }).end_time).toBe(9);
  });

  it('omits empty lists; runs carry inputs (and outputs unless told not to)', () => {
    const run = runToJson({ info, params: {}, tags: {}, metrics: [] });
    expect(run.data).toEqual({});
    expect(run.inputs).toEqual({});
    expect(run.outputs).toEqual({});
    expect('outputs' in runToJson({ info, params: {}, tags: {}, metrics: [] }, { outputs: false })).toBe(false);
    expect(experimentToJson(exp(1, 'e')).tags).toBeUndefined();
    expect(experimentToJson(exp(1, 'e', { a: 'b' })).tags).toEqual([{ key: 'a', value: 'b' }]);
    expect(fileInfoToJson({ path: 'd', isDir: true })).toEqual({ path: 'd', is_dir: true });
  });

  it('page tokens are base64 {"offset": N}; garbage is null', () => {
    expect(encodePageToken(2)).toBe(Buffer.from('{"offset":2}').toString('base64'));
    expect(decodePageToken('eyJvZmZzZXQiOiAyfQ==')).toBe(2); // as the real server writes it
    expect(decodePageToken(undefined)).toBe(0);
    expect(decodePageToken('garbage')).toBeNull();
    expect(decodePageToken(Buffer.from('{"offset":-1}').toString('base64'))).toBeNull();
  });
});

describe('experiment search subset', () => {
  const all = [exp(0, 'Default', {}, 1), exp(1, 'alpha', { team: 'x', 'my key': 'v' }, 3), exp(2, 'Beta', { team: 'y' }, 2)];

  it('filters by name and tags with = != LIKE ILIKE, and by times', () => {
    const names = (f: string, o: string[] = []) => searchExperiments(all, f, o).map((e) => e.name);
    expect(names("name = 'alpha'")).toEqual(['alpha']);
    expect(names("name ILIKE 'b%'")).toEqual(['Beta']);
    expect(names("name LIKE 'b%'")).toEqual([]);
    expect(names("tags.team != 'x'")).toEqual(['Beta']);
    expect(names("tag.`my key` = 'v'")).toEqual(['alpha']);
    expect(names('creation_time >= 2', ['name ASC'])).toEqual(['Beta', 'alpha']);
    expect(names('', [])).toEqual(['alpha', 'Beta', 'Default']);
    expect(names('', ['experiment_id DESC'])).toEqual(['Beta', 'alpha', 'Default']);
  });

  it('refuses what it does not support', () => {
    for (const f of ["params.x = '1'", "name IN ('a')", "name = 'a' and", 'creation_time > x']) {
      expect(() => parseExperimentFilter(f), f).toThrow(expect.objectContaining({ errorCode: 'INVALID_PARAMETER_VALUE' }));
    }
    expect(() => searchExperiments(all, '', ['colour'])).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('request helpers', () => {
  it('reads Bearer and Basic credentials', () => {
    const req = (authorization?: string) => ({ headers: { authorization } }) as never;
    expect(presentedSecret(req('Bearer abc'))).toBe('abc');
    expect(presentedSecret(req(`Basic ${Buffer.from('user:pa:ss').toString('base64')}`))).toBe('pa:ss');
    expect(presentedSecret(req('Basic !!!'))).toBeUndefined();
    expect(presentedSecret(req())).toBeUndefined();
  });

  it('gathers repeated query keys into arrays', () => {
    expect(queryFields(new URLSearchParams('a=1&b=2&b=3'))).toEqual({ a: '1', b: ['2', '3'] });
  });
});
