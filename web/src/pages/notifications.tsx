// #/notifications: where the tenant's events go (docs/notifications.md): Slack channels, e-mail
// addresses and signed webhooks, what each takes how often, and how its deliveries fare; for
// admins adding, changing, testing and deleting them. #/notifications/<id>: one's delivery log.
import { useState } from 'react';
import type { DestinationRecord } from '../../../src/contract/notifications.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async, Empty } from '../components/status.tsx';
import { DestinationCard } from './notifications-card.tsx';
import { DestinationForm } from './notifications-form.tsx';
import { DeliveryLog } from './notifications-log.tsx';
import './delivery.css';
import './notifications.css';

export function NotificationsPage({ rest }: { rest: string[] }) {
  const { can } = useSession();
  return (
    <div className="delivery-page notifications-page">
      {!can('member') ? (
        <>
          <h1>Notifications</h1>
          <p className="notice empty">Notification destinations are shown to members and admins.</p>
        </>
      ) : rest[0] ? (
        <DeliveryLog destinationId={rest[0]} />
      ) : (
        <Destinations />
      )}
    </div>
  );
}

function Destinations() {
  const { can } = useSession();
  const loaded = useApi<{ data: DestinationRecord[] }>('/api/notification-destinations');
  const [adding, setAdding] = useState(false);
  // A webhook's signing secret, shown once in its card (the API never answers it again).
  const [secret, setSecret] = useState<{ id: string; value: string }>();
  return (
    <>
      <div className="row spread">
        <h1>Notifications</h1>
        {can('admin') && !adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add a destination
          </button>
        )}
      </div>
      <p className="muted">
        Where Nightshift tells your team what it did and what waits for them: Slack channels, e-mail addresses and
        signed webhooks, each event at once or gathered into an hourly or daily digest.
      </p>
      {adding && (
        <DestinationForm
          onCancel={() => setAdding(false)}
          onSaved={(created) => {
            setAdding(false);
            if (created.signing_secret) setSecret({ id: created.id, value: created.signing_secret });
            loaded.reload();
          }}
        />
      )}
      <Async loaded={loaded} what="notification destinations">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No destination yet: events are not sent anywhere.</Empty>
          ) : (
            <div className="destinations">
              {data.map((d) => (
                <DestinationCard
                  key={d.id}
                  destination={d}
                  secret={secret?.id === d.id ? secret.value : undefined}
                  onSecret={(value) => setSecret(value ? { id: d.id, value } : undefined)}
                  onChange={loaded.reload}
                />
              ))}
            </div>
          )
        }
      </Async>
    </>
  );
}
