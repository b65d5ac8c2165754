// Adding or changing a notification destination (POST /api/notification-destinations, PUT …/{id}):
// its kind (fixed once made), name, where it sends, and which events it takes how often. Secrets
// (Slack's webhook URL and signing secret) are write-only: left empty, the stored ones stay.
import { type FormEvent, useState } from 'react';
import {
  DESTINATION_KINDS,
  type DestinationKind,
  type NotificationEventType,
} from '../../../src/contract/notification-vocabulary.ts';
import type { DestinationRecord } from '../../../src/contract/notifications.ts';
import { request } from '../api/client.ts';
import { type Chosen, SubscriptionsTable } from './notifications-subscriptions.tsx';
import { KIND_LABELS } from './notifications-words.ts';
import { messageFor, SelectField, TextField } from './rules-fields.tsx';
import { filled, secretHint } from './senders-form.tsx';
import { SenderFormFoot } from './senders-form-foot.tsx';

/** The API's answer to a new destination: a webhook's signing secret comes this once. */
export type SavedDestination = DestinationRecord & { signing_secret?: string };

interface Values {
  kind: DestinationKind;
  name: string;
  webhook_url: string;
  signing_secret: string;
  addresses: string;
  url: string;
  chosen: Chosen;
}

function initial(d: DestinationRecord | undefined): Values {
  const addresses = d?.settings.addresses;
  return {
    kind: d?.kind ?? 'webhook',
    name: d?.name ?? '',
    webhook_url: '',
    signing_secret: '',
    addresses: Array.isArray(addresses) ? addresses.join('\n') : '',
    url: typeof d?.settings.url === 'string' ? d.settings.url : '',
    chosen: Object.fromEntries((d?.subscriptions ?? []).map((s) => [s.event_type, s.cadence])),
  };
}

function body(v: Values) {
  const subscriptions = Object.entries(v.chosen).map(([event_type, cadence]) => ({
    event_type: event_type as NotificationEventType,
    cadence: v.kind === 'webhook' ? 'immediate' : cadence,
  }));
  const common = { kind: v.kind, name: v.name, subscriptions };
  if (v.kind === 'slack') return filled({ ...common, webhook_url: v.webhook_url, signing_secret: v.signing_secret });
  if (v.kind === 'email') return { ...common, addresses: v.addresses.split(/[\s,;]+/).filter(Boolean) };
  return { ...common, url: v.url };
}

export function DestinationForm({
  destination,
  onSaved,
  onCancel,
}: {
  /** The destination changed; none for a new one. */
  destination?: DestinationRecord;
  onSaved: (saved: SavedDestination) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(() => initial(destination));
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Values>(key: K) =>
    (value: Values[K]) =>
      setValues((v) => ({ ...v, [key]: value }));
  const id = `destination-${destination?.id ?? 'new'}`;
  const field = (name: keyof Values) => ({
    id: `${id}-${name}`,
    value: values[name] as string,
    error: messageFor(error, name),
    onChange: set(name) as (value: string) => void,
  });

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const path = '/api/notification-destinations';
      const saved = await request<SavedDestination>(destination ? `${path}/${destination.id}` : path, {
        method: destination ? 'PUT' : 'POST',
        body: body(values),
      });
      onSaved(saved);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  const what = destination ? `Change ${destination.name}` : 'Add a destination';
  return (
    <form className="panel destination-form" aria-label={what} onSubmit={(e) => void save(e)}>
      <h3>{what}</h3>
      {destination ? (
        <p className="field">
          Kind: <strong>{KIND_LABELS[destination.kind]}</strong>
        </p>
      ) : (
        <SelectField
          {...field('kind')}
          label="Kind"
          value={values.kind}
          options={DESTINATION_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))}
          onChange={set('kind')}
        />
      )}
      <TextField {...field('name')} label="Name" required placeholder="e.g. #marketing-ops" />
      {values.kind === 'slack' && (
        <>
          <TextField
            {...field('webhook_url')}
            label="Slack webhook URL"
            type="password"
            hint={destination ? secretHint(destination, 'webhook_url') : 'From the Slack app’s Incoming Webhooks.'}
          />
          <TextField
            {...field('signing_secret')}
            label="Slack signing secret (optional)"
            type="password"
            hint={
              destination
                ? secretHint(destination, 'signing_secret')
                : 'For the Approve and Dismiss buttons in Slack messages.'
            }
          />
        </>
      )}
      {values.kind === 'email' && (
        <TextField
          {...field('addresses')}
          label="E-mail addresses"
          multiline
          hint="One per line, or separated by commas; sent through the tenant’s e-mail sender."
        />
      )}
      {values.kind === 'webhook' && (
        <TextField
          {...field('url')}
          label="Webhook URL"
          placeholder="https://example.com/hooks/nightshift"
          hint="Each event is posted here, signed with Nightshift-Signature."
        />
      )}
      <SubscriptionsTable
        id={`${id}-subscriptions`}
        chosen={values.chosen}
        immediateOnly={values.kind === 'webhook'}
        error={messageFor(error, 'subscriptions')}
        onChange={set('chosen')}
      />
      <SenderFormFoot
        form={{ error, busy, saved: false }}
        saveLabel={destination ? 'Save destination' : 'Add destination'}
        what="destination"
      >
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </SenderFormFoot>
    </form>
  );
}
