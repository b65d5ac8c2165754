// #/notifications/<id>: a destination's delivery log, newest first: each event sent (or to be
// sent) there, how many attempts it took, what the destination last answered and when it is tried
// next; for admins "Resend", which sends it again with the same event id (receivers dedupe on it).
import { useState } from 'react';
import type { DeliveryRecord, DestinationRecord } from '../../../src/contract/notifications.ts';
import { request } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { Spinner } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { usePagedList } from './campaigns-paged.tsx';
import { CADENCE_LABELS, eventTitle } from './notifications-words.ts';

export function DeliveryLog({ destinationId }: { destinationId: string }) {
  const { can } = useSession();
  const admin = can('admin');
  const destinations = useApi<{ data: DestinationRecord[] }>('/api/notification-destinations');
  const name = destinations.data?.data.find((d) => d.id === destinationId)?.name;
  const list = usePagedList<DeliveryRecord>(`/api/notification-destinations/${destinationId}/deliveries?limit=50`);
  return (
    <section aria-labelledby="delivery-log-title">
      <a href={href('notifications')}>← All destinations</a>
      <div className="row spread">
        <h1 id="delivery-log-title">Delivery log{name ? `: ${name}` : ''}</h1>
        <button type="button" onClick={list.first.reload} disabled={list.first.loading}>
          {list.first.loading && list.rows.length > 0 && <Spinner label="Refreshing" />}
          Refresh
        </button>
      </div>
      <p className="muted">Every event sent here, newest first. Failed attempts are retried for 3 days.</p>
      <PagedTable
        list={list}
        what="the delivery log"
        className="delivery-log"
        empty="Nothing sent here yet."
        head={
          <>
            <th>Event</th>
            <th>Status</th>
            <th className="num">Attempts</th>
            <th className="num">Answer</th>
            <th className="num">Latency</th>
            <th>Next attempt</th>
            <th>Error</th>
            <th>Created</th>
            {admin && (
              <th>
                <span className="visually-hidden">Resend</span>
              </th>
            )}
          </>
        }
      >
        {(delivery) => <DeliveryRow key={delivery.id} delivery={delivery} admin={admin} onResent={list.replace} />}
      </PagedTable>
    </section>
  );
}

function DeliveryRow({
  delivery: d,
  admin,
  onResent,
}: {
  delivery: DeliveryRecord;
  admin: boolean;
  onResent: (row: DeliveryRecord) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function resend() {
    setBusy(true);
    setError(undefined);
    try {
      const { status } = await request<{ status: DeliveryRecord['status'] }>(
        `/api/notification-deliveries/${d.id}/resend`,
        { method: 'POST' },
      );
      // Due at once: the row says so until the log is read again.
      onResent({ ...d, status, next_attempt_at: status === 'pending' ? new Date().toISOString() : d.next_attempt_at });
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <tr data-testid="delivery-row" data-id={d.id} data-event={d.event_id}>
      <td>
        {eventTitle(d.event_type)}
        {d.cadence !== 'immediate' && <div className="muted small">{CADENCE_LABELS[d.cadence]}</div>}
      </td>
      <td>
        <Badge value={d.status} />
      </td>
      <td className="num">{d.attempts}</td>
      <td className="num" data-testid="response-status">
        {d.response_status ?? '—'}
      </td>
      <td className="num">{d.latency_ms === null ? '—' : `${d.latency_ms} ms`}</td>
      <td>{dateTime(d.next_attempt_at)}</td>
      <td className="delivery-error">{d.error ?? '—'}</td>
      <td>{dateTime(d.created_at)}</td>
      {admin && (
        <td>
          <button type="button" disabled={busy || d.status === 'sending'} onClick={() => void resend()}>
            {busy && <Spinner label="Resending" />}
            Resend
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </td>
      )}
    </tr>
  );
}
