// A Slack message (Block Kit) for an event or a digest, as an incoming webhook takes it. Text from
// events is escaped as Slack asks (&, <, >), so no event can mention @channel or fake a link.

import type { ActionLinkButton } from './action-links.ts';
import { digestHeadline, digestLinks, type EventItem, wordsOf } from './event-words.ts';

/** Most items a digest lists; the rest are counted in its headline and behind its links. */
export const DIGEST_ITEMS_SHOWN = 10;

const slackText = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * One event: its title, its line, its facts, and its actions as interactive buttons (each button's
 * value a link token, pressed through src/notify/slack-interaction.ts, which names the Slack user),
 * given when the destination verifies Slack's requests (a signing secret is set); and a link to it
 * in the dashboard.
 */
export function slackEventMessage(item: EventItem, publicUrl: string, actions: readonly ActionLinkButton[]) {
  const words = wordsOf(item, publicUrl);
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: words.title.slice(0, 150) } },
    ...(words.line ? [{ type: 'section', text: { type: 'mrkdwn', text: slackText(words.line).slice(0, 2900) } }] : []),
  ];
  if (words.facts.length > 0) {
    blocks.push({
      type: 'section',
      fields: words.facts.map(([label, value]) => ({
        type: 'mrkdwn',
        text: `*${label}*\n${slackText(value).slice(0, 1900)}`,
      })),
    });
  }
  blocks.push({
    type: 'actions',
    elements: [
      ...actions.map((action) => ({
        type: 'button',
        text: { type: 'plain_text', text: action.label },
        action_id: `nightshift_${action.operation}`,
        value: action.token,
        ...(action.operation === 'approve'
          ? { style: 'primary' }
          : action.operation === 'rollback'
            ? { style: 'danger' }
            : {}),
      })),
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Open in Nightshift' },
        url: words.url,
        action_id: 'nightshift_open',
      },
    ],
  });
  return { text: `${words.title}: ${words.line}`.slice(0, 3000), blocks };
}

/** A digest: how many of each, the first items, and links to the lists. */
export function slackDigestMessage(items: readonly EventItem[], publicUrl: string, period: string) {
  const headline = `Nightshift ${period} digest: ${digestHeadline(items)}`;
  const shown = items.slice(0, DIGEST_ITEMS_SHOWN).map((item) => {
    const words = wordsOf(item, publicUrl);
    const campaign = words.facts.find(([label]) => label === 'Campaign')?.[1];
    return `• *${slackText(words.title)}*${campaign ? ` — ${slackText(campaign)}` : ''}${words.line ? `: ${slackText(words.line).slice(0, 200)}` : ''}`;
  });
  const more = items.length - shown.length;
  return {
    text: headline,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: slackText(headline) } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: [...shown, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n') },
      },
      {
        type: 'actions',
        elements: digestLinks(items, publicUrl).map((link, i) => ({
          type: 'button',
          text: { type: 'plain_text', text: link.label.slice(0, 75) },
          url: link.url,
          action_id: `nightshift_list_${i}`,
        })),
      },
    ],
  };
}
