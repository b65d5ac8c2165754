// What a consent (OAuth) came back with, from the address the callback redirected to
// (#/{tab}/connected/… or #/{tab}/failed/{reason}): a notice, dismissed by going back to the tab.
import type { ReactNode } from 'react';
import { href } from '../lib/route.ts';

/** A reason from the address, as written; as is when it is not valid percent-encoding. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function ConsentOutcome(props: {
  /** The route's rest: ['connected', …] or ['failed', reason]. */
  rest: string[];
  tab: string;
  connected: ReactNode;
  failed: string;
}) {
  const [outcome, detail] = props.rest;
  if (outcome === 'connected') {
    return (
      <div className="notice" role="status">
        {props.connected} <a href={href(props.tab)}>Dismiss</a>
      </div>
    );
  }
  if (outcome !== 'failed') return null;
  return (
    <div className="notice error" role="alert">
      <strong>{props.failed}</strong> {detail === undefined ? 'No reason was given.' : safeDecode(detail)}{' '}
      <a href={href(props.tab)}>Dismiss</a>
    </div>
  );
}
