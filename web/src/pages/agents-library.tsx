// The workspace's plans and funnels (newest first) and its newest recommendations: choosing a plan
// or a funnel opens it as a document under its row.
import { Fragment, type ReactNode, useState } from 'react';
import type { CmoFunnelHead, CmoPlanHead } from '../../../src/contract/cmo-documents.ts';
import { query } from '../api/client.ts';
import { PagedTable } from '../components/paged-table.tsx';
import { dateTime, dayRange, money, words } from '../lib/format.ts';
import { FunnelById } from './agents-funnel.tsx';
import { PlanById } from './agents-plan.tsx';
import { Recommendations } from './agents-recommendations.tsx';
import { usePagedList } from './campaigns-paged.tsx';

/** Enough to act on; a run's own (under Past agent runs) shows all of them. */
const NEWEST_RECOMMENDATIONS = 6;

export function AgentLibrary({ workspaceId }: { workspaceId: string }) {
  const scope = query({ workspace_id: workspaceId, limit: 20 });
  const plans = usePagedList<CmoPlanHead>(`/api/cmo-plans${scope}`);
  const funnels = usePagedList<CmoFunnelHead>(`/api/cmo-funnels${scope}`);
  return (
    <section aria-labelledby="agent-library-title" className="agent-library">
      <h2 id="agent-library-title">Plans, funnels and recommendations</h2>
      <h3>90-day plans</h3>
      <PagedTable
        list={plans}
        what="plans"
        empty="No plan yet: run the strategy agent."
        head={
          <>
            <th>Plan</th>
            <th>Period</th>
            <th className="num">Budget</th>
            <th>Created</th>
          </>
        }
      >
        {(plan) => (
          <Opening
            key={plan.id}
            testId="plan-row"
            id={plan.id}
            name={plan.name}
            columns={4}
            open={<PlanById id={plan.id} />}
          >
            <td className="nowrap">{dayRange(plan.start_date, plan.end_date)}</td>
            <td className="num">{money(plan.budget, plan.currency)}</td>
            <td className="nowrap">{dateTime(plan.created_at)}</td>
          </Opening>
        )}
      </PagedTable>
      <h3>Funnels</h3>
      <PagedTable
        list={funnels}
        what="funnels"
        empty="No funnel yet: run the funnels agent."
        head={
          <>
            <th>Funnel</th>
            <th>Type</th>
            <th>Plan</th>
            <th>Created</th>
          </>
        }
      >
        {(funnel) => (
          <Opening
            key={funnel.id}
            testId="funnel-row"
            id={funnel.id}
            name={funnel.name}
            columns={4}
            open={<FunnelById id={funnel.id} />}
          >
            <td>{funnel.funnel_type ? words(funnel.funnel_type) : '—'}</td>
            <td>{funnel.plan_name ?? '—'}</td>
            <td className="nowrap">{dateTime(funnel.created_at)}</td>
          </Opening>
        )}
      </PagedTable>
      <h3>The {NEWEST_RECOMMENDATIONS} newest recommendations</h3>
      <Recommendations workspaceId={workspaceId} limit={NEWEST_RECOMMENDATIONS} />
    </section>
  );
}

/** A row whose name opens its document in a row under it. */
function Opening({
  testId,
  id,
  name,
  columns,
  open,
  children,
}: {
  testId: string;
  id: string;
  name: string;
  columns: number;
  open: ReactNode;
  children: ReactNode;
}) {
  const [shown, setShown] = useState(false);
  return (
    <Fragment>
      <tr data-testid={testId} data-id={id} className={shown ? 'selected' : undefined}>
        <td>
          <button type="button" className="link" aria-expanded={shown} onClick={() => setShown(!shown)}>
            {name}
          </button>
        </td>
        {children}
      </tr>
      {shown && (
        <tr className="run-detail-row">
          <td colSpan={columns}>{open}</td>
        </tr>
      )}
    </Fragment>
  );
}
