import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';
import { TRAFFIC, createReplayer, isTruncated, shapeOf, type Exchange } from './traffic-replay';

/**
 * The runs/search and metrics/get-history requests of the real mlflow 3.5.1 client
 * (test/fixtures/mlflow/real-client-3.5.1-traffic.jsonl), replayed in order after everything
 * the client sent before them, with the real server's ids mapped to Lathe's: same status, a
 * response of the same shape, and the same runs in the same order.
 */

const SEARCH_ROUTES = ['/api/2.0/mlflow/runs/search', '/api/2.0/mlflow/metrics/get-history'];
const LAST_CHECKED = Math.max(...TRAFFIC.filter((x) => SEARCH_ROUTES.includes(x.path)).map((x) => x.seq));

let srv: MlflowTestServer;
const checked: Array<{ x: Exchange; status: number; json: unknown }> = [];

/** Run names in a (possibly truncated) response text, in order. */
function runNames(text: string): string[] {
  return [...text.replace(/\\"/g, '"').matchAll(/"run_name":\s*"([^"]+)"/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  srv = await startMlflowTestServer();
  const replayer = createReplayer(srv);
  for (const x of TRAFFIC) {
    if (x.seq > LAST_CHECKED) break;
    const res = await replayer.replay(x);
    if (SEARCH_ROUTES.includes(x.path)) checked.push({ x, status: res.status, json: res.json });
  }
}, 120_000);
afterAll(async () => {
  await srv?.close();
});

describe('runs/search and get-history, replayed from the real client', () => {
  it('replays the 11 searches and 5 history reads of the recording', () => {
    expect(checked.filter((c) => c.x.path.endsWith('/runs/search'))).toHaveLength(11);
    expect(checked.filter((c) => c.x.path.endsWith('/get-history'))).toHaveLength(5);
  });

  it('answers each with the real status', () => {
    expect(checked.filter((c) => c.status !== c.x.status).map((c) => `#${c.x.seq}: ${c.status}`)).toEqual([]);
  });

  it('answers each with a body of the same shape and the same runs in the same order', () => {
    const wrong: string[] = [];
    for (const { x, json } of checked) {
      const real = x.resp_body;
      const ours = JSON.stringify(json);
      if (isTruncated(real)) {
        // The recorder kept the start of the text: our answer must start with the same runs.
        const expected = runNames(real._truncated);
        const got = runNames(ours).slice(0, expected.length);
        if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`#${x.seq}: runs ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
        const firstKey = /"(\w+)"/.exec(real._truncated.replace(/\\"/g, '"'))?.[1];
        if (firstKey && x.path.endsWith('/runs/search') && !(json as Record<string, unknown>).runs) wrong.push(`#${x.seq}: no runs`);
        continue;
      }
      if (JSON.stringify(shapeOf(json)) !== JSON.stringify(shapeOf(real))) wrong.push(`#${x.seq}: shape ${JSON.stringify(shapeOf(json))} != ${JSON.stringify(shapeOf(real))}`);
      const expected = runNames(JSON.stringify(real));
      if (JSON.stringify(runNames(ours)) !== JSON.stringify(expected)) wrong.push(`#${x.seq}: runs ${JSON.stringify(runNames(ours))} != ${JSON.stringify(expected)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('pages 2 by 2 like the real store: full pages carry a token, then an empty {} page', () => {
    const paging = checked.filter((c) => c.x.path.endsWith('/runs/search') && (c.x.req_body as { max_results?: number }).max_results === 2);
    expect(paging.map((c) => Boolean((c.json as { next_page_token?: string }).next_page_token))).toEqual([true, true, true, false]);
    expect(paging.at(-1)!.json).toEqual({});
  });

  it('returns history values as the real server did (the old timestamp first)', () => {
    const loss = checked.find((c) => c.x.seq === 81)!;
    expect(loss.json).toEqual(loss.x.resp_body);
  });
});
