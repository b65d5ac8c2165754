// What a recipient does with a message that arrived in the SMTP sink: the addresses in it of its
// open pixel, its tracked links and its unsubscribe page, fetched as a mail client would.
import type { ReceivedEmail } from './smtp-sink.ts';

export interface TrackingPaths {
  open: string | undefined;
  clicks: string[];
  unsubscribe: string | undefined;
}

/** The tracking paths (/t/o/…, /t/c/…, /u/…) in the message's HTML part. */
export function trackingPaths(email: ReceivedEmail): TrackingPaths {
  const html = typeof email.parsed.html === 'string' ? email.parsed.html : '';
  const paths = (kind: string) =>
    [...html.matchAll(new RegExp(`/${kind}/[A-Za-z0-9_-]{16,400}`, 'g'))].map((m) => m[0]);
  return { open: paths('t/o')[0], clicks: [...new Set(paths('t/c'))], unsubscribe: paths('u')[0] };
}

/** The recipient's mail client: opens (loads the pixel), clicks the first link, or unsubscribes in one click. */
export async function actOn(baseUrl: string, email: ReceivedEmail, act: 'open' | 'click' | 'unsubscribe') {
  const paths = trackingPaths(email);
  const path = act === 'open' ? paths.open : act === 'click' ? paths.clicks[0] : paths.unsubscribe;
  if (!path) throw new Error(`no ${act} address in the message to ${email.envelope.to.join(', ')}`);
  const response = await fetch(`${baseUrl}${path}`, {
    redirect: 'manual',
    ...(act === 'unsubscribe'
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }
      : {}),
  });
  await response.arrayBuffer();
  if (response.status >= 400) throw new Error(`${act}: ${response.status} from ${path}`);
}
