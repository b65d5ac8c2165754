// A variant rendered for one contact into what the transport sends: the e-mail's subject, HTML and
// text parts with our Message-ID and the unsubscribe headers every message carries (RFC 2369
// List-Unsubscribe, RFC 8058 one-click List-Unsubscribe-Post), or the SMS body with the address
// Twilio reports its status to.
import type { CampaignForMessage, ContactForMessage, StepVariant } from '../db/repositories/delivery-claims.ts';
import { formatOurMessageId } from './inbound-mail.ts';
import type { MessageLinks } from './message-links.ts';
import { renderEmail, renderSms } from './render.ts';
import type { Channel, OutgoingMessage } from './transport.ts';

export interface RenderInput {
  messageId: string;
  tenantId: string;
  channel: Channel;
  to: string;
  contact: ContactForMessage;
  variant: Pick<StepVariant, 'subject' | 'body' | 'sms_copy'>;
  campaign: CampaignForMessage;
  links: MessageLinks;
  messageIdDomain: string;
  statusCallback: string;
}

/** Throws (naming the variant's field) when the copy is not a template that renders. */
export function renderMessage(input: RenderInput): { outgoing: OutgoingMessage; links: string[] } {
  const { contact, variant, links } = input;
  if (input.channel === 'sms') {
    const sms = renderSms({
      sms_copy: variant.sms_copy ?? '',
      contact,
      links: links.click ? { click: links.click } : {},
      campaign: input.campaign,
    });
    return {
      outgoing: { id: input.messageId, to: input.to, text: sms.body, statusCallback: input.statusCallback },
      links: sms.links,
    };
  }
  const email = renderEmail({
    subject: variant.subject ?? '',
    body: variant.body ?? '',
    contact,
    links,
    campaign: input.campaign,
  });
  return {
    outgoing: {
      id: input.messageId,
      to: input.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageIdHeader: formatOurMessageId(input.tenantId, input.messageId, input.messageIdDomain),
      headers: {
        'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    },
    links: email.links,
  };
}
