// A funnel as a document (GET /api/cmo-funnels/{id}): its type and plan, then one row per stage
// with its goal, channels, content, audience and target conversion.
import type { CmoFunnelRecord } from '../../../src/contract/cmo-documents.ts';
import { useApi } from '../api/use-api.ts';
import { Async } from '../components/status.tsx';
import { percent, words } from '../lib/format.ts';

export function FunnelById({ id }: { id: string }) {
  const loaded = useApi<CmoFunnelRecord>(`/api/cmo-funnels/${encodeURIComponent(id)}`);
  return (
    <Async loaded={loaded} what="the funnel">
      {(funnel) => <FunnelDocument funnel={funnel} />}
    </Async>
  );
}

function FunnelDocument({ funnel }: { funnel: CmoFunnelRecord }) {
  return (
    <article className="agent-document" data-testid="funnel-document" aria-label={`Funnel ${funnel.name}`}>
      <h3>{funnel.name}</h3>
      <dl className="document-facts">
        <dt>Type</dt>
        <dd>{funnel.funnel_type ? words(funnel.funnel_type) : '—'}</dd>
        <dt>Plan</dt>
        <dd>{funnel.plan_name ?? 'None'}</dd>
      </dl>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Stage</th>
              <th>Goal</th>
              <th>Channels and content</th>
              <th>Audience and offer</th>
              <th>KPI</th>
              <th className="num">Target conversion</th>
            </tr>
          </thead>
          <tbody>
            {funnel.stages.map((stage) => (
              <tr key={`${stage.stage}:${stage.name}`}>
                <td>
                  {stage.name}
                  <div className="muted small">{words(stage.stage)}</div>
                </td>
                <td>{stage.goal}</td>
                <td>
                  {stage.channels.map(words).join(', ')}
                  <div className="muted small">{stage.content_types.map(words).join(', ')}</div>
                </td>
                <td>
                  {stage.segment ?? '—'}
                  {stage.offer && <div className="muted small">{stage.offer}</div>}
                </td>
                <td>{stage.kpi}</td>
                <td className="num">{percent(stage.target_conversion_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}
