// Reading again on a timer while what a page shows is still moving on the server (a backfill, a
// change on its way to an ad platform), and only while the page is in view: a hidden tab asks nothing.
import { useEffect } from 'react';

/** Calls `reload` every `everyMs` while `active`; stops as soon as it is not. */
export function usePolling(reload: () => void, active: boolean, everyMs = 5_000): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, [reload, active, everyMs]);
}
