// A cycle run from the API, timed into the server's metrics (duration, actions by type).

import type { CycleResult } from '../contract/cycles.ts';
import type { Database } from '../db/port.ts';
import { type CycleOptions, runCycle } from '../engine/cycle.ts';
import type { Metrics } from '../server/metrics.ts';

export async function runObservedCycle(
  metrics: Metrics,
  db: Database,
  tenantId: string,
  options: CycleOptions,
): Promise<CycleResult> {
  const started = performance.now();
  const result = await runCycle(db, tenantId, options);
  metrics.observeCycle(result, (performance.now() - started) / 1000);
  return result;
}
