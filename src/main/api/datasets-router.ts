import { implement } from '@orpc/server';
import { contract } from '../../shared/api/contract';
import type { AddEvent } from '../../shared/api/datasets-contract';
import type { AddProgress } from '../../shared/api/dataset-types';
import type { ApiContext } from './router';
import { toTransportError } from './errors';

const os = implement(contract).$context<ApiContext>();

/**
 * Handlers of the Datasets section: thin calls into core.datasets. `add` runs the
 * registration in the background and streams its progress; when the client goes away (the
 * stream is aborted) the registration is cancelled.
 */
export const datasetsRouter = {
  list: os.datasets.list.handler(({ context }) => context.core.datasets.list()),
  get: os.datasets.get.handler(({ context, input }) => context.core.datasets.get(input.name)),
  versions: os.datasets.versions.handler(({ context, input }) => context.core.datasets.versions(input.name)),
  files: os.datasets.files.handler(({ context, input }) => context.core.datasets.files(input.ref)),
  add: os.datasets.add.handler(async function* ({ context, input, signal }) {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort);
    const queue: AddProgress[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    const work = context.core.datasets
      .add(input, {
        signal: controller.signal,
        onProgress: (p) => {
          queue.push(p);
          wake?.();
        },
      })
      .finally(() => {
        finished = true;
        wake?.();
      });
    work.catch(() => {});
    try {
      while (!finished || queue.length) {
        if (queue.length) {
          yield { type: 'progress', progress: queue.shift()! } satisfies AddEvent;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const result = await work.catch((err: unknown) => {
        // Errors inside an event stream bypass the interceptors: map them here (LatheError → its status).
        throw toTransportError(err);
      });
      yield { type: 'done', ...result } satisfies AddEvent;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!finished) controller.abort();
    }
  }),
  inspect: os.datasets.inspect.handler(({ context, input, signal }) => context.core.datasets.inspect(input.target, { file: input.file, refresh: input.refresh, signal })),
  preview: os.datasets.preview.handler(({ context, input, signal }) => context.core.datasets.preview(input.target, { file: input.file, offset: input.offset, limit: input.limit, signal })),
  rules: os.datasets.rules.handler(({ context, input }) => context.core.datasets.rules(input.name)),
  setRules: os.datasets.setRules.handler(({ context, input }) => context.core.datasets.setRules(input.name, input.rules)),
  validate: os.datasets.validate.handler(({ context, input, signal }) => context.core.datasets.validate(input.target, { file: input.file, rules: input.rules, signal })),
  diff: os.datasets.diff.handler(({ context, input, signal }) => context.core.datasets.diff(input.name, input.from, input.to, { file: input.file, signal })),
  delete: os.datasets.delete.handler(({ context, input }) => context.core.datasets.delete(input)),
  runInputs: os.datasets.runInputs.handler(({ context, input }) => {
    context.core.tracking.getRunInfo(input.runId);
    return context.core.datasets.runs.inputs(input.runId);
  }),
  mlflowInputs: os.datasets.mlflowInputs.handler(({ context, input }) => {
    context.core.tracking.getRunInfo(input.runId);
    return context.core.datasets.runs.mlflowInputs(input.runId);
  }),
};
