// Prometheus metrics of one server: requests (count and latency by route template, so ids do not
// explode the label set), cycle durations, and engine actions by type. A registry per app keeps
// two servers in one process (tests) from sharing counters.
import type { Context } from 'hono';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { CycleResult } from '../contract/cycles.ts';

export interface Metrics {
  registry: Registry;
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  observeCycle(result: CycleResult, seconds: number): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'nightshift_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'nightshift_http_request_duration_seconds',
    help: 'HTTP request latency, by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const cycles = new Histogram({
    name: 'nightshift_cycle_duration_seconds',
    help: 'Duration of autonomous cycles, by whether they were dry runs',
    labelNames: ['dry_run'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const actions = new Counter({
    name: 'nightshift_actions_total',
    help: 'Actions the engine took or suggested, by type and mode',
    labelNames: ['action_type', 'mode'],
    registers: [registry],
  });
  return {
    registry,
    observeRequest({ method, route, status }, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    observeCycle(result, seconds) {
      cycles.observe({ dry_run: String(result.dry_run) }, seconds);
      if (result.dry_run) return;
      for (const decision of result.decisions) actions.inc({ action_type: decision.action_type, mode: decision.mode });
    },
  };
}

/** Answers with the registry's Prometheus text. */
export function metricsHandler(metrics: Metrics) {
  return async (c: Context) =>
    c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
}
