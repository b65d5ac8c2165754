// The two parts of an e-mail built from its rendered plain-text body: HTML (paragraphs, links, a
// call to action, the footer, the open pixel) and text (the same words, the same link targets).
// Inline styles only: several clients drop or rewrite <style> blocks.

/** A link in the body text: its [start, end) and the URL the message carries (tracked or not). */
export interface BodyLink {
  start: number;
  end: number;
  href: string;
}

export interface EmailDocument {
  subject: string;
  /** Plain text: paragraphs split by blank lines, lines by single line breaks (\n). */
  body: string;
  links: readonly BodyLink[];
  cta?: { text: string; href: string } | undefined;
  footer?: string | undefined;
  unsubscribeUrl: string;
  openPixelUrl?: string | undefined;
}

const SPECIAL = /[&<>"']/;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!) : text;
}

const PARAGRAPH = 'margin:0 0 16px';
const WRAPPER =
  'max-width:600px;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;' +
  'font-size:16px;line-height:1.5;color:#222222';
const BUTTON =
  'display:inline-block;padding:12px 20px;background:#1a1a1a;color:#ffffff;text-decoration:none;border-radius:4px';
const FOOTER = 'margin:0;font-size:12px;line-height:1.5;color:#777777';

export function emailHtml(document: EmailDocument): string {
  const parts = [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      `<title>${escapeHtml(document.subject)}</title></head>`,
    '<body style="margin:0;padding:0">',
    `<div style="${WRAPPER}">`,
    bodyHtml(document.body, document.links),
  ];
  if (document.cta) {
    parts.push(
      `<p style="margin:24px 0"><a href="${escapeHtml(document.cta.href)}" style="${BUTTON}">` +
        `${escapeHtml(document.cta.text)}</a></p>`,
    );
  }
  const footer = document.footer?.trim() ? `${lines(escapeHtml(document.footer.trim()))}<br>` : '';
  parts.push(
    '<hr style="border:none;border-top:1px solid #e5e5e5;margin:32px 0 16px">',
    `<p style="${FOOTER}">${footer}<a href="${escapeHtml(document.unsubscribeUrl)}" style="color:#777777">` +
      'Unsubscribe</a></p>',
    '</div>',
  );
  if (document.openPixelUrl) {
    parts.push(
      `<img src="${escapeHtml(document.openPixelUrl)}" width="1" height="1" alt="" ` +
        'style="display:block;border:0;width:1px;height:1px">',
    );
  }
  parts.push('</body></html>');
  return parts.join('\n');
}

/** Escaped text with its links as anchors, cut into paragraphs at blank lines. */
function bodyHtml(text: string, links: readonly BodyLink[]): string {
  let html = '';
  let at = 0;
  for (const link of links) {
    html +=
      escapeHtml(text.slice(at, link.start)) +
      `<a href="${escapeHtml(link.href)}">${escapeHtml(text.slice(link.start, link.end))}</a>`;
    at = link.end;
  }
  html += escapeHtml(text.slice(at));
  // An anchor holds no line break (a URL ends at whitespace), so cutting the HTML is cutting the text.
  return paragraphs(html)
    .map((paragraph) => `<p style="${PARAGRAPH}">${lines(paragraph)}</p>`)
    .join('\n');
}

const paragraphs = (text: string) =>
  text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');

const lines = (html: string) => html.replace(/[ \t]*\n[ \t]*/g, '<br>\n');

/**
 * The text part: the body as written, each link replaced by the URL the HTML's anchor carries
 * (the tracked one when tracking is on), then the call to action and the unsubscribe URL.
 */
export function emailText(document: EmailDocument): string {
  let body = '';
  let at = 0;
  for (const link of document.links) {
    body += document.body.slice(at, link.start) + link.href;
    at = link.end;
  }
  body += document.body.slice(at);
  const blocks = paragraphs(body);
  if (document.cta) blocks.push(`${document.cta.text}: ${document.cta.href}`);
  const footer = document.footer?.trim();
  blocks.push(`-- \n${footer ? `${footer}\n` : ''}Unsubscribe: ${document.unsubscribeUrl}`);
  return `${blocks.join('\n\n')}\n`;
}
