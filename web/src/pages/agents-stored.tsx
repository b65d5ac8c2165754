// What one agent run produced, to read: the plan or funnel it stored as a document, its
// recommendations, what the brand intake asks next, and links to the drafts it wrote. Shown under
// a run that just finished and under a past run.
import type { AgentRunResult } from '../../../src/contract/agent-stream.ts';
import { FunnelById } from './agents-funnel.tsx';
import { PlanById } from './agents-plan.tsx';
import { Recommendations } from './agents-recommendations.tsx';

type StoredRecord = AgentRunResult['records'][number];

/** The other tables an agent writes, as a person names their rows, and where to see them. */
const OTHER_ROWS: Record<string, { one: string; many: string; link?: (id: string) => string }> = {
  cmo_brand_profiles: { one: 'brand profile updated', many: 'brand profiles updated' },
  cmo_icp_segments: { one: 'ICP segment saved', many: 'ICP segments saved' },
  cmo_offers: { one: 'offer saved', many: 'offers saved' },
  campaigns: { one: 'draft campaign', many: 'draft campaigns', link: (id) => `#/campaigns/${id}` },
  content_assets: { one: 'content asset added', many: 'content assets added' },
};

/** A string field of the agent's answer, if it has one (the intake's `reply`, the analyst's `summary`). */
function text(output: unknown, key: string): string | undefined {
  const value = output && typeof output === 'object' ? (output as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function StoredDocuments({
  runId,
  output,
  records,
}: {
  runId: string;
  output: unknown;
  records: StoredRecord[];
}) {
  const ids = (table: string) => records.filter((r) => r.table === table).map((r) => r.id);
  const reply = text(output, 'reply');
  const summary = text(output, 'summary');
  const others = Object.entries(OTHER_ROWS).filter(([table]) => ids(table).length > 0);
  return (
    <div className="stored-documents">
      {reply && (
        <blockquote className="agent-reply">
          <strong>The agent asks:</strong> {reply}
        </blockquote>
      )}
      {ids('cmo_plans').map((id) => (
        <PlanById key={id} id={id} />
      ))}
      {ids('cmo_funnels').map((id) => (
        <FunnelById key={id} id={id} />
      ))}
      {ids('cmo_recommendations').length > 0 && (
        <>
          {summary && <p>{summary}</p>}
          <Recommendations runId={runId} />
        </>
      )}
      {others.length > 0 && (
        <ul className="stored-records">
          {others.map(([table, name]) => {
            const rows = ids(table);
            return (
              <li key={table}>
                {rows.length} {rows.length === 1 ? name.one : name.many}
                {name.link &&
                  rows.map((id, index) => (
                    <span key={id}>
                      {' '}
                      <a href={name.link!(id)}>open {index + 1}</a>
                    </span>
                  ))}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
