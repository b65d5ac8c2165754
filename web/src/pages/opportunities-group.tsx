// One campaign's card: its findings together (most severe first), what is at stake (its lifetime
// spend, in the tenant's currency), and the suggestions on it already waiting for approval, linked
// to the Actions tab filtered to them.
import type { OpportunityGroup } from '../../../src/contract/opportunities.ts';
import { useSession } from '../auth/session-context.tsx';
import { ActionIcon } from '../components/action-icon.tsx';
import { Badge } from '../components/badge.tsx';
import { money } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { ACTION_TYPE_LABELS } from './actions-row.tsx';
import { type Finding, OpportunityFinding } from './opportunities-card.tsx';

export function OpportunityGroupCard({
  group,
  onChanged,
}: {
  group: OpportunityGroup;
  onChanged: (finding: Finding) => void;
}) {
  const { currency } = useSession();
  const n = group.findings.length;
  return (
    <article
      className={`card opportunity-group severity-${group.severity}`}
      data-testid="opportunity-group"
      data-id={group.campaign_id}
      aria-labelledby={`group-${group.campaign_id}`}
    >
      <div className="row spread">
        <h3 id={`group-${group.campaign_id}`}>
          <a href={href('campaigns', group.campaign_id)}>{group.campaign_title}</a>
        </h3>
        <Badge value={group.severity} />
      </div>
      <p className="small muted">
        {n} finding{n === 1 ? '' : 's'} · spent {money(group.spend, currency)}
      </p>
      {group.pending_actions.length > 0 && (
        <div className="pending-actions" data-testid="group-pending-actions">
          <strong className="small">Waiting for approval:</strong>
          <ul>
            {group.pending_actions.map((a) => (
              <li key={a.id}>
                <ActionIcon type={a.action_type} />{' '}
                <a href={href('actions', 'pending', group.campaign_id)}>{ACTION_TYPE_LABELS[a.action_type]}</a>
                {a.expected_impact && <span className="small muted"> · {a.expected_impact}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="opportunity-findings">
        {group.findings.map((finding) => (
          <OpportunityFinding key={finding.id} finding={finding} onChanged={onChanged} />
        ))}
      </div>
    </article>
  );
}
