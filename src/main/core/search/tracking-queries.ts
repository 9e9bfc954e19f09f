import type { Db } from '../store/database';
import { MetricChartService } from './metric-chart';
import { MetricHistoryService } from './metric-history';
import { RunSearchService } from './run-search';

/**
 * The read side of tracking at scale, on one store: run search and column keys
 * (run-search.ts), chart buckets (metric-chart.ts) and MLflow history paging and sampling
 * (metric-history.ts). Writes stay in TrackingService.
 */
export class TrackingQueries {
  readonly runs: RunSearchService;
  readonly charts: MetricChartService;
  readonly history: MetricHistoryService;

  constructor(db: Db) {
    this.runs = new RunSearchService(db);
    this.charts = new MetricChartService(db);
    this.history = new MetricHistoryService(db);
  }
}
