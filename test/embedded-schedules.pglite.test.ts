// The embedded product runs its default schedules by itself: `nightshift serve` on PGlite, nothing
// fired by hand, and within a minute or so the every-minute schedules have run for the demo tenant;
// the demo workspace also has the offline CMO agents' runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe } from '../scripts/support/cli-process.ts';
import { DEFAULT_SCHEDULES } from './support/default-schedules.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-schedules-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface ScheduleOut {
  name: string;
  cron: string;
  next_run_at: string | null;
  last_run: { status: string; result: Record<string, unknown> | null } | null;
}

describe('the embedded product (pglite)', () => {
  it('runs the default schedules by itself', async () => {
    const server = await startServe({ NIGHTSHIFT_DATA_DIR: dataDir, NIGHTSHIFT_SCHEDULER_SECONDS: '1' });
    try {
      const token = /#token=(\S+)/.exec(server.output())?.[1];
      expect(token).toBeDefined();
      const schedules = async () => {
        const response = await fetch(`${server.url}/api/schedules`, { headers: { authorization: `Bearer ${token}` } });
        return ((await response.json()) as { data: ScheduleOut[] }).data;
      };

      const first = await schedules();
      expect(first.map((s) => [s.name, s.cron])).toEqual(DEFAULT_SCHEDULES.map((s) => [s.name, s.cron]));

      // The first minute boundary fires the every-minute schedules; a worker runs their jobs.
      const deadline = Date.now() + 100_000;
      let latest = first;
      const ran = (s: ScheduleOut) => s.last_run?.status === 'succeeded';
      while (Date.now() < deadline) {
        latest = await schedules();
        if (latest.filter((s) => s.name === 'campaign-runner' || s.name === 'social-dispatcher').every(ran)) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const byName = Object.fromEntries(latest.map((s) => [s.name, s]));
      expect(byName['campaign-runner']?.last_run).toMatchObject({
        status: 'succeeded',
        result: { processed_count: expect.any(Number) },
      });
      expect(byName['social-dispatcher']?.last_run).toMatchObject({
        status: 'succeeded',
        result: { schedules: expect.any(Array) },
      });
      for (const schedule of latest) expect(schedule.next_run_at, schedule.name).not.toBeNull();

      // The CMO agents have content too: the offline provider's plan, funnel and recommendations.
      const runs = await fetch(`${server.url}/api/agent-runs`, { headers: { authorization: `Bearer ${token}` } });
      const agentRuns = ((await runs.json()) as { data: { agent: string; status: string; provider: string }[] }).data;
      expect(
        agentRuns
          .filter((r) => r.provider === 'offline')
          .map((r) => [r.agent, r.status])
          .sort(),
      ).toEqual([
        ['cmo-funnel-architect', 'completed'],
        ['cmo-optimization-analyst', 'completed'],
        ['cmo-plan-90day', 'completed'],
      ]);
    } finally {
      server.child.kill('SIGINT');
      await server.exit;
    }
  }, 180_000);
});
