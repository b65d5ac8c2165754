// What a message arriving at the bounce/reply mailbox is: a bounce (RFC 3464 delivery status
// notification, or a server's bounce written as text), a complaint (RFC 5965 abuse report), a
// person's reply, an automatic reply (RFC 3834; it must not end a sequence), or none of these.
// mailparser (simpleParser) reads the MIME; the report parts are read here.
import { type Attachment, type StructuredHeader, simpleParser } from 'mailparser';

export type InboundMail =
  | {
      kind: 'bounce';
      /** A permanent failure (status 5.x.x): the address should not be mailed again. */
      hard: boolean;
      /** The RFC 3463 enhanced status code, e.g. '5.1.1'; x.0.0 when only a class was found. */
      status: string;
      recipient?: string;
      diagnostic?: string;
      originalMessageId?: string;
    }
  | { kind: 'complaint'; feedbackType?: string; recipient?: string; originalMessageId?: string }
  | {
      kind: 'reply' | 'auto_reply';
      /** In-Reply-To's ids, then References' from the newest back, de-bracketed, each once. */
      inReplyTo: string[];
      from?: string;
      subject?: string;
      text: string;
    }
  | { kind: 'unknown' };

type Parsed = Awaited<ReturnType<typeof simpleParser>>;

export async function classifyInboundMail(raw: Buffer | string): Promise<InboundMail> {
  let mail: Parsed;
  try {
    // Report parts as attachments (not folded into the text), embedded messages left unparsed.
    mail = await simpleParser(raw, { keepDeliveryStatus: true, ignoreEmbedded: true, skipImageLinks: true });
  } catch {
    return { kind: 'unknown' };
  }
  // mailparser always parses Content-Type into a value and its parameters.
  const contentType = mail.headers.get('content-type') as StructuredHeader | undefined;
  const reportType =
    contentType?.value === 'multipart/report' ? contentType.params['report-type']?.toLowerCase() : undefined;
  if (reportType === 'delivery-status' || reportType === 'global-delivery-status') return deliveryStatus(mail);
  if (reportType === 'feedback-report') return feedbackReport(mail);
  if (reportType === undefined && looksLikeBounce(mail)) return textBounce(mail);
  const inReplyTo = threadIds(mail);
  const reply = {
    inReplyTo,
    from: mail.from?.value[0]?.address,
    subject: mail.subject,
    text: (mail.text ?? '').trim(),
  };
  if (isAutoReply(mail)) return { kind: 'auto_reply', ...reply };
  if (inReplyTo.length > 0 && reportType === undefined) return { kind: 'reply', ...reply };
  return { kind: 'unknown' };
}

// --- Delivery status notifications (RFC 3464) ----------------------------------------------------

const STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

function deliveryStatus(mail: Parsed): InboundMail {
  const report = mail.attachments.find((part) => /^message\/(global-)?delivery-status$/i.test(part.contentType));
  const blocks = report ? fieldBlocks(partText(report)).slice(1) : [];
  // We send one recipient per message; with several, the failed one matters, then a delay.
  const action = (block: Map<string, string>) => block.get('action')?.toLowerCase().split(/[\s(]/)[0];
  const recipient =
    blocks.find((block) => action(block) === 'failed') ??
    blocks.find((block) => action(block) === 'delayed') ??
    blocks.find((block) => !['delivered', 'relayed', 'expanded'].includes(action(block) ?? ''));
  const originalMessageId = originalId(mail);
  if (!recipient) {
    // A report of success, or one with no per-recipient part: read what its text says.
    return blocks.length > 0 ? { kind: 'unknown' } : textBounce(mail);
  }
  const diagnostic = recipient.get('diagnostic-code')?.replace(/^\s*[\w-]+\s*;\s*/, '');
  const status =
    enhancedStatus(recipient.get('status')) ??
    enhancedStatus(diagnostic) ??
    basicStatus(diagnostic) ??
    (action(recipient) === 'delayed' ? '4.0.0' : '5.0.0');
  return {
    kind: 'bounce',
    hard: status.startsWith('5'),
    status,
    ...defined('recipient', address(recipient.get('final-recipient') ?? recipient.get('original-recipient'))),
    ...defined('diagnostic', diagnostic || undefined),
    ...defined('originalMessageId', originalMessageId),
  };
}

const enhancedStatus = (text: string | undefined) => {
  const match = text?.match(STATUS);
  // 2.x.x is success: not a failure's status, whatever the action says.
  return match && match[1] !== '2' ? `${match[1]}.${Number(match[2])}.${Number(match[3])}` : undefined;
};

/** A bare SMTP reply code (550, 421) where no enhanced one is given: its class only. */
const basicStatus = (text: string | undefined) => {
  const match = text?.match(/(?:^|[\s;:])([45])\d\d(?=[\s-]|$)/m);
  return match ? `${match[1]}.0.0` : undefined;
};

/** "rfc822; a@b" (Final-Recipient, Original-Rcpt-To) or "<a@b>": the address. */
function address(field: string | undefined): string | undefined {
  const value = field
    ?.replace(/^[\w-]+\s*;/, '')
    .trim()
    .replace(/^<|>$/g, '');
  return value || undefined;
}

/** Header-style blocks separated by blank lines (a DSN's per-message and per-recipient fields). */
function fieldBlocks(text: string): Map<string, string>[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

const partText = (part: Attachment) => part.content.toString('utf8');

/**
 * The Message-ID of the message a report is about: from its copy (message/rfc822, or only its
 * headers, text/rfc822-headers), else the report's own In-Reply-To/References (Gmail sets them).
 */
function originalId(mail: Parsed): string | undefined {
  for (const part of mail.attachments) {
    if (/^(message\/(rfc822|global|global-headers)|text\/rfc822-headers)$/i.test(part.contentType)) {
      const head = partText(part).split(/\r?\n\r?\n/)[0] ?? '';
      const id = headerMessageId(head);
      if (id) return id;
    }
  }
  return threadIds(mail)[0];
}

function headerMessageId(headers: string): string | undefined {
  const match = headers.replace(/\r?\n[ \t]+/g, ' ').match(/^Message-ID:\s*<?([^\s<>]+@[^\s<>]+)>?/im);
  return match?.[1];
}

// --- Complaints (RFC 5965 abuse reports, the format of Yahoo's, AOL's and others' feedback loops) ---

function feedbackReport(mail: Parsed): InboundMail {
  const report = mail.attachments.find((part) => /^message\/feedback-report$/i.test(part.contentType));
  const fields = report ? (fieldBlocks(partText(report))[0] ?? new Map<string, string>()) : new Map<string, string>();
  return {
    kind: 'complaint',
    ...defined('feedbackType', fields.get('feedback-type')?.toLowerCase()),
    ...defined('recipient', address(fields.get('original-rcpt-to'))),
    ...defined('originalMessageId', originalId(mail)),
  };
}

// --- Bounces written as text (qmail, Exim and others without a DSN) -----------------------------

function looksLikeBounce(mail: Parsed): boolean {
  const sender = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  return /^(mailer-daemon|postmaster)@/.test(sender) || mail.headers.has('x-failed-recipients');
}

/** Where a text bounce's copy of the original begins: its first header line. */
const COPY_START = /^(Return-Path|Received|Message-ID|Date|From|To|Subject|DKIM-Signature):/im;

function textBounce(mail: Parsed): InboundMail {
  const text = (mail.text ?? '').replace(/\r\n?/g, '\n');
  const copyAt = text.search(COPY_START);
  const notice = copyAt < 0 ? text : text.slice(0, copyAt);
  const permanent = /permanent|user unknown|no such user|does not exist|doesn't exist|not found|mailbox unavailable/i;
  const status =
    enhancedStatus(notice) ??
    basicStatus(notice) ??
    (permanent.test(notice) || /fail/i.test(mail.subject ?? '') ? '5.0.0' : '4.0.0');
  const failed = mail.headers.get('x-failed-recipients');
  const recipient =
    (typeof failed === 'string' ? failed.split(',')[0]?.trim() : undefined) ??
    // qmail: "<someone@example.org>:" on a line of its own.
    notice.match(/^<([^\s<>]+@[^\s<>]+)>:\s*$/m)?.[1];
  const diagnostic = notice.match(/^.*\b[45]\d\d[\s-].*$/m)?.[0].trim();
  return {
    kind: 'bounce',
    hard: status.startsWith('5'),
    status,
    ...defined('recipient', recipient || undefined),
    ...defined('diagnostic', diagnostic),
    ...defined('originalMessageId', (copyAt < 0 ? undefined : headerMessageId(text.slice(copyAt))) ?? originalId(mail)),
  };
}

// --- Replies and automatic replies --------------------------------------------------------------

const AUTO_SUBJECT =
  /^(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|abwesenheitsnotiz|r[ée]ponse automatique|respuesta autom[áa]tica|risposta automatica|on vacation|away from)\b|\bout of (the )?office\b/i;

/** RFC 3834's Auto-Submitted, the older X-Autoreply/X-Autorespond and Precedence, and the subjects. */
function isAutoReply(mail: Parsed): boolean {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  };
  const submitted = header('auto-submitted');
  if (submitted && submitted !== 'no') return true;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return true;
  if (['auto_reply', 'bulk', 'junk'].includes(header('precedence') ?? '')) return true;
  return AUTO_SUBJECT.test(mail.subject ?? '');
}

function threadIds(mail: Parsed): string[] {
  const ids = (name: string) => {
    const value = mail.headers.get(name);
    const text = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
    const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!);
    return bracketed.length > 0 ? bracketed : text.split(/[\s,]+/).filter((id) => id.includes('@'));
  };
  return [...new Set([...ids('in-reply-to'), ...ids('references').reverse()])];
}

const defined = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

// --- Our Message-IDs ------------------------------------------------------------------------------

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const OURS = new RegExp(`^<?ns\\.(${UUID})\\.(${UUID})@[^\\s<>@]+>?$`, 'i');
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** `<ns.{tenant}.{message}@{domain}>`: replies and bounces name the message they are about. */
export function formatOurMessageId(tenantId: string, messageId: string, domain: string): string {
  const id = `ns.${tenantId.toLowerCase()}.${messageId.toLowerCase()}@${domain}`;
  if (!DOMAIN.test(domain) || !OURS.test(id)) throw new TypeError('expects two uuids and a domain name');
  return `<${id}>`;
}

/** The tenant and message of one of our Message-IDs (bracketed or not), else undefined. */
export function ourMessageIdParts(messageId: string): { tenantId: string; messageId: string } | undefined {
  const match = messageId.trim().match(OURS);
  return match ? { tenantId: match[1]!.toLowerCase(), messageId: match[2]!.toLowerCase() } : undefined;
}
