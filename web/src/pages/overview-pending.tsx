// "Waiting for a person": the suggestions no cycle carries out until someone approves or dismisses
// them, newest first, each with its campaign and what the engine expects of it. They sit beside
// what the rules would do now, and explain why a campaign with a pause waiting is not a red card.
import type { ActionRecord } from '../../../src/contract/actions.ts';
import type { Page } from '../../../src/contract/page.ts';
import type { Loaded } from '../api/use-api.ts';
import { ActionIcon } from '../components/action-icon.tsx';
import { Async, Empty } from '../components/status.tsx';
import { count, dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { ACTION_TYPE_LABELS } from './actions-row.tsx';
import { confidence } from './actions-state-diff.tsx';

/** How many the card shows; the rest are on the Actions tab. */
const SHOWN = 6;

export function OverviewPending({ loaded, total }: { loaded: Loaded<Page<ActionRecord>>; total: number | undefined }) {
  return (
    <section aria-labelledby="pending-heading" className="overview-pending">
      <h2 id="pending-heading">Waiting for a person{total === undefined ? '' : ` (${count(total)})`}</h2>
      <Async loaded={loaded} what="the suggestions waiting for a person">
        {(page) =>
          page.data.length === 0 ? (
            <Empty>No suggestion waits for approval.</Empty>
          ) : (
            <>
              <ul className="pending-list">
                {page.data.slice(0, SHOWN).map((a) => (
                  <li key={a.id} data-testid="pending-suggestion" className="card">
                    <span className="row">
                      <ActionIcon type={a.action_type} />
                      <strong>{ACTION_TYPE_LABELS[a.action_type]}</strong>
                      <a href={href('campaigns', a.campaign_id)}>{a.campaign_title}</a>
                    </span>
                    {a.expected_impact && <p className="small pending-detail">Expected: {a.expected_impact}</p>}
                    <p className="small muted pending-detail">
                      {a.confidence_score !== null && <>Confidence {confidence(a.confidence_score)} · </>}
                      suggested {dateTime(a.created_at)}
                    </p>
                  </li>
                ))}
              </ul>
              <p className="small">
                <a href={href('actions')}>Approve or dismiss them on the Actions tab</a>
              </p>
            </>
          )
        }
      </Async>
    </section>
  );
}
