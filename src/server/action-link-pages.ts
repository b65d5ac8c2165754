// The pages of an action link (src/server/action-link-routes.ts), as HTML bodies: the confirmation
// (what the action is, to whom the link was sent, and a form with one button), the outcome, and the
// refusals. Every text from the database or the link is escaped here.

import type { ActionLinkView, LinkRefusal } from '../notify/act-on-link.ts';
import { OPERATION_WORDS } from '../notify/action-links.ts';
import { actionInWords } from '../notify/action-words.ts';
import { escapeHtml } from './public-page.ts';

export interface PageContent {
  title: string;
  body: string;
}

function actionFacts(view: ActionLinkView): string {
  const { action } = view;
  const confidence = action.confidence === null ? 'not given' : `${Math.round(action.confidence * 100)}%`;
  const rows: [string, string][] = [
    ['Action', actionInWords(action.type)],
    ['Campaign', action.campaignTitle],
    ['Reason', action.reason],
    ['Confidence', confidence],
    ['Status now', action.status.replace('_', ' ')],
    ['Link sent to', view.issuedTo],
  ];
  return `<dl>${rows.map(([term, text]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text)}</dd>`).join('')}</dl>`;
}

/** The confirmation: the GET's page. Its form posts back to the same address with the confirmation code. */
export function confirmationPage(view: ActionLinkView, confirmation: string): PageContent {
  const { label } = OPERATION_WORDS[view.operation];
  return {
    title: `${label}?`,
    body: `${actionFacts(view)}
<form method="post"><input type="hidden" name="confirm" value="${escapeHtml(confirmation)}">
<button type="submit">${escapeHtml(label)}</button></form>
<p><small>This link works once, until ${escapeHtml(view.expiresAt.toUTCString())}. Nothing happens until you press the button.</small></p>`,
  };
}

/** After the POST: done, or the ledger's refusal in its words. */
export function outcomePage(view: ActionLinkView, acted: boolean, outcome: string): PageContent {
  return {
    title: acted ? OPERATION_WORDS[view.operation].done : 'Not done',
    body: `<p>${escapeHtml(outcome)}</p>${actionFacts(view)}`,
  };
}

/** Why a link did nothing; a used link says what its use did and who used it. */
export function refusalPage(reason: LinkRefusal, view?: ActionLinkView): PageContent {
  if (reason === 'used' && view) {
    const when = view.usedAt ? ` on ${view.usedAt.toUTCString()}` : '';
    return {
      title: 'Link already used',
      body: `<p>This link was used${escapeHtml(when)} by ${escapeHtml(view.usedBy ?? 'someone')}: ${escapeHtml(view.outcome ?? '')}</p>
<p>Each link works once. Open the dashboard to do more.</p>`,
    };
  }
  if (reason === 'expired') {
    return {
      title: 'Link expired',
      body: '<p>This link has expired. Open the dashboard to act on the action.</p>',
    };
  }
  return { title: 'Link not valid', body: '<p>This link is not valid.</p>' };
}
