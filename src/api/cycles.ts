// /api/cycles (being written).
import type { Metrics } from '../server/metrics.ts';
import type { ApiRouter } from './router.ts';

export function cycleRoutes(_api: ApiRouter, _deps: { metrics: Metrics }): void {}
