// How long the engine's long runs (the autonomous cycle, the CMO loop) may hold the database: a
// statement that runs away is cancelled, a lock that a stuck transaction holds is not waited for
// forever, and a run that finds its tenant's run already going gives up with a message. Operators
// set them (NIGHTSHIFT_STATEMENT_TIMEOUT_SECONDS and the others: src/config.ts).
export interface RunLimits {
  /** Longest one statement may run (statement_timeout). */
  statementTimeoutMs: number;
  /** Longest a statement may wait for a row a person or another run has locked (lock_timeout). */
  lockTimeoutMs: number;
  /** Longest a run waits for the tenant's run already in progress before giving up. */
  lockWaitMs: number;
}

/**
 * The cycle of a 100,000-campaign tenant over 90 days runs 10 s in all (bench/cycle.ts): two
 * minutes for one statement is far past any healthy plan; a person's edit holds a campaign's
 * row for milliseconds.
 */
export const DEFAULT_RUN_LIMITS: RunLimits = {
  statementTimeoutMs: 120_000,
  lockTimeoutMs: 15_000,
  lockWaitMs: 30_000,
};
