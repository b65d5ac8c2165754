// Slack signs every request it sends an app (button presses included) as documented in "Verifying
// requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack):
//   X-Slack-Signature: v0=hex(HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body))
// A request whose timestamp is more than five minutes from our clock is refused, so a recorded
// request cannot be replayed later; within the window, an action link is single-use anyway.
import { createHmac } from 'node:crypto';
import { sameText } from '../crypto/compact-token.ts';

/** Slack's window: a request older (or newer) than this is refused. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`, 'utf8').digest('hex')}`;
}

export type SlackSignatureProblem = 'missing' | 'stale' | 'mismatch';

/** Why the request is not Slack's, or undefined if it is: signed with this secret, within the window. */
export function checkSlackSignature(
  signingSecret: string,
  request: { timestamp: string | undefined; signature: string | undefined; rawBody: string },
  now: Date,
): SlackSignatureProblem | undefined {
  const { timestamp, signature, rawBody } = request;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return 'missing';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) return 'stale';
  return sameText(signature, slackSignature(signingSecret, timestamp, rawBody)) ? undefined : 'mismatch';
}
