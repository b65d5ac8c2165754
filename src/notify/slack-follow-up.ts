// The answer to a Slack button press, as Slack shows it: posted to the press's response_url (a
// message only the person who pressed sees). Best effort, after the 200: a failure is logged in the
// receiver's words, never with the address (it is a credential for that message).
import type { Logger } from '../log.ts';
import { postToDestination } from './http-post.ts';

const FOLLOW_UP_TIMEOUT_MS = 5_000;

export async function tellInSlack(
  responseUrl: string,
  message: object,
  log: Pick<Logger, 'warn'>,
  options: { fetch?: typeof fetch } = {},
): Promise<boolean> {
  const result = await postToDestination(
    responseUrl,
    JSON.stringify(message),
    { 'content-type': 'application/json' },
    { timeoutMs: FOLLOW_UP_TIMEOUT_MS, ...options },
  );
  if (!result.ok)
    log.warn({ status: result.status, error: result.error }, 'Slack did not take the answer to a button press');
  return result.ok;
}
