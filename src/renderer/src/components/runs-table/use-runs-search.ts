import { useCallback, useEffect, useRef, useState } from 'react';
import { call, toApiError, type ApiError } from '../../api/client';
import { useFeedEvents } from '../../hooks/use-feed-events';
import type { Run } from '../../../../shared/api/types';
import type { RunColumns, ViewType } from '../../../../shared/api/search-types';

export interface RunsQuery {
  experimentIds?: string[];
  filter: string;
  orderBy: string[];
  viewType: ViewType;
  columns: RunColumns;
  /** Load every matching run at once (grouping needs all of them); otherwise page as the reader scrolls. */
  all: boolean;
}

export interface FilterError {
  message: string;
  /** 1-based character position the server named, when it did. */
  position: number | null;
}

export interface RunsSearch {
  runs: Run[];
  total: number;
  /** True until the first answer for this query. */
  loading: boolean;
  error: ApiError | undefined;
  filterError: FilterError | null;
  /** Loads the next page (no-op when all are loaded or a page is on its way). */
  loadMore(): void;
  refetch(): void;
}

export const PAGE_SIZE = 500;
/** runs.search's page cap: the most one request returns. */
export const MAX_PAGE = 50_000;

function asFilterError(e: ApiError): FilterError | null {
  if (e.code !== 'INVALID_PARAMETER_VALUE' || e.details?.field !== 'filter') return null;
  const position = typeof e.details.position === 'number' ? e.details.position : null;
  return { message: e.message, position };
}

async function fetchPage(q: RunsQuery, offset: number, limit: number) {
  return call((c) =>
    c.runs.search({ experimentIds: q.experimentIds, filter: q.filter || undefined, orderBy: q.orderBy, viewType: q.viewType, columns: q.columns, limit, offset }),
  );
}

/**
 * The runs of the table: server-side filter, sort and column selection (`runs.search`), paged
 * in as the reader scrolls, refetched (the loaded range, in one request) when change events
 * for the scope arrive. A bad filter keeps the last good rows on screen and reports where.
 */
export function useRunsSearch(q: RunsQuery, enabled = true): RunsSearch {
  const key = JSON.stringify(q);
  const [state, setState] = useState<{ key: string; runs: Run[]; total: number; error?: ApiError; filterError: FilterError | null; ready: boolean }>({
    key: '',
    runs: [],
    total: 0,
    filterError: null,
    ready: false,
  });
  const queryRef = useRef(q);
  queryRef.current = q;
  const gen = useRef(0);
  const loadingMore = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  const load = useCallback(async (mode: 'replace' | 'refresh') => {
    const my = ++gen.current;
    const query = queryRef.current;
    const k = JSON.stringify(query);
    const loaded = stateRef.current.key === k ? stateRef.current.runs.length : 0;
    const limit = query.all ? MAX_PAGE : Math.min(MAX_PAGE, Math.max(PAGE_SIZE, mode === 'refresh' ? loaded : 0));
    try {
      const page = await fetchPage(query, 0, limit);
      if (my !== gen.current) return;
      setState({ key: k, runs: page.runs, total: page.total, filterError: null, ready: true });
    } catch (err) {
      if (my !== gen.current) return;
      const error = toApiError(err);
      const filterError = asFilterError(error);
      // Keep what is on screen: a typo in the filter should not blank the table.
      setState((s) => ({ ...s, key: k, error: filterError ? undefined : error, filterError, ready: true }));
    }
  }, []);

  useEffect(() => {
    if (enabled) void load('replace');
  }, [key, enabled, load]);

  const loadMore = useCallback(() => {
    const s = stateRef.current;
    const query = queryRef.current;
    if (loadingMore.current || s.key !== JSON.stringify(query) || s.runs.length >= s.total || query.all) return;
    loadingMore.current = true;
    const my = gen.current;
    void fetchPage(query, s.runs.length, PAGE_SIZE)
      .then((page) => {
        if (my !== gen.current) return;
        setState((cur) => ({ ...cur, runs: [...cur.runs, ...page.runs], total: page.total }));
      })
      .catch((err) => {
        if (my === gen.current) setState((cur) => ({ ...cur, error: toApiError(err) }));
      })
      .finally(() => {
        loadingMore.current = false;
      });
  }, []);

  const refetch = useCallback(() => void load('refresh'), [load]);
  const scope = q.experimentIds;
  useFeedEvents(() => void (enabled && load('refresh')), {
    match: (e) => (e.kind === 'run' || e.kind === 'metrics') && (!scope || (e.experimentId !== undefined && scope.includes(e.experimentId))),
    // Training loops log all the time; one refresh of the loaded range every 2 s at most is plenty for a table.
    debounceMs: 500,
    maxWaitMs: 2000,
  });

  return {
    runs: state.runs,
    total: state.total,
    loading: !state.ready,
    error: state.error,
    filterError: state.key === key ? state.filterError : null,
    loadMore,
    refetch,
  };
}
