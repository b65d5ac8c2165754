// The suppression list (GET /api/suppressions): every address no message goes to again on its
// channel, newest first; searched by part of the address, filtered by channel, in pages. Admins
// add one by hand above it.
import { useState } from 'react';
import type { SuppressionRecord } from '../../../src/contract/delivery.ts';
import { MESSAGE_CHANNELS } from '../../../src/contract/delivery-vocabulary.ts';
import { useOffsetList } from '../api/use-offset-list.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { dateTime } from '../lib/format.ts';
import { FilterSelect } from './campaigns-filter.tsx';
import { SearchBox } from './search-box.tsx';
import { AddSuppression } from './suppressions-add.tsx';

const PAGE_SIZE = 50;
const CHANNEL_LABEL = { email: 'E-mail', sms: 'SMS' } as const;

export function SuppressionList() {
  const { can } = useSession();
  const [search, setSearch] = useState('');
  const [channel, setChannel] = useState('');
  const list = useOffsetList<SuppressionRecord>('/api/suppressions', { search, channel }, PAGE_SIZE);

  return (
    <section aria-labelledby="suppressions-title">
      <h2 id="suppressions-title">Suppression list</h2>
      <p className="muted small">
        Addresses that unsubscribed, bounced for good, complained or replied STOP, and those added by hand: no campaign
        sends to them again on that channel.
      </p>
      {can('admin') && <AddSuppression onAdded={list.first.reload} />}
      <div className="filters">
        <SearchBox label="Search the list" placeholder="Part of an address" onSearch={setSearch} />
        <FilterSelect
          label="Channel"
          value={channel}
          onChange={setChannel}
          anyLabel="E-mail and SMS"
          options={MESSAGE_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABEL[c] }))}
        />
      </div>
      <PagedTable
        list={list}
        what="the suppression list"
        empty={search || channel ? 'No address on the list matches.' : 'The suppression list is empty.'}
        className="suppressions-table"
        head={
          <>
            <th>Channel</th>
            <th>Address</th>
            <th>Reason</th>
            <th>Since</th>
            <th>Note</th>
          </>
        }
      >
        {(s) => (
          <tr key={`${s.channel}:${s.address}`} data-testid="suppression-row" data-address={s.address}>
            <td>{CHANNEL_LABEL[s.channel]}</td>
            <td>{s.address}</td>
            <td>
              <Badge value={s.reason} />
            </td>
            <td className="nowrap">{dateTime(s.created_at)}</td>
            <td>{s.note ?? ''}</td>
          </tr>
        )}
      </PagedTable>
    </section>
  );
}
