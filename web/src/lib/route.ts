// Hash routes (#/actions, #/campaigns/<id>): the server serves one page, and the address stays
// shareable without any server-side routing.
import { useEffect, useState } from 'react';

export interface Route {
  /** The first segment: the tab. */
  tab: string;
  /** The rest, e.g. a campaign id. */
  rest: string[];
}

function parse(hash: string): Route {
  const [tab = 'overview', ...rest] = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  return { tab, rest };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export const href = (...segments: string[]) => `#/${segments.map(encodeURIComponent).join('/')}`;
