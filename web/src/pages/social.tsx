// #/social: what is scheduled to go out. The social accounts posts go out with, the campaigns
// waiting for their launch time (the campaign runner starts them), and the social posts the
// engine queued, with what each platform made of them.
import { useState } from 'react';
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';
import { SOCIAL_PLATFORMS, SOCIAL_POST_STATUSES } from '../../../src/contract/social-post-vocabulary.ts';
import type { SocialPostRecord } from '../../../src/contract/social-posts.ts';
import { query } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { Async, Empty, Spinner } from '../components/status.tsx';
import { dateTime, money } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { FilterSelect } from './campaigns-filter.tsx';
import { usePagedList } from './campaigns-paged.tsx';
import { SocialAccounts } from './social-accounts.tsx';
import { SocialPostCard } from './social-post-card.tsx';
import './campaigns.css';
import './social.css';

export function SocialPage({ rest }: { rest: string[] }) {
  return (
    <>
      <h1>Schedules &amp; social posts</h1>
      <SocialAccounts rest={rest} />
      <ScheduledLaunches />
      <SocialPosts />
    </>
  );
}

function ScheduledLaunches() {
  const { currency } = useSession();
  const list = usePagedList<CampaignRecord>(`/api/campaigns${query({ status: 'scheduled' })}`);
  return (
    <section aria-labelledby="launches-title">
      <h2 id="launches-title">Scheduled campaign launches</h2>
      <PagedTable
        list={list}
        what="scheduled campaigns"
        empty="No campaign is scheduled to launch."
        // Soonest first: the API lists newest-created first.
        order={(a, b) => (a.scheduled_at ?? '').localeCompare(b.scheduled_at ?? '')}
        head={
          <>
            <th>Campaign</th>
            <th>Launches</th>
            <th className="num">Budget</th>
            <th>Channels</th>
            <th>Autopilot</th>
          </>
        }
      >
        {(c) => (
          <tr key={c.id} data-testid="campaign-row" data-id={c.id}>
            <td className="campaign-title">
              <a href={href('campaigns', c.id)}>{c.title}</a>
            </td>
            <td className="nowrap">
              {dateTime(c.scheduled_at)}
              <Overdue at={c.scheduled_at} />
            </td>
            <td className="num">{money(c.budget, c.currency || currency)}</td>
            <td>{c.channels.join(', ') || '—'}</td>
            <td>{c.autopilot_enabled ? 'On' : 'Off'}</td>
          </tr>
        )}
      </PagedTable>
    </section>
  );
}

/** A launch time that has passed: the runner (every minute) has not started it yet. */
function Overdue({ at }: { at: string | null }) {
  if (!at || Date.parse(at) > Date.now()) return null;
  return <div className="small tone-warn">Due: the runner starts it within a minute</div>;
}

function SocialPosts() {
  const [status, setStatus] = useState('');
  const [platform, setPlatform] = useState('');
  const list = usePagedList<SocialPostRecord>(`/api/social-posts${query({ status, platform, limit: 20 })}`);
  return (
    <section aria-labelledby="posts-title">
      <h2 id="posts-title">Social posts</h2>
      <div className="filters">
        <FilterSelect
          label="Status"
          value={status}
          onChange={setStatus}
          anyLabel="All statuses"
          options={SOCIAL_POST_STATUSES}
        />
        <FilterSelect
          label="Platform"
          value={platform}
          onChange={setPlatform}
          anyLabel="All platforms"
          options={SOCIAL_PLATFORMS}
        />
        {list.first.loading && list.first.data && <Spinner label="Loading social posts" />}
      </div>
      <Async loaded={list.first} what="social posts">
        {() =>
          list.rows.length === 0 ? (
            <Empty>
              No social posts{status || platform ? ' match these filters' : ' yet'}. Post rules and approved suggestions
              queue them here.
            </Empty>
          ) : (
            <>
              <div className="post-grid">
                {list.rows.map((post) => (
                  <SocialPostCard key={post.id} post={post} />
                ))}
              </div>
              <LoadMore list={list} />
            </>
          )
        }
      </Async>
    </section>
  );
}
