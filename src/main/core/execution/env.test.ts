import { describe, expect, it } from 'vitest';
import { MASK, maskEnv, shellJoin } from './env';

describe('maskEnv', () => {
  it('masks values of secret-looking names and keeps the rest', () => {
    expect(
      maskEnv({ WANDB_API_KEY: 'k', HF_TOKEN: 't', AWS_SECRET_ACCESS_KEY: 's', DB_PASSWORD: 'p', GITHUB_AUTH: 'a', DB_PASS: 'p', MYSQL_PWD: 'p', OPENAI_KEY: 'k', SSH_KEY: 'k', EPOCHS: '5', CUDA_VISIBLE_DEVICES: '0', PATH: '/bin' }),
    ).toEqual({ WANDB_API_KEY: MASK, HF_TOKEN: MASK, AWS_SECRET_ACCESS_KEY: MASK, DB_PASSWORD: MASK, GITHUB_AUTH: MASK, DB_PASS: MASK, MYSQL_PWD: MASK, OPENAI_KEY: MASK, SSH_KEY: MASK, EPOCHS: '5', CUDA_VISIBLE_DEVICES: '0', PATH: '/bin' });
  });
});

describe('shellJoin', () => {
  it('quotes what a shell would split or expand', () => {
    expect(shellJoin(['python3', 'train.py', '--lr', '0.1'])).toBe('python3 train.py --lr 0.1');
    expect(shellJoin(['echo', 'a b', "it's", '$HOME'])).toBe(`echo 'a b' 'it'\\''s' '$HOME'`);
  });
});
