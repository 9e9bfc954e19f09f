import type { Db } from '../store/database';
import type { Run, RunStatus } from '../../../shared/api/types';
import type { RunColumns, RunKeys, ViewType } from '../../../shared/api/search-types';
import { LatheError } from '../../../shared/errors';
import { parseFilter } from './filter-parser';
import { compileFilter } from './filter-sql';
import { compileOrder, parseOrderItem } from './order-by';
import { decodeOffsetToken, encodeOffsetToken } from './page-token';
import type { RunRow } from '../tracking/run-row';
import { hydrateRuns } from '../tracking/run-hydrate';

/** A run search: MLflow's runs/search, plus column selection and an exact total for the UI. */
export interface RunSearchQuery {
  /** Experiments to search; absent: all experiments; empty: none (MLflow answers `{}`). */
  experimentIds?: string[];
  /** MLflow filter grammar (filter-parser.ts). */
  filter?: string;
  /** MLflow order_by items (order-by.ts); default newest first. */
  orderBy?: string[];
  /** Default ACTIVE_ONLY. */
  viewType?: ViewType;
  /** Page size, 1–50,000 (default 1000, MLflow's). */
  maxResults?: number;
  /** A token from a previous page, or an explicit offset (the token wins). */
  pageToken?: string;
  offset?: number;
  /** Only these params/metrics/tags with each run (default: all). */
  columns?: RunColumns;
  /** Count all matches (one more query); default false. */
  withTotal?: boolean;
}

export interface RunSearchResult {
  runs: Run[];
  offset: number;
  /** True when more runs match after this page. */
  more: boolean;
  /** Token for the page after this one, or null when there is none. */
  nextPageToken: string | null;
  /** All matches, when `withTotal`. */
  total?: number;
}

/** MLflow's cap on runs/search max_results (more is 400 on the real server). */
export const MAX_SEARCH_RESULTS = 50_000;


const STAGE_SQL: Record<ViewType, string> = {
  ACTIVE_ONLY: "r.lifecycle_stage = 'active'",
  DELETED_ONLY: "r.lifecycle_stage = 'deleted'",
  ALL: '1',
};

/**
 * Run search over the SQLite store: MLflow filters and order_by compiled to SQL with bound
 * parameters (filter-sql.ts, order-by.ts), offset paging with MLflow's tokens, and pages
 * hydrated with three indexed reads (params, tags, latest metrics), restricted to the asked
 * columns. Statements are cached by SQL text.
 */
export class RunSearchService {
  private readonly cache = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {}

  private prepare(sql: string): ReturnType<Db['prepare']> {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      if (this.cache.size >= 256) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * One page of runs matching `q`, in order, with params, tags and latest metrics.
   * @throws LatheError INVALID_PARAMETER_VALUE for a bad filter, order_by, page token or
   *   page size (each message names what and where).
   */
  search(q: RunSearchQuery): RunSearchResult {
    const limit = q.maxResults ?? 1000;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_SEARCH_RESULTS) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid value ${limit} for parameter 'max_results' supplied: it must be between 1 and ${MAX_SEARCH_RESULTS}`, { field: 'max_results' });
    }
    const offset = q.pageToken ? decodeOffsetToken(q.pageToken) : (q.offset ?? 0);
    const where = compileFilter(parseFilter(q.filter));
    const order = compileOrder((q.orderBy ?? []).filter((o) => o.trim() !== '').map(parseOrderItem));
    const scope: string[] = [STAGE_SQL[q.viewType ?? 'ACTIVE_ONLY']];
    const scopeParams: number[] = [];
    if (q.experimentIds !== undefined) {
      const ids = q.experimentIds.filter((e) => /^\d+$/.test(e)).map(Number);
      if (ids.length === 0) return { runs: [], offset, more: false, nextPageToken: null, ...(q.withTotal ? { total: 0 } : {}) };
      scope.push(ids.length === 1 ? 'r.experiment_id = ?' : `r.experiment_id IN (${ids.map(() => '?').join(', ')})`);
      scopeParams.push(...ids);
    }
    const whereSql = `${scope.join(' AND ')} AND (${where.sql})`;
    const sql = `SELECT r.* FROM runs r\n${order.joins}\nWHERE ${whereSql}\nORDER BY ${order.orderBy}\nLIMIT ? OFFSET ?`;
    const rows = this.prepare(sql).all([...order.joinParams, ...scopeParams, ...where.params, limit + 1, offset]) as RunRow[];
    const more = rows.length > limit;
    if (more) rows.pop();
    const result: RunSearchResult = { runs: this.hydrate(rows, q.columns), offset, more, nextPageToken: more ? encodeOffsetToken(offset + limit) : null };
    if (q.withTotal) {
      result.total = this.prepare(`SELECT COUNT(*) FROM runs r WHERE ${whereSql}`).pluck().get([...scopeParams, ...where.params]) as number;
    }
    return result;
  }

  /** The SQL and plan of a search, for tests that check index use (EXPLAIN QUERY PLAN). */
  explain(q: Pick<RunSearchQuery, 'filter' | 'orderBy' | 'experimentIds' | 'viewType'>): string[] {
    const where = compileFilter(parseFilter(q.filter));
    const order = compileOrder((q.orderBy ?? []).map(parseOrderItem));
    const ids = (q.experimentIds ?? []).map(Number);
    const scope = [STAGE_SQL[q.viewType ?? 'ACTIVE_ONLY'], ...(ids.length ? [ids.length === 1 ? 'r.experiment_id = ?' : `r.experiment_id IN (${ids.map(() => '?').join(', ')})`] : [])];
    const sql = `SELECT r.* FROM runs r ${order.joins} WHERE ${scope.join(' AND ')} AND (${where.sql}) ORDER BY ${order.orderBy} LIMIT 100`;
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...order.joinParams, ...ids, ...where.params) as Array<{ detail: string }>).map((r) => r.detail);
  }

  /** Params, tags and latest metrics of `rows`, keeping their order; `columns` narrows each kind. */
  private hydrate(rows: RunRow[], columns: RunColumns | undefined): Run[] {
    return hydrateRuns((sql) => this.prepare(sql), rows, columns);
  }

  /**
   * Distinct param, metric and tag keys of the runs in `experimentIds` (all experiments when
   * absent), each sorted. Read from `experiment_keys`, which triggers keep as rows change
   * (migration-5-search-indexes.ts), so thousands of keys over thousands of runs cost one
   * index range per experiment. Keys of runs in the experiments count whatever their lifecycle stage.
   */
  keys(experimentIds?: string[]): RunKeys {
    const ids = experimentIds?.filter((e) => /^\d+$/.test(e)).map(Number);
    if (ids && ids.length === 0) return { params: [], metrics: [], tags: [] };
    const scope = ids === undefined ? '' : ` AND experiment_id IN (${ids.map(() => '?').join(', ')})`;
    const list = (kind: 'param' | 'metric' | 'tag') => this.prepare(`SELECT DISTINCT key FROM experiment_keys WHERE kind = ?${scope} ORDER BY key`).pluck().all(kind, ...(ids ?? [])) as string[];
    return { params: list('param'), metrics: list('metric'), tags: list('tag') };
  }
}
