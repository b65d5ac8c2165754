// The ledger's actions on one campaign (GET /api/actions?campaign_id=…), newest first.
import type { ActionRecord } from '../../../src/contract/actions.ts';
import { query } from '../api/client.ts';
import { ActionIcon, actionLabel } from '../components/action-icon.tsx';
import { Badge } from '../components/badge.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { dateTime, percent } from '../lib/format.ts';
import { usePagedList } from './campaigns-paged.tsx';

export function CampaignHistory({ campaignId }: { campaignId: string }) {
  const list = usePagedList<ActionRecord>(`/api/actions${query({ campaign_id: campaignId, limit: 20 })}`);
  return (
    <PagedTable
      list={list}
      what="the action history"
      empty="The engine has taken no action on this campaign yet."
      head={
        <>
          <th>Action</th>
          <th>Status</th>
          <th>Reason</th>
          <th className="num">Confidence</th>
          <th>When</th>
        </>
      }
    >
      {(a) => (
        <tr key={a.id} data-testid="action-row" data-id={a.id}>
          <td className="nowrap">
            <ActionIcon type={a.action_type} /> {actionLabel(a.action_type)}
          </td>
          <td>
            <Badge value={a.status} />
          </td>
          <td className="reason">
            {a.reason}
            {a.rule_name && <div className="muted small">Rule: {a.rule_name}</div>}
            {a.error && <div className="field-error">{a.error}</div>}
          </td>
          <td className="num">{percent(a.confidence_score)}</td>
          <td className="nowrap">{dateTime(a.created_at)}</td>
        </tr>
      )}
    </PagedTable>
  );
}
