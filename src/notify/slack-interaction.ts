// A press of an Approve, Dismiss or Roll back button in a Slack message (docs/notifications.md,
// "Acting from a message"): Slack posts it to /hooks/slack/interactions/<destination id>, signed
// with the Slack app's signing secret stored with that destination. The signature is checked before
// anything in the body is read; the button's value is an action link issued to that destination,
// used as the page's links are, naming the Slack user who pressed it. Slack shows the answer's text.
import { z } from 'zod';
import { SLACK_HOOKS_BASE_URL } from '../config.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { isUuid } from '../domain/ids.ts';
import { actOnLink, type LinkUse } from './act-on-link.ts';
import { checkSlackSignature } from './slack-signature.ts';

export interface SlackInteractionRequest {
  destinationId: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** Slack's message for the person who pressed (200), or a refusal of a request that is not Slack's. */
export type SlackAnswer =
  | {
      ok: true;
      message: { replace_original: false; response_type: 'ephemeral'; text: string };
      /**
       * Where to say it too: Slack shows nothing of a button press's answer body, only what is
       * posted to the press's response_url (one under Slack's address; any other is not called).
       */
      followUp?: string;
    }
  /** A press that asks nothing of us (a link button, "Open in Nightshift"): acknowledged, nothing said. */
  | { ok: true; message: undefined }
  | { ok: false; status: 400 | 401 | 404; reason: string };

const payloadSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({
    id: z.string().min(1).max(40),
    username: z.string().max(100).optional(),
    name: z.string().max(100).optional(),
  }),
  actions: z.array(z.object({ action_id: z.string().optional(), value: z.string().max(2000).optional() })).min(1),
  response_url: z.string().max(2000).optional(),
});

/**
 * The destination's tenant and signing secret. The tenant is found by the destination's id alone,
 * on the unscoped database (row-level security hides every row before a tenant is known): one
 * column of one row, nothing else read there; the secret is then read in the tenant's scope.
 */
async function slackDestination(db: Database, cipher: TokenCipher, destinationId: string) {
  const owners = await db.session((s) =>
    s.query<{ tenant_id: string }>(
      `SELECT tenant_id FROM notification_destinations WHERE id = $1 AND kind = 'slack' LIMIT 2`,
      [destinationId],
    ),
  );
  // Ids are random uuids: two tenants with the same one would be a forgery of our data, not a hook.
  if (owners.length !== 1) return undefined;
  const tenantId = owners[0]!.tenant_id;
  const [row] = await tenantScoped(db, tenantId).session((s) =>
    s.query<{ secrets: string }>(`SELECT secrets FROM notification_destinations WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      destinationId,
    ]),
  );
  const secrets = row ? (JSON.parse(cipher.decrypt(row.secrets)) as { signing_secret?: unknown }) : {};
  return typeof secrets.signing_secret === 'string' ? { tenantId, signingSecret: secrets.signing_secret } : undefined;
}

export async function slackInteraction(
  db: Database,
  deps: { cipher: TokenCipher; actionLinkKey: Buffer; slackBaseUrl?: string },
  request: SlackInteractionRequest,
  now: Date,
): Promise<SlackAnswer> {
  const { destinationId } = request;
  const destination = isUuid(destinationId) ? await slackDestination(db, deps.cipher, destinationId) : undefined;
  if (!destination) return { ok: false, status: 404, reason: 'no Slack destination here takes interactions' };
  const problem = checkSlackSignature(destination.signingSecret, request, now);
  if (problem) {
    const why = problem === 'stale' ? 'is more than 5 minutes off' : 'does not match';
    return { ok: false, status: 401, reason: `the request's Slack signature ${why}` };
  }
  const parsed = parsePayload(request.rawBody);
  if (!parsed) return { ok: false, status: 400, reason: 'expects a block_actions payload with a button’s value' };
  const { user, actions } = parsed;
  // Slack reports link buttons' presses too; the link opened in the browser, and that is all.
  const value = actions[0]!.value;
  if (value === undefined) return { ok: true, message: undefined };
  const actor = `Slack @${user.username ?? user.name ?? user.id} (${user.id})`;
  const used = await actOnLink(db, deps.actionLinkKey, value, {
    now,
    actor,
    channel: { kind: 'slack', tenantId: destination.tenantId, destinationId },
  });
  const base = `${(deps.slackBaseUrl ?? SLACK_HOOKS_BASE_URL).replace(/\/+$/, '')}/`;
  const followUp = parsed.response_url?.startsWith(base) ? parsed.response_url : undefined;
  const message = { replace_original: false, response_type: 'ephemeral', text: slackText(used) } as const;
  return { ok: true, message, ...(followUp ? { followUp } : {}) };
}

function parsePayload(rawBody: string) {
  try {
    const payload = new URLSearchParams(rawBody).get('payload');
    const parsed = payload ? payloadSchema.safeParse(JSON.parse(payload)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function slackText(used: LinkUse): string {
  if (used.ok) return used.outcome;
  if (used.reason === 'used' && used.view) {
    return `This button was already used by ${used.view.usedBy ?? 'someone'}: ${used.view.outcome ?? ''}`;
  }
  if (used.reason === 'expired') return 'This button has expired: open the dashboard to act on the action.';
  return 'This button is not valid.';
}
