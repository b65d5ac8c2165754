// Why a rollback, approval or dismissal was refused. A 409 from the ledger names what the action
// needs the campaign to hold (`expected`) and what it holds now (`actual`): shown side by side,
// so the operator sees what changed since the action instead of a bare "Conflict".
import { ApiError } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { href } from '../lib/route.ts';
import { fieldLabel, showValue } from './actions-state-diff.tsx';

type Observed = Record<string, string | number>;

function observedOf(error: Error): { expected: Observed; actual: Observed } | undefined {
  if (!(error instanceof ApiError) || error.status !== 409) return undefined;
  const body = error.body as { expected?: Observed; actual?: Observed } | undefined;
  if (!body?.expected && !body?.actual) return undefined;
  return { expected: body.expected ?? {}, actual: body.actual ?? {} };
}

export function ActionProblem({
  error,
  verb,
  campaign,
  onClose,
}: {
  error: Error;
  verb: string;
  /** Where the operator can look at the campaign as it is now. */
  campaign: { id: string; title: string };
  onClose: () => void;
}) {
  const { currency } = useSession();
  const observed = observedOf(error);
  const close = (
    <button type="button" className="link" onClick={onClose}>
      Close
    </button>
  );
  if (!observed) {
    return (
      <div className="notice error action-problem" role="alert">
        <span>
          <strong>Could not {verb}.</strong> {error.message}
        </span>
        {close}
      </div>
    );
  }
  const fields = [...new Set([...Object.keys(observed.expected), ...Object.keys(observed.actual)])];
  const changed = fields.filter((f) => String(observed.expected[f]) !== String(observed.actual[f]));
  // Campaign fields (status, budget) moved since; otherwise e.g. a post already out, or no social account.
  const aboutCampaign = fields.some((f) => f === 'status' || f === 'budget');
  return (
    <div className="notice error action-problem conflict" role="alert">
      <div>
        {aboutCampaign ? (
          <>
            <strong>Could not {verb}: the campaign changed since this action.</strong> Nothing was changed. Check the
            campaign’s current state before you change it by hand.
          </>
        ) : (
          <>
            <strong>Could not {verb}.</strong> {error.message}. Nothing was changed.
          </>
        )}
      </div>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">What the action expects and what the campaign holds now</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Expected</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field} className={changed.includes(field) ? 'changed' : undefined}>
                <th scope="row">{fieldLabel(field)}</th>
                <td>{showValue(field, observed.expected[field], currency)}</td>
                <td>
                  <strong>{showValue(field, observed.actual[field], currency)}</strong>
                  {changed.includes(field) && <span className="small"> (changed)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {aboutCampaign && <p className="small">{error.message}</p>}
      <p className="row">
        <a href={href('campaigns', campaign.id)}>Open “{campaign.title}”</a>
        {close}
      </p>
    </div>
  );
}
