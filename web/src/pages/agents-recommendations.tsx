// The optimization agent's recommendations (GET /api/cmo-recommendations), one card each, the
// most pressing first: what to do, why, what it should bring, and the campaign it is about.
import type { CmoRecommendationRecord } from '../../../src/contract/cmo-documents.ts';
import type { Page } from '../../../src/contract/page.ts';
import { query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { Badge } from '../components/badge.tsx';
import { Async, Empty } from '../components/status.tsx';
import { dateTime, words } from '../lib/format.ts';

const RANK = { high: 0, medium: 1, low: 2 } as const;

/** One run's recommendations (an optimization run writes at most 20), or the workspace's `limit` newest. */
export function Recommendations({
  runId,
  workspaceId,
  limit = 20,
}: {
  runId?: string;
  workspaceId?: string;
  limit?: number;
}) {
  const path = `/api/cmo-recommendations${query({ agent_run_id: runId, workspace_id: workspaceId, limit })}`;
  const loaded = useApi<Page<CmoRecommendationRecord>>(path);
  return (
    <Async loaded={loaded} what="recommendations">
      {(page) =>
        page.data.length === 0 ? (
          <Empty>No recommendations yet: run the optimization agent.</Empty>
        ) : (
          <ol className="recommendations" data-testid="recommendations">
            {[...page.data]
              .sort((a, b) => RANK[a.priority] - RANK[b.priority])
              .map((r) => (
                <li key={r.id} className="card recommendation">
                  <div className="row spread">
                    <strong>{r.title}</strong>
                    <span className="row">
                      <Badge value={r.priority} /> <span className="muted small">{words(r.category)}</span>
                    </span>
                  </div>
                  {r.campaign_id && (
                    <p className="small">
                      Campaign:{' '}
                      <a href={`#/campaigns/${r.campaign_id}`}>{r.campaign_title ?? 'a campaign since deleted'}</a>
                    </p>
                  )}
                  <dl className="document-facts">
                    <dt>Do</dt>
                    <dd>{r.action}</dd>
                    <dt>Why</dt>
                    <dd>{r.rationale}</dd>
                    <dt>Expected</dt>
                    <dd>{r.expected_impact}</dd>
                  </dl>
                  {!runId && <p className="muted small">{dateTime(r.created_at)}</p>}
                </li>
              ))}
          </ol>
        )
      }
    </Async>
  );
}
