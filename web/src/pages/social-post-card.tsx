// One social post: when it is due, where it goes, what each platform answered, and (failed)
// why, up front.

import type { PlatformResult, SocialPostRecord } from '../../../src/contract/social-posts.ts';
import { Badge } from '../components/badge.tsx';
import { dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);

export function SocialPostCard({ post }: { post: SocialPostRecord }) {
  const failed = post.status === 'failed';
  const copy = text(post.content.copy) ?? text(post.content.body);
  return (
    <article
      className={`card post-card${failed ? ' bad' : post.status === 'posted' ? ' good' : ''}`}
      data-testid="social-post"
      data-id={post.id}
    >
      <div className="row spread">
        <h3>
          <a href={href('campaigns', post.campaign_id)}>{post.campaign_title}</a>
        </h3>
        <Badge value={post.status} />
      </div>
      {post.last_error && (
        <div className="notice error post-error" role="alert">
          <strong>{failed ? 'Failed:' : 'Last attempt failed:'}</strong> {post.last_error}
        </div>
      )}
      {copy && <p className="post-copy">{copy}</p>}
      <dl>
        <dt>{post.status === 'posted' ? 'Was due' : 'Due'}</dt>
        <dd>{dateTime(post.scheduled_for)}</dd>
        {post.posted_at && (
          <>
            <dt>Posted</dt>
            <dd>{dateTime(post.posted_at)}</dd>
          </>
        )}
        <dt>Attempts</dt>
        <dd>{post.attempts}</dd>
      </dl>
      <ul className="platform-results" aria-label="Per platform">
        {post.results.map((r) => (
          <PlatformLine key={r.platform} result={r} />
        ))}
      </ul>
    </article>
  );
}

function PlatformLine({ result: r }: { result: PlatformResult }) {
  let state: string;
  let tone = '';
  if (r.failed) {
    state = `failed: ${r.failed}`;
    tone = 'tone-bad';
  } else if (r.post_id) {
    state = r.post_ids.length > 1 ? `posted (${r.post_ids.length} parts, first ${r.post_id})` : `posted (${r.post_id})`;
    tone = 'tone-good';
  } else if (r.last_attempt_at) {
    state = `not posted yet, last tried ${dateTime(r.last_attempt_at)}`;
  } else {
    state = 'waiting';
  }
  return (
    <li>
      <span className="platform-name">{r.platform}</span> <span className={tone}>{state}</span>
    </li>
  );
}
