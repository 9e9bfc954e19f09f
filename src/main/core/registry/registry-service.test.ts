import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../create-core';
import { tempHome } from '../../../../test/helpers/temp-home';
import { LatheError } from '../../../shared/errors';

let core: Core;
let cleanup: () => void;
let clock = 1_700_000_000_000;

beforeEach(() => {
  const t = tempHome();
  cleanup = t.cleanup;
  clock = 1_700_000_000_000;
  core = createCore({ home: t.home, now: () => clock++ });
});
afterEach(() => {
  core.dispose();
  cleanup();
});

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof LatheError ? err.code : String(err);
  }
  return undefined;
}

const SRC = 'mlflow-artifacts:/1/abc/artifacts/model';

describe('registered models', () => {
  it('create, get, rename, update, tags and delete with MLflow’s errors', () => {
    const m = core.registry.createRegisteredModel('m', { tags: [{ key: 'task', value: 'cls' }], description: 'd' });
    expect(m).toMatchObject({ name: 'm', description: 'd', tags: { task: 'cls' }, latestVersions: [], aliases: [] });
    expect(code(() => core.registry.createRegisteredModel('m'))).toBe('RESOURCE_ALREADY_EXISTS');
    expect(code(() => core.registry.createRegisteredModel(''))).toBe('INVALID_PARAMETER_VALUE');
    expect(code(() => core.registry.getRegisteredModel('nope'))).toBe('RESOURCE_DOES_NOT_EXIST');
    core.registry.createModelVersion({ name: 'm', source: SRC });
    core.registry.createRegisteredModel('other');
    expect(code(() => core.registry.renameRegisteredModel('m', 'other'))).toBe('RESOURCE_ALREADY_EXISTS');
    const renamed = core.registry.renameRegisteredModel('m', 'n');
    expect(renamed.latestVersions.map((v) => [v.name, v.version])).toEqual([['n', 1]]);
    expect(core.registry.updateRegisteredModel('n', 'new').description).toBe('new');
    core.registry.setRegisteredModelTag('n', 'owner', 'me');
    core.registry.setRegisteredModelTag('n', 'task', null);
    core.registry.setRegisteredModelTag('n', 'missing', null);
    expect(core.registry.getRegisteredModel('n').tags).toEqual({ owner: 'me' });
    expect(code(() => core.registry.setRegisteredModelTag('n', '../x', 'v'))).toBe('INVALID_PARAMETER_VALUE');
    core.registry.deleteRegisteredModel('n');
    expect(code(() => core.registry.getModelVersion('n', 1))).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});

describe('model versions', () => {
  beforeEach(() => core.registry.createRegisteredModel('m'));

  it('are numbered from 1, never reuse a deleted number, and are READY at once', () => {
    const v1 = core.registry.createModelVersion({ name: 'm', source: SRC, runId: 'r', tags: [{ key: 'v', value: '1' }], description: 'first' });
    expect(v1).toMatchObject({ version: 1, status: 'READY', currentStage: 'None', description: 'first', runId: 'r', runLink: '', tags: { v: '1' } });
    core.registry.createModelVersion({ name: 'm', source: SRC });
    core.registry.deleteModelVersion('m', '2');
    expect(code(() => core.registry.getModelVersion('m', '2'))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(core.registry.createModelVersion({ name: 'm', source: SRC }).version).toBe(3);
    expect(code(() => core.registry.getModelVersion('m', 'x'))).toBe('INVALID_PARAMETER_VALUE');
    expect(code(() => core.registry.createModelVersion({ name: 'nope', source: SRC }))).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('refuse local-path and relative sources, accept URIs', () => {
    for (const source of ['x', '/tmp/model', 'file:///tmp/model', 'C:\\models\\m', 'mlflow-artifacts:/1/../../etc', 's3://b/a/%2e%2e/x']) {
      expect(code(() => core.registry.createModelVersion({ name: 'm', source })), source).toBe('INVALID_PARAMETER_VALUE');
    }
    for (const source of ['mlflow-artifacts:/x', 's3://bucket/model', 'runs:/abc/model', 'https://h/m']) {
      expect(core.registry.createModelVersion({ name: 'm', source }).source).toBe(source);
    }
  });

  it('resolve models:/ and runs:/ sources for the download URI', () => {
    const exp = core.tracking.createExperiment('e').experimentId;
    const run = core.tracking.createRun({ experimentId: exp, name: 'r' });
    const lm = core.loggedModels.create({ experimentId: exp, name: 'model', sourceRunId: run.runId });
    const v = core.registry.createModelVersion({ name: 'm', source: `models:/${lm.modelId}` });
    expect(v).toMatchObject({ runId: run.runId, modelId: lm.modelId, storageLocation: lm.artifactUri });
    expect(core.registry.getDownloadUri('m', v.version)).toBe(lm.artifactUri);
    const fromRun = core.registry.createModelVersion({ name: 'm', source: `runs:/${run.runId}/model/` });
    expect(core.registry.getDownloadUri('m', fromRun.version)).toBe(`${run.artifactUri}/model`);
    expect(core.registry.getDownloadUri('m', core.registry.createModelVersion({ name: 'm', source: SRC }).version)).toBe(SRC);
    expect(code(() => core.registry.createModelVersion({ name: 'm', source: 'models:/m-0123' }))).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('latest versions: newest per stage; transitions archive others only for active stages', () => {
    for (let i = 0; i < 3; i++) core.registry.createModelVersion({ name: 'm', source: SRC });
    core.registry.transitionStage('m', 1, 'staging', false);
    expect(core.registry.getRegisteredModel('m').latestVersions.map((v) => [v.version, v.currentStage])).toEqual([
      [1, 'Staging'],
      [3, 'None'],
    ]);
    core.registry.transitionStage('m', 2, 'Staging', false);
    core.registry.transitionStage('m', 3, 'Staging', true);
    expect(core.registry.getModelVersion('m', 1).currentStage).toBe('Archived');
    expect(core.registry.getModelVersion('m', 2).currentStage).toBe('Archived');
    expect(core.registry.getLatestVersions('m', ['Staging']).map((v) => v.version)).toEqual([3]);
    expect(core.registry.getLatestVersions('m', []).map((v) => v.version)).toEqual([2, 3]);
    expect(code(() => core.registry.transitionStage('m', 1, 'Archived', true))).toBe('INVALID_PARAMETER_VALUE');
    expect(code(() => core.registry.transitionStage('m', 1, 'Done', false))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('updates description and tags; the model’s last update moves on create and stage changes only', () => {
    const v = core.registry.createModelVersion({ name: 'm', source: SRC });
    const before = core.registry.getRegisteredModel('m').lastUpdatedTime;
    expect(before).toBe(v.creationTime);
    expect(core.registry.updateModelVersion('m', 1, 'better').description).toBe('better');
    core.registry.setModelVersionTag('m', 1, 'k', 'v');
    expect(core.registry.getRegisteredModel('m').lastUpdatedTime).toBe(before);
    expect(core.registry.getModelVersion('m', 1).tags).toEqual({ k: 'v' });
    core.registry.setModelVersionTag('m', 1, 'k', null);
    expect(core.registry.getModelVersion('m', 1).tags).toEqual({});
    core.registry.transitionStage('m', 1, 'Production', false);
    expect(core.registry.getRegisteredModel('m').lastUpdatedTime).toBeGreaterThan(before);
  });
});

describe('aliases', () => {
  beforeEach(() => {
    core.registry.createRegisteredModel('m');
    core.registry.createModelVersion({ name: 'm', source: SRC });
    core.registry.createModelVersion({ name: 'm', source: SRC });
  });

  it('point at live versions, move, and show on the version and the model', () => {
    core.registry.setAlias('m', 'champion', '1');
    core.registry.setAlias('m', 'champion', 2);
    core.registry.setAlias('m', 'b-2_x', 2);
    expect(core.registry.getVersionByAlias('m', 'champion')).toMatchObject({ version: 2, aliases: ['b-2_x', 'champion'] });
    expect(core.registry.getRegisteredModel('m').aliases).toEqual([
      { alias: 'b-2_x', version: 2 },
      { alias: 'champion', version: 2 },
    ]);
    expect(core.registry.getModelVersion('m', 1).aliases).toEqual([]);
    // latest_versions never carry aliases (the real server's shape)
    expect(core.registry.getRegisteredModel('m').latestVersions[0]!.aliases).toEqual([]);
    core.registry.deleteModelVersion('m', 2);
    expect(core.registry.getRegisteredModel('m').aliases).toEqual([]);
  });

  it('answer with the real server’s codes: missing alias 400, missing version 404, reserved names 400', () => {
    expect(code(() => core.registry.getVersionByAlias('m', 'nope'))).toBe('INVALID_PARAMETER_VALUE');
    expect(code(() => core.registry.getVersionByAlias('no-model', 'a'))).toBe('INVALID_PARAMETER_VALUE');
    expect(code(() => core.registry.setAlias('m', 'a', '99'))).toBe('RESOURCE_DOES_NOT_EXIST');
    for (const alias of ['v1', 'V22', 'latest', 'LATEST', 'a b', '']) expect(code(() => core.registry.setAlias('m', alias, 1)), alias).toBe('INVALID_PARAMETER_VALUE');
    core.registry.deleteAlias('m', 'never-set');
    expect(code(() => core.registry.deleteAlias('nope', 'a'))).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});

describe('search', () => {
  beforeEach(() => {
    core.registry.createRegisteredModel('alpha', { tags: [{ key: 'team', value: 'a' }] });
    core.registry.createRegisteredModel('beta', { tags: [{ key: 'team', value: 'b' }] });
    core.registry.createRegisteredModel('prompt', { tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] });
    for (const name of ['alpha', 'alpha', 'beta']) core.registry.createModelVersion({ name, source: SRC, runId: name === 'beta' ? 'rb' : 'ra' });
  });

  const names = (filter?: string, orderBy?: string[]) => core.registry.searchRegisteredModels({ filter, orderBy, maxResults: 100, offset: 0 }).items.map((m) => m.name);

  it('registered models: name and tag clauses, the 3.x prompt clause, order and pages', () => {
    expect(names()).toEqual(['alpha', 'beta']);
    expect(names("name = 'alpha' AND tag.`mlflow.prompt.is_prompt` != 'true'")).toEqual(['alpha']);
    expect(names("tags.`mlflow.prompt.is_prompt` = 'true'")).toEqual(['prompt']);
    expect(names("name LIKE '%a' and tags.team != 'a'")).toEqual(['beta']);
    expect(names("name ILIKE 'ALP%'")).toEqual(['alpha']);
    expect(names(undefined, ['last_updated_timestamp DESC'])).toEqual(['beta', 'alpha']);
    const p1 = core.registry.searchRegisteredModels({ maxResults: 1, offset: 0 });
    expect([p1.items.map((m) => m.name), p1.nextOffset]).toEqual([['alpha'], 1]);
    expect(core.registry.searchRegisteredModels({ maxResults: 1, offset: 1 }).nextOffset).toBeUndefined();
    for (const filter of ['run_id = "x"', "name > 'a'", "name = 'a' OR name = 'b'", 'name =', "name IN ('a')"]) {
      expect(code(() => names(filter)), filter).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(code(() => names(undefined, ['creation_timestamp']))).toBe('INVALID_PARAMETER_VALUE');
    expect(code(() => core.registry.searchRegisteredModels({ maxResults: 1001, offset: 0 }))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('model versions: name, run_id IN, version_number, default order newest first', () => {
    const versions = (filter?: string, orderBy?: string[]) =>
      core.registry.searchModelVersions({ filter, orderBy, maxResults: 100, offset: 0 }).items.map((v) => `${v.name}/${v.version}`);
    expect(versions()).toEqual(['beta/1', 'alpha/2', 'alpha/1']);
    expect(versions("name = 'alpha'")).toEqual(['alpha/2', 'alpha/1']);
    expect(versions("run_id IN ('rb', 'zz')")).toEqual(['beta/1']);
    expect(versions("version_number >= 2 AND source_path LIKE 'mlflow-artifacts:%'")).toEqual(['alpha/2']);
    expect(versions(undefined, ['name ASC', 'version_number ASC'])).toEqual(['alpha/1', 'alpha/2', 'beta/1']);
    expect(code(() => versions('version_number = abc'))).toBe('INVALID_PARAMETER_VALUE');
  });
});
