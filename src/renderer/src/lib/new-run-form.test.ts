import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../shared/api/types';
import { buildRunSpec, emptyForm, formFieldOf, newRow, parseMemoryMb, type NewRunForm } from './new-run-form';

const experiments = [{ experimentId: '7', name: 'breast-cancer' }] as Experiment[];

function form(patch: Partial<NewRunForm>): NewRunForm {
  return { ...emptyForm(), ...patch };
}

describe('buildRunSpec', () => {
  it('builds the spec of the example run', () => {
    const { spec, errors } = buildRunSpec(
      form({
        workdir: ' /work/main/examples/sklearn-breast-cancer ',
        image: 'lathe/python-sklearn:bookworm',
        command: 'python3 train.py',
        experiment: 'breast-cancer',
        params: [newRow('epochs', '30'), newRow('', '')],
        env: [newRow('SEED', '1')],
      }),
      experiments,
    );
    expect(errors).toEqual({});
    expect(spec).toEqual({
      runtime: 'docker',
      image: 'lathe/python-sklearn:bookworm',
      command: ['python3', 'train.py'],
      workdir: '/work/main/examples/sklearn-breast-cancer',
      experimentId: '7',
      params: { epochs: '30' },
      env: { SEED: '1' },
    });
  });

  it('names a new experiment, and reads GPUs and limits', () => {
    const { spec } = buildRunSpec(
      form({ runtime: 'process', image: 'ignored', command: 'python3 -c "print(1)"', experiment: 'new one', gpuMode: 'ids', gpuIds: '0, 2', cpus: '1.5', memory: '8g' }),
      experiments,
    );
    expect(spec).toMatchObject({ runtime: 'process', command: ['python3', '-c', 'print(1)'], experimentName: 'new one', gpus: ['0', '2'], cpus: 1.5, memoryMb: 8192 });
    expect(spec).not.toHaveProperty('image');
    expect(buildRunSpec(form({ command: 'x', image: 'i', gpuMode: 'all' }), []).spec?.gpus).toBe('all');
    expect(buildRunSpec(form({ command: 'x', image: 'i', gpuMode: 'count', gpuCount: '2' }), []).spec?.gpus).toBe(2);
  });

  it('reports every mistake at once, by field', () => {
    const { spec, errors } = buildRunSpec(
      form({ command: 'echo "open', gpuMode: 'count', gpuCount: '0', cpus: '-1', memory: 'lots', params: [newRow('a', '1'), newRow('a', '2')], env: [newRow('1BAD', 'x')] }),
      [],
    );
    expect(spec).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['command', 'cpus', 'env', 'gpus', 'image', 'memory', 'params']);
    expect(buildRunSpec(form({ command: '', image: 'i' }), []).errors.command).toMatch(/Enter the command/);
    expect(buildRunSpec(form({ command: 'x', image: 'i', params: [newRow('', 'v')] }), []).errors.params).toMatch(/no name/);
  });
});

describe('parseMemoryMb', () => {
  it('reads MiB by default and common units', () => {
    expect(parseMemoryMb('4096')).toBe(4096);
    expect(parseMemoryMb('512m')).toBe(512);
    expect(parseMemoryMb('1.5 GiB')).toBe(1536);
    expect(parseMemoryMb('2G')).toBe(2048);
    expect(parseMemoryMb('abc')).toBeNull();
    expect(parseMemoryMb('0')).toBeNull();
  });
});

describe('formFieldOf', () => {
  it('maps server field paths to form fields', () => {
    expect(formFieldOf('image')).toBe('image');
    expect(formFieldOf('env.FOO')).toBe('env');
    expect(formFieldOf('memoryMb')).toBe('memory');
    expect(formFieldOf('experimentName')).toBe('experiment');
    expect(formFieldOf('path')).toBeNull();
    expect(formFieldOf(undefined)).toBeNull();
  });
});
