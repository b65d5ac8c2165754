// A destination's subscriptions in its form: one row per event type, a checkbox to take it and how
// often (at once, or gathered into an hourly or daily digest). A webhook takes each event at once.
import {
  CADENCES,
  type Cadence,
  NOTIFICATION_EVENT_TYPES,
  type NotificationEventType,
} from '../../../src/contract/notification-vocabulary.ts';
import { CADENCE_LABELS, eventTitle } from './notifications-words.ts';
import { FieldMessage } from './rules-fields.tsx';

/** The cadence of each event type taken; types left out are not taken. */
export type Chosen = Partial<Record<NotificationEventType, Cadence>>;

export function SubscriptionsTable({
  id,
  chosen,
  immediateOnly,
  error,
  onChange,
}: {
  id: string;
  chosen: Chosen;
  immediateOnly: boolean;
  error: string | undefined;
  onChange: (next: Chosen) => void;
}) {
  const set = (type: NotificationEventType, cadence: Cadence | undefined) => {
    const next = { ...chosen };
    if (cadence) next[type] = cadence;
    else delete next[type];
    onChange(next);
  };
  return (
    <fieldset className="full subscriptions" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Events it takes</legend>
      <div className="table-wrap">
        <table aria-label="Subscriptions">
          <thead>
            <tr>
              <th>Event</th>
              <th>How often</th>
            </tr>
          </thead>
          <tbody>
            {NOTIFICATION_EVENT_TYPES.map((type) => {
              const cadence = chosen[type];
              const box = `${id}-${type}`;
              return (
                <tr key={type} data-testid="subscription-row" data-type={type}>
                  <td>
                    <label className="check" htmlFor={box}>
                      <input
                        id={box}
                        type="checkbox"
                        checked={cadence !== undefined}
                        onChange={(e) => set(type, e.target.checked ? 'immediate' : undefined)}
                      />
                      {eventTitle(type)}
                    </label>
                  </td>
                  <td>
                    <select
                      aria-label={`How often: ${eventTitle(type)}`}
                      value={cadence ?? 'immediate'}
                      disabled={cadence === undefined || immediateOnly}
                      onChange={(e) => set(type, e.target.value as Cadence)}
                    >
                      {(immediateOnly ? (['immediate'] as const) : CADENCES).map((c) => (
                        <option key={c} value={c}>
                          {CADENCE_LABELS[c]}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {immediateOnly && <span className="hint">A webhook takes each event at once, as it happens.</span>}
      <FieldMessage id={`${id}-error`} message={error} />
    </fieldset>
  );
}
