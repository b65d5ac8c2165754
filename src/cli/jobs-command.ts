// `nightshift jobs`: the schedules (what runs when), the last result of each over every tenant, and
// the dead-letter queue; `jobs set` edits a schedule, `jobs run` fires one now, `jobs runs` shows
// a schedule's run history. Edits are validated as PATCH /api/schedules/{name} validates them.
import type { Database } from '../db/port.ts';
import {
  getSchedule,
  type LastTick,
  lastTicks,
  listRuns,
  listSchedules,
  type RunRow,
  type ScheduleRow,
  updateSchedule,
} from '../db/repositories/schedules.ts';
import { deadLetterCounts } from '../jobs/dead-letters.ts';
import { fireNow, MAX_RUNS, scheduleName, schedulePatch, showRun, showSchedule } from '../jobs/schedule-patch.ts';
import { listTenants, resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { plural } from './plural.ts';
import { table } from './table.ts';

/** A date as the tables show it: ISO 8601 to the second, UTC. */
const shown = (at: Date | null) => (at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');
const firstLine = (text: string, max = 80) => {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};
const write = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const writeJson = (value: unknown): void => write(JSON.stringify(value, null, 2));

/** "succeeded 3, failed 1: <error>", the statuses in the order a run goes through them. */
function resultText(tick: LastTick | undefined): string {
  if (!tick) return 'never ran';
  const order = ['succeeded', 'failed', 'retrying', 'running', 'queued', 'skipped'] as const;
  const counts = order.filter((status) => tick.counts[status]).map((status) => `${status} ${tick.counts[status]}`);
  return `${counts.join(', ')}${tick.error ? `: ${firstLine(tick.error)}` : ''}`;
}

function validName(name: string): string {
  if (!scheduleName.safeParse(name).success) throw new UsageError(`no schedule ${JSON.stringify(name)}`);
  return name;
}

async function existing(db: Database, name: string): Promise<ScheduleRow> {
  const row = await db.session((s) => getSchedule(s, validName(name)));
  if (row) return row;
  const names = (await db.session(listSchedules)).map((s) => s.name);
  throw new UsageError(`no schedule ${JSON.stringify(name)} (there are: ${names.join(', ')})`);
}

export async function jobsListCommand(options: { json?: boolean }): Promise<void> {
  const { config } = commandConfig();
  const { schedules, ticks, deadLetters } = await withDatabase(config, (db) =>
    db.session(async (s) => ({
      schedules: await listSchedules(s),
      ticks: await lastTicks(s),
      deadLetters: await deadLetterCounts(s),
    })),
  );
  const rows = schedules.map((row) => {
    const tick = ticks.get(row.name);
    return {
      ...showSchedule(row),
      last_result: tick ? { tick_at: tick.tick_at, counts: tick.counts, error: tick.error } : null,
      dead_letters: deadLetters ? (deadLetters.get(row.task) ?? 0) : null,
    };
  });
  if (options.json) return writeJson(rows);
  write(
    table(
      ['NAME', 'TASK', 'CRON', 'TIMEZONE', 'ENABLED', 'NEXT RUN', 'LAST TICK', 'LAST RESULT'],
      rows.map((row) => [
        row.name,
        row.task,
        row.cron,
        row.timezone,
        row.enabled ? 'yes' : 'no',
        !row.enabled ? '(disabled)' : row.next_run_at ? shown(row.next_run_at) : 'pending',
        shown(row.last_tick_at),
        resultText(ticks.get(row.name)),
      ]),
    ),
  );
  if (!deadLetters) {
    write('Dead-letter queue: not created yet (no worker has started on this database)');
    return;
  }
  const total = [...deadLetters.values()].reduce((sum, n) => sum + n, 0);
  const bySource = [...deadLetters].map(([source, n]) => `${source || 'unknown'} ${n}`).join(', ');
  write(`Dead-letter queue: ${plural(total, 'job')}${total > 0 ? ` (${bySource})` : ''}`);
}

export interface JobsSetOptions {
  cron?: string;
  timezone?: string;
  enable?: boolean;
  disable?: boolean;
  data?: string;
  json?: boolean;
}

const FLAGS: Record<string, string> = { cron: '--cron', timezone: '--timezone', enabled: '--enable', data: '--data' };

/** The options as a patch, validated by the API's own schema; a problem is one line naming the flag. */
function patchOf(options: JobsSetOptions) {
  if (options.enable && options.disable) throw new UsageError('--enable and --disable exclude each other');
  let data: unknown;
  if (options.data !== undefined) {
    try {
      data = JSON.parse(options.data);
    } catch {
      throw new UsageError(`--data expects a JSON object (got ${JSON.stringify(options.data)})`);
    }
  }
  const candidate = {
    ...(options.cron !== undefined ? { cron: options.cron } : {}),
    ...(options.timezone !== undefined ? { timezone: options.timezone } : {}),
    ...(options.enable ? { enabled: true } : options.disable ? { enabled: false } : {}),
    ...(options.data !== undefined ? { data } : {}),
  };
  const parsed = schedulePatch.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const flag = FLAGS[field];
  if (!flag) throw new UsageError('give at least one of --cron, --timezone, --enable, --disable, --data');
  const given = field === 'enabled' ? '' : ` (got ${JSON.stringify(options[field as 'cron' | 'timezone' | 'data'])})`;
  throw new UsageError(`${flag}: ${issue?.message}${given}`);
}

export async function jobsSetCommand(name: string, options: JobsSetOptions): Promise<void> {
  const patch = patchOf(options);
  const { config } = commandConfig();
  const row = await withDatabase(config, async (db) => {
    await existing(db, name);
    return db.transaction((s) => updateSchedule(s, name, patch));
  });
  if (!row) throw new UsageError(`no schedule ${JSON.stringify(name)}`);
  if (options.json) return writeJson(showSchedule(row));
  write(
    `${row.name}: ${row.cron} (${row.timezone}), ${row.enabled ? 'enabled' : 'disabled'}` +
      (row.enabled && !row.next_run_at ? '; the next scheduler pass computes its next run' : ''),
  );
}

export async function jobsRunCommand(name: string, options: { json?: boolean }): Promise<void> {
  const { config } = commandConfig();
  const fired = await withDatabase(config, async (db) => {
    await existing(db, name);
    return fireNow(db, name);
  });
  if (fired.outcome === 'missing') throw new UsageError(`no schedule ${JSON.stringify(name)}`);
  if (fired.outcome === 'disabled')
    throw new UsageError(`schedule ${name} is disabled: enable it first (nightshift jobs set ${name} --enable)`);
  if (options.json) return writeJson(showSchedule(fired.schedule));
  write(`${name} is due now: the next scheduler pass of a running worker fires it, once for every tenant`);
}

export async function jobsRunsCommand(
  name: string,
  options: { limit: string; tenant?: string; json?: boolean },
): Promise<void> {
  const limit = Number(options.limit);
  if (!/^\d+$/.test(options.limit) || limit < 1 || limit > MAX_RUNS) {
    throw new UsageError(`--limit expects a whole number from 1 to ${MAX_RUNS} (got ${JSON.stringify(options.limit)})`);
  }
  const { config } = commandConfig();
  const { runs, slugs } = await withDatabase(config, async (db) => {
    await existing(db, name);
    const slugs = new Map((await listTenants(db)).map((t) => [t.id, t.slug]));
    const tenantId = options.tenant === undefined ? undefined : (await resolveTenant(db, options.tenant)).id;
    return { runs: await db.session((s) => listRuns(s, name, limit, { tenantId })), slugs };
  });
  const shownRuns = runs.map((run: RunRow) => ({
    ...showRun(run),
    tenant: slugs.get(run.tenant_id) ?? run.tenant_id,
    tenant_id: run.tenant_id,
  }));
  if (options.json) return writeJson(shownRuns);
  if (shownRuns.length === 0) return write(`${name} has no runs yet`);
  write(
    table(
      ['TICK', 'TENANT', 'STATUS', 'ATTEMPTS', 'STARTED', 'FINISHED', 'ERROR / RESULT'],
      shownRuns.map((run) => [
        shown(run.tick_at),
        run.tenant,
        run.status,
        String(run.attempts),
        shown(run.started_at),
        shown(run.finished_at),
        run.error ? firstLine(run.error) : run.result ? firstLine(JSON.stringify(run.result)) : '',
      ]),
    ),
  );
}
