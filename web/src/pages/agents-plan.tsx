// A 90-day plan as a document (GET /api/cmo-plans/{id}): its goal, dates and budget; the summary;
// the phases as a table; the channel mix; milestones, targets and risks. Money is in the plan's
// currency (the tenant's when the agent wrote it).
import type { CmoPlanRecord } from '../../../src/contract/cmo-documents.ts';
import { useApi } from '../api/use-api.ts';
import { Async } from '../components/status.tsx';
import { count, day, dayRange, money, percent, words } from '../lib/format.ts';

export function PlanById({ id }: { id: string }) {
  const loaded = useApi<CmoPlanRecord>(`/api/cmo-plans/${encodeURIComponent(id)}`);
  return (
    <Async loaded={loaded} what="the plan">
      {(plan) => <PlanDocument plan={plan} />}
    </Async>
  );
}

export function PlanDocument({ plan }: { plan: CmoPlanRecord }) {
  const cash = (value: number | null) => money(value, plan.currency);
  const targets = Object.entries(plan.target_metrics);
  return (
    <article className="agent-document" data-testid="plan-document" aria-label={`Plan ${plan.name}`}>
      <h3>{plan.name}</h3>
      <dl className="document-facts">
        <dt>Goal</dt>
        <dd>{plan.primary_goal}</dd>
        <dt>Period</dt>
        <dd>{dayRange(plan.start_date, plan.end_date)}</dd>
        <dt>Budget</dt>
        <dd>{cash(plan.budget)}</dd>
      </dl>
      {plan.summary && <p>{plan.summary}</p>}
      <h4>Phases</h4>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Phase</th>
              <th>Dates</th>
              <th className="num">Budget</th>
              <th>Channels</th>
              <th>Focus and objectives</th>
            </tr>
          </thead>
          <tbody>
            {plan.phases.map((phase) => (
              <tr key={phase.name}>
                <td>{phase.name}</td>
                <td className="nowrap">{dayRange(phase.start_date, phase.end_date)}</td>
                <td className="num">{cash(phase.budget)}</td>
                <td>{phase.channels.map(words).join(', ')}</td>
                <td>
                  {phase.focus}
                  <ul>
                    {phase.objectives.map((objective) => (
                      <li key={objective}>{objective}</li>
                    ))}
                    {phase.kpis.map((kpi) => (
                      <li key={kpi.metric}>
                        Target: {count(kpi.target)} {words(kpi.metric)}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>Channel mix</h4>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Channel</th>
              <th className="num">Share</th>
              <th className="num">Budget</th>
            </tr>
          </thead>
          <tbody>
            {plan.channel_mix.map((mix) => (
              <tr key={mix.channel}>
                <td>{words(mix.channel)}</td>
                <td className="num">{percent(mix.share, 0)}</td>
                <td className="num">{cash(mix.budget)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {plan.milestones.length > 0 && (
        <>
          <h4>Milestones</h4>
          <ul>
            {plan.milestones.map((m) => (
              <li key={`${m.date}:${m.description}`}>
                <strong>{day(m.date)}</strong>: {m.description}
              </li>
            ))}
          </ul>
        </>
      )}
      {targets.length > 0 && (
        <>
          <h4>Targets</h4>
          <ul>
            {targets.map(([metric, target]) => (
              <li key={metric}>
                {count(target)} {words(metric)}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.risks.length > 0 && (
        <>
          <h4>Risks</h4>
          <ul>
            {plan.risks.map((risk) => (
              <li key={risk}>{risk}</li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
