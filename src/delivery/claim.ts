// One claim of the delivery worker, in one transaction: the due recipients and the deferred
// messages are taken (FOR UPDATE SKIP LOCKED), each recipient's step is decided (sent, passed over,
// postponed for quiet hours, or ended), a variant is drawn for each, the message is rendered, and
// every message to be sent is recorded ('sending') before the transaction commits, so before
// anything reaches a transport. A crash after the commit leaves rows that say what may have gone
// out (src/delivery/reconcile.ts); a crash before it leaves nothing claimed.
import { randomUUID } from 'node:crypto';
import { GOAL_METRIC } from '../agents/builtin-optimizer.ts';
import type { SqlSession } from '../db/port.ts';
import {
  type CampaignForMessage,
  type ClaimedRetry,
  type ClaimedStep,
  type ContactForMessage,
  campaignsForMessages,
  claimDueRetries,
  claimWaitingRecipients,
  type StepVariant,
  variantsOfAssets,
} from '../db/repositories/delivery-claims.ts';
import {
  advanceRecipients,
  endRecipients,
  insertMessages,
  markUnsent,
  type NewMessage,
  postponeRecipients,
  type StepDone,
} from '../db/repositories/delivery-messages.ts';
import { smsNumber } from '../domain/message-address.ts';
import { nextAllowedInstant, type QuietWindow, recipientZone } from '../domain/quiet-hours.ts';
import { allocationWeights, assignVariants } from '../domain/variant-allocation.ts';
import { type LinkSettings, messageLinks, twilioStatusUrl } from './message-links.ts';
import { renderMessage } from './render-message.ts';
import type { Channel, OutgoingMessage } from './transport.ts';

/** A message recorded as 'sending', ready for its transport. */
export interface PreparedMessage {
  channel: Channel;
  /** The attempt the claim counted: the outcome is written only if the row still has it. */
  attempts: number;
  outgoing: OutgoingMessage;
  /**
   * A retry: the provider is asked first for a message made since the last attempt's claim (its
   * answer may have been lost to a timeout), and nothing is sent when it has one.
   */
  lookupSince?: Date;
}

export interface ClaimOptions {
  channels: readonly Channel[];
  now: Date;
  limit: number;
  links: LinkSettings;
  /** The Message-ID's domain: the e-mail sender's. */
  emailDomain: string;
  quietHours: QuietWindow;
  random: () => number;
}

export interface Claim {
  messages: PreparedMessage[];
  /** Steps that could not be rendered, by variant, with the reason (postponed an hour). */
  renderErrors: { variant_id: string; error: string }[];
  /** Recipients taken, whatever became of them: 0 means nothing was due. */
  taken: number;
}

/** A step whose copy does not render waits this long before it is tried again. */
const RENDER_RETRY_MS = 3_600_000;

/** A variant that has lost keeps at least this share of a step's sends while it lives (see allocationWeights). */
const VARIANT_FLOOR = 0.05;

export async function claimBatch(s: SqlSession, tenantId: string, options: ClaimOptions): Promise<Claim> {
  const retries = await claimDueRetries(s, tenantId, options);
  const waiting = await claimWaitingRecipients(s, tenantId, { ...options, limit: options.limit - retries.length });
  const claim: Claim = {
    messages: [],
    renderErrors: [],
    taken: retries.length + waiting.length,
  };
  if (claim.taken === 0) return claim;

  const rows = [...retries, ...waiting];
  const variants = await variantsOfAssets(s, tenantId, [...new Set(rows.map((r) => r.asset_id))]);
  const campaigns = new Map(
    (await campaignsForMessages(s, tenantId, [...new Set(rows.map((r) => r.campaign_id))])).map((c) => [c.id, c]),
  );
  const context = { tenantId, options, campaigns, variantsById: new Map(variants.map((v) => [v.id, v])), claim };

  await prepareRetries(s, context, retries);
  await prepareSteps(s, context, waiting, variants);
  return claim;
}

interface Context {
  tenantId: string;
  options: ClaimOptions;
  campaigns: Map<string, CampaignForMessage>;
  variantsById: Map<string, StepVariant>;
  claim: Claim;
}

/** Where the step goes: the e-mail address, or the phone in E.164 form (none when it has no country code). */
const addressOf = (row: ContactForMessage, channel: Channel) =>
  channel === 'email' ? row.email : smsNumber(row.phone);

async function prepareSteps(s: SqlSession, ctx: Context, waiting: ClaimedStep[], variants: StepVariant[]) {
  const { tenantId, options } = ctx;
  const passed: StepDone[] = [];
  const ended: { campaign_id: string; contact_id: string; reason: 'suppressed' }[] = [];
  const postponed: { campaign_id: string; contact_id: string; not_before: Date }[] = [];
  const toSend = new Map<string, ClaimedStep[]>();
  for (const row of waiting) {
    const campaign = ctx.campaigns.get(row.campaign_id)!;
    if (row.contact_status !== 'active') ended.push({ ...row, reason: 'suppressed' });
    // Suppressed on this channel, or no address for it: the step is passed over, the others go.
    else if (row.suppressed || !addressOf(row, row.channel)) passed.push({ ...row, sent_at: null });
    else {
      const allowed = row.channel === 'sms' ? quietHoursEnd(row, campaign, options) : options.now;
      if (allowed > options.now) postponed.push({ ...row, not_before: allowed });
      else {
        const rows = toSend.get(row.asset_id) ?? [];
        rows.push(row);
        toSend.set(row.asset_id, rows);
      }
    }
  }

  const messages: { row: ClaimedStep; message: NewMessage; prepared: PreparedMessage }[] = [];
  for (const [assetId, rows] of toSend) {
    const campaign = ctx.campaigns.get(rows[0]!.campaign_id)!;
    const metric = GOAL_METRIC[campaign.goal].field;
    const own = variants.filter((v) => v.asset_id === assetId);
    const weights = allocationWeights(
      own.map((v) => ({ id: v.id, status: v.status, successes: v[metric], trials: v.sends })),
      { floor: VARIANT_FLOOR },
    );
    // No live variant: the step has nothing to send, and is passed over.
    if (weights.size === 0) {
      for (const row of rows) passed.push({ ...row, sent_at: null });
      continue;
    }
    const drawn = assignVariants(weights, rows.length, options.random);
    rows.forEach((row, i) => {
      const variant = ctx.variantsById.get(drawn[i]!)!;
      const id = randomUUID();
      const rendered = render(ctx, row, variant, id);
      if (!rendered) {
        postponed.push({ ...row, not_before: new Date(options.now.getTime() + RENDER_RETRY_MS) });
        return;
      }
      messages.push({
        row,
        message: {
          ...row,
          id,
          variant_id: variant.id,
          to_address: rendered.outgoing.to,
          links: rendered.links,
          sms_body: row.channel === 'sms' ? rendered.outgoing.text : null,
        },
        prepared: { channel: row.channel, attempts: 1, outgoing: rendered.outgoing },
      });
    });
  }

  const written = await insertMessages(
    s,
    tenantId,
    messages.map((m) => m.message),
    options.now,
  );
  for (const m of messages) {
    if (written.has(m.message.id)) ctx.claim.messages.push(m.prepared);
    // This step already has its message (sent by an earlier claim): nothing goes twice.
    else passed.push({ ...m.row, sent_at: null });
  }
  await advanceRecipients(s, tenantId, passed);
  await endRecipients(s, tenantId, ended);
  await postponeRecipients(s, tenantId, postponed);
}

async function prepareRetries(s: SqlSession, ctx: Context, retries: ClaimedRetry[]) {
  const suppressed: ClaimedRetry[] = [];
  const postponed: ClaimedRetry[] = [];
  for (const row of retries) {
    if (row.suppressed || row.contact_status !== 'active') {
      suppressed.push(row);
      continue;
    }
    const rendered =
      row.channel === 'sms' && row.sms_body !== null
        ? { outgoing: smsAsSent(ctx, row, row.sms_body) }
        : render(ctx, row, ctx.variantsById.get(row.variant_id)!, row.message_id);
    if (rendered) {
      ctx.claim.messages.push({
        channel: row.channel,
        attempts: row.attempts,
        outgoing: rendered.outgoing,
        lookupSince: row.previous_claimed_at,
      });
    } else postponed.push(row);
  }
  // Suppressed since the last attempt: the message never goes, and the sequence ends.
  await markUnsent(s, ctx.tenantId, [
    ...suppressed.map((r) => ({
      id: r.message_id,
      attempts: r.attempts,
      status: 'suppressed' as const,
      error: 'the address was suppressed before the retry',
      retry_at: null,
    })),
    ...postponed.map((r) => ({
      id: r.message_id,
      attempts: r.attempts,
      status: 'deferred' as const,
      error: 'the copy does not render',
      retry_at: new Date(ctx.options.now.getTime() + RENDER_RETRY_MS),
    })),
  ]);
  await endRecipients(
    s,
    ctx.tenantId,
    suppressed.map((r) => ({ ...r, reason: 'suppressed' })),
  );
}

function smsAsSent(ctx: Context, row: ClaimedRetry, body: string): OutgoingMessage {
  return {
    id: row.message_id,
    to: row.to_address,
    text: body,
    statusCallback: twilioStatusUrl(ctx.options.links.publicUrl, ctx.tenantId, row.message_id),
  };
}

function quietHoursEnd(row: ContactForMessage, campaign: CampaignForMessage, options: ClaimOptions): Date {
  return nextAllowedInstant(options.now, recipientZone(row.timezone, campaign.tenant_timezone), options.quietHours);
}

function render(
  ctx: Context,
  row: ContactForMessage & { campaign_id: string; channel: Channel },
  variant: StepVariant,
  messageId: string,
): { outgoing: OutgoingMessage; links: string[] } | undefined {
  const { tenantId, options } = ctx;
  try {
    return renderMessage({
      messageId,
      channel: row.channel,
      to: addressOf(row, row.channel)!,
      contact: row,
      variant,
      campaign: ctx.campaigns.get(row.campaign_id)!,
      links: messageLinks(options.links, tenantId, messageId, options.now),
      messageIdDomain: options.emailDomain,
      tenantId,
      statusCallback: twilioStatusUrl(options.links.publicUrl, tenantId, messageId),
    });
  } catch (error) {
    ctx.claim.renderErrors.push({
      variant_id: variant.id,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
