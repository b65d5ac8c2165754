// An e-mail for an event or a digest: a subject, a plain-text part and an HTML part, every value
// from an event escaped in the HTML. Action links go to confirmation pages; nothing acts on a click.

import { escapeHtml } from '../delivery/email-html.ts';
import type { ActionLinkButton } from './action-links.ts';
import { digestHeadline, digestLinks, type EventItem, wordsOf } from './event-words.ts';
import { DIGEST_ITEMS_SHOWN } from './slack-message.ts';

export interface NotificationEmail {
  subject: string;
  text: string;
  html: string;
}

function page(body: string) {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937">${body}<p style="color:#6b7280;font-size:12px">Sent by Nightshift. Change what you receive under Notifications in the dashboard.</p></body></html>`;
}

export function eventEmail(
  item: EventItem,
  publicUrl: string,
  actions: readonly ActionLinkButton[],
): NotificationEmail {
  const words = wordsOf(item, publicUrl);
  const campaign = words.facts.find(([label]) => label === 'Campaign')?.[1];
  const links = [
    ...actions.map((a) => ({ label: a.label, url: a.url })),
    { label: 'Open in Nightshift', url: words.url },
  ];
  return {
    subject: `[Nightshift] ${words.title}${campaign ? `: ${campaign}` : ''}`.slice(0, 200),
    text: [
      words.title,
      '',
      ...(words.line ? [words.line, ''] : []),
      ...words.facts.map(([label, value]) => `${label}: ${value}`),
      '',
      ...links.map((l) => `${l.label}: ${l.url}`),
    ].join('\n'),
    html: page(
      `<h2>${escapeHtml(words.title)}</h2>${words.line ? `<p>${escapeHtml(words.line)}</p>` : ''}<table>${words.facts
        .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
        .join(
          '',
        )}</table><p>${links.map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`).join(' &middot; ')}</p>`,
    ),
  };
}

export function digestEmail(items: readonly EventItem[], publicUrl: string, period: string): NotificationEmail {
  const headline = digestHeadline(items);
  const shown = items.slice(0, DIGEST_ITEMS_SHOWN).map((item) => wordsOf(item, publicUrl));
  const more = items.length - shown.length;
  const links = digestLinks(items, publicUrl);
  return {
    subject: `[Nightshift] Your ${period} digest: ${headline}`.slice(0, 200),
    text: [
      `Your ${period} digest: ${headline}`,
      '',
      ...shown.map((w) => `- ${w.title}${w.line ? `: ${w.line}` : ''}`),
      ...(more > 0 ? [`…and ${more} more`] : []),
      '',
      ...links.map((l) => `${l.label}: ${l.url}`),
    ].join('\n'),
    html: page(
      `<h2>Your ${escapeHtml(period)} digest</h2><p>${escapeHtml(headline)}</p><ul>${shown
        .map((w) => `<li><strong>${escapeHtml(w.title)}</strong>${w.line ? `: ${escapeHtml(w.line)}` : ''}</li>`)
        .join('')}</ul>${more > 0 ? `<p>…and ${more} more</p>` : ''}<p>${links
        .map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`)
        .join(' &middot; ')}</p>`,
    ),
  };
}
