// #/jobs: the installation's schedules (GET /api/schedules, admins only) with this tenant's last
// run of each, and a schedule's run history. Changing a schedule or firing it now is the
// operator's (the API takes those only with the internal secret): the page says how, and offers
// no control for it.
import { useState } from 'react';
import type { ScheduleList } from '../../../src/contract/schedules.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async, Empty } from '../components/status.tsx';
import { cronInWords } from '../lib/cron-words.ts';
import { dateTime } from '../lib/format.ts';
import { resultLines } from '../lib/job-result.ts';
import { JobRuns, RunStatus } from './jobs-runs.tsx';
import './campaigns.css';
import './jobs.css';

type Schedule = ScheduleList['data'][number];

export function JobsPage() {
  const { can } = useSession();
  return (
    <>
      <h1>Jobs</h1>
      {can('admin') ? (
        <Schedules />
      ) : (
        <Empty>The schedules and their runs are shown to admins of this tenant only.</Empty>
      )}
    </>
  );
}

function Schedules() {
  const loaded = useApi<ScheduleList>('/api/schedules');
  const [open, setOpen] = useState<string>();
  return (
    <Async loaded={loaded} what="schedules">
      {({ data }) =>
        data.length === 0 ? (
          <Empty>No schedules are installed.</Empty>
        ) : (
          <>
            <p className="muted small">
              Schedules belong to the installation; the runs shown are this tenant’s. The operator changes them with{' '}
              <code>nightshift jobs set</code> and fires one with <code>nightshift jobs run</code>.
            </p>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Schedule</th>
                    <th>When</th>
                    <th>Enabled</th>
                    <th>Next run</th>
                    <th>Last run</th>
                    <th>
                      <span className="visually-hidden">History</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((s) => (
                    <ScheduleRow
                      key={s.name}
                      schedule={s}
                      open={open === s.name}
                      onToggle={() => setOpen(open === s.name ? undefined : s.name)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {open && <JobRuns key={open} name={open} onClose={() => setOpen(undefined)} />}
          </>
        )
      }
    </Async>
  );
}

function ScheduleRow({ schedule: s, open, onToggle }: { schedule: Schedule; open: boolean; onToggle: () => void }) {
  return (
    <tr data-testid="schedule-row" data-id={s.name} className={open ? 'selected' : undefined}>
      <td>
        <strong>{s.name}</strong>
        {s.task !== s.name && <div className="muted small">task {s.task}</div>}
        {Object.keys(s.data).length > 0 && (
          <div className="muted small">
            {resultLines(s.data)
              .map((line) => `${line.label}: ${line.value}`)
              .join(' · ')}
          </div>
        )}
      </td>
      <td>
        <When cron={s.cron} timezone={s.timezone} />
      </td>
      <td>
        <span className={`badge ${s.enabled ? 'green' : 'grey'}`}>{s.enabled ? 'enabled' : 'disabled'}</span>
      </td>
      <td className="nowrap">{s.enabled ? dateTime(s.next_run_at) : '—'}</td>
      <td>
        {s.last_run ? (
          <>
            <RunStatus status={s.last_run.status} />{' '}
            <span className="small nowrap">{dateTime(s.last_run.finished_at ?? s.last_run.tick_at)}</span>
            {s.last_run.error && <div className="field-error">{s.last_run.error}</div>}
          </>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
      <td>
        <button
          type="button"
          aria-expanded={open}
          onClick={onToggle}
          aria-label={`${open ? 'Hide runs' : 'Runs'} of ${s.name}`}
        >
          {open ? 'Hide runs' : 'Runs'}
        </button>
      </td>
    </tr>
  );
}

/** The schedule in words, with the expression the operator sets under it. */
function When({ cron, timezone }: { cron: string; timezone: string }) {
  const words = cronInWords(cron, timezone);
  return (
    <>
      <span className="nowrap">{words ?? <code>{cron}</code>}</span>
      <div className="muted small nowrap">
        {words ? <code>{cron}</code> : null} {words?.includes(timezone) ? '' : timezone}
      </div>
    </>
  );
}
